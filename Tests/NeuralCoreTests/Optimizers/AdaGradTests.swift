// Tests for Optimizers/AdaGrad.swift: two steps checked by hand, twenty steps on a quadratic against the documented
// formula (OptimizerReference.swift), and a checkpoint round trip in the middle of a run.
import Testing
@testable import NeuralCore

@Suite struct AdaGradTests {
    @Test func twoStepsByHand() {
        // Constant g = 2, lr 0.1: s = 4, p = 1 − 0.1·2/2 = 0.9; s = 8, p = 0.9 − 0.1·2/√8 = 0.829289. Tolerance 1e-6.
        let p = Tensor(shape: [1], data: [1], requiresGrad: true)
        let adagrad = AdaGrad(parameters: [p], learningRate: 0.1)
        p.grad = [2]; adagrad.step()
        #expect(abs(p.data[0] - 0.9) < 1e-6)
        p.grad = [2]; adagrad.step()
        #expect(abs(p.data[0] - 0.829289) < 1e-6 && adagrad.stepCount == 2)
    }

    @Test func pytorchDefaults() {
        let adagrad = AdaGrad(parameters: [])
        #expect(adagrad.learningRate == 0.01 && adagrad.epsilon == 1e-10 && adagrad.learningRateDecay == 0 && adagrad.weightDecay == 0)
    }

    /// Twenty steps on the quadratic follow torch.optim.Adagrad's documented rule computed in Double, for the defaults
    /// and for every option at once. Tolerance 2e-6 (Float rounding over twenty steps of weights of order 1).
    @Test(arguments: [false, true])
    func quadraticTrajectoryFollowsTheFormula(allOptions: Bool) {
        let steps = 20
        let float = Quadratic.trajectory(steps: steps) { p in
            allOptions ? AdaGrad(parameters: [p], learningRate: 0.3, learningRateDecay: 0.05, weightDecay: 0.02,
                                 initialAccumulator: 0.1, epsilon: 1e-3)
                       : AdaGrad(parameters: [p], learningRate: 0.3)
        }
        var rule = allOptions ? ReferenceAdaGrad(lr: 0.3, lrDecay: 0.05, weightDecay: 0.02, initialAccumulator: 0.1, epsilon: 1e-3)
                              : ReferenceAdaGrad(lr: 0.3)
        let reference = Quadratic.reference(steps: steps, &rule)
        #expect(Quadratic.largestDifference(float, reference) < 2e-6)
        #expect(Quadratic.approachedTheMinimum(float.last!))
    }

    @Test func stateRoundTripResumesIdentically() throws {
        let make = { (p: Tensor) in AdaGrad(parameters: [p], learningRate: 0.05, learningRateDecay: 0.1, initialAccumulator: 0.2) }
        let a = Tensor(shape: [3], data: [1, 2, 3], requiresGrad: true)
        runVaryingGradients(0..<10, make(a), a)

        let b = Tensor(shape: [3], data: [1, 2, 3], requiresGrad: true)
        let first = make(b)
        runVaryingGradients(0..<5, first, b)
        let resumed = make(b)
        try resumed.loadState(first.stateTensors())
        runVaryingGradients(5..<10, resumed, b)
        // Same operations on the same values: tolerance 0.
        #expect(b.data == a.data && resumed.stepCount == 10)
    }

    @Test func loadStateRejectsMissingOrMisshapenTensors() {
        let adagrad = AdaGrad(parameters: [Tensor(zeros: [2, 2], requiresGrad: true)])
        var state = adagrad.stateTensors()
        #expect(Set(state.keys) == ["step", "sum.0"])
        state["sum.0"] = Tensor(zeros: [3])
        #expect(throws: OptimizerStateError.self) { try adagrad.loadState(state) }
        #expect(throws: OptimizerStateError.self) { try adagrad.loadState(["step": Tensor(scalar: 1)]) }
    }
}
