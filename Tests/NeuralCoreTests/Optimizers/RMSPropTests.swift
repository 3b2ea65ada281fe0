// Tests for Optimizers/RMSProp.swift: first steps checked by hand, twenty steps on a quadratic against the documented
// formula (OptimizerReference.swift) in each variant, and a checkpoint round trip in the middle of a run.
import Testing
@testable import NeuralCore

@Suite struct RMSPropTests {
    @Test func twoStepsByHand() {
        // Constant g = 1, lr 0.01, α 0.99: s = 0.01, p = 1 − 0.01·1/0.1 = 0.9;
        // s = 0.99·0.01 + 0.01 = 0.0199, p = 0.9 − 0.01/√0.0199 = 0.829112. Tolerance 1e-6.
        let p = Tensor(shape: [1], data: [1], requiresGrad: true)
        let rmsprop = RMSProp(parameters: [p])
        p.grad = [1]; rmsprop.step()
        #expect(abs(p.data[0] - 0.9) < 1e-6)
        p.grad = [1]; rmsprop.step()
        #expect(abs(p.data[0] - 0.829112) < 1e-6)
    }

    @Test func centeredFirstStepByHand() {
        // g = 1: s = 0.01, m = 0.01, √(s − m²) = √0.0099 = 0.0994987, p = 1 − 0.01/0.0994987 = 0.899496. Tolerance 1e-6.
        let p = Tensor(shape: [1], data: [1], requiresGrad: true)
        p.grad = [1]
        RMSProp(parameters: [p], centered: true).step()
        #expect(abs(p.data[0] - 0.899496) < 1e-6)
    }

    @Test func pytorchDefaults() {
        let rmsprop = RMSProp(parameters: [])
        #expect(rmsprop.learningRate == 0.01 && rmsprop.alpha == 0.99 && rmsprop.epsilon == 1e-8)
        #expect(rmsprop.momentum == 0 && !rmsprop.centered && rmsprop.weightDecay == 0)
    }

    /// (momentum, centered, weight decay) variants.
    static let variants: [(Float, Bool, Float)] = [(0, false, 0), (0.9, false, 0), (0, true, 0.01), (0.5, true, 0.01)]

    /// Twenty steps on the quadratic follow torch.optim.RMSprop's documented rule computed in Double.
    /// Tolerance 2e-5 (Float rounding over twenty steps; the centred variant divides by a small difference of squares).
    @Test(arguments: variants.indices)
    func quadraticTrajectoryFollowsTheFormula(variant: Int) {
        let (momentum, centered, decay) = Self.variants[variant]
        let steps = 20
        let float = Quadratic.trajectory(steps: steps) { p in
            RMSProp(parameters: [p], learningRate: 0.02, alpha: 0.9, weightDecay: decay, momentum: momentum, centered: centered)
        }
        var rule = ReferenceRMSProp(lr: 0.02, alpha: 0.9, epsilon: 1e-8, weightDecay: Double(decay), momentum: Double(momentum),
                                    centered: centered)
        let reference = Quadratic.reference(steps: steps, &rule)
        #expect(Quadratic.largestDifference(float, reference) < 2e-5)
        #expect(Quadratic.approachedTheMinimum(float.last!))
    }

    @Test(arguments: variants.indices)
    func stateRoundTripResumesIdentically(variant: Int) throws {
        let (momentum, centered, decay) = Self.variants[variant]
        let make = { (p: Tensor) in RMSProp(parameters: [p], learningRate: 0.05, weightDecay: decay, momentum: momentum, centered: centered) }
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

    @Test func loadStateNeedsTheBuffersOfItsVariant() {
        let p = Tensor(zeros: [2, 2], requiresGrad: true)
        let plain = RMSProp(parameters: [p]).stateTensors()
        #expect(Set(plain.keys) == ["step", "square_avg.0"])
        let full = RMSProp(parameters: [p], momentum: 0.9, centered: true)
        #expect(Set(full.stateTensors().keys) == ["step", "square_avg.0", "grad_avg.0", "momentum_buffer.0"])
        #expect(throws: OptimizerStateError.self) { try full.loadState(plain) }
        var misshapen = plain
        misshapen["square_avg.0"] = Tensor(zeros: [5])
        #expect(throws: OptimizerStateError.self) { try RMSProp(parameters: [p]).loadState(misshapen) }
    }
}
