// Tests for Optimizers/Optimizer.swift (SGD) and LearningRateSchedule.swift.
import Testing
import Foundation
@testable import NeuralCore

@Suite struct OptimizerTests {
    @Test func sgdMomentumHandChecked() {
        // g = 1 constant, lr 0.1, momentum 0.9: v = 1, 1.9 → p = 1 − 0.1 − 0.19 = 0.71.
        let p = Tensor(shape: [1], data: [1], requiresGrad: true)
        let sgd = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9)
        p.grad = [1]; sgd.step()
        p.grad = [1]; sgd.step()
        #expect(abs(p.data[0] - 0.71) < 1e-6)
        sgd.zeroGrad()
        #expect(p.grad == nil)
        sgd.step()   // no gradient: no change
        #expect(abs(p.data[0] - 0.71) < 1e-6)
    }

    @Test func sgdWeightDecay() {
        let p = Tensor(shape: [1], data: [2], requiresGrad: true)
        p.grad = [0]
        SGD(parameters: [p], learningRate: 0.5, weightDecay: 0.1).step()
        #expect(abs(p.data[0] - 1.9) < 1e-6)   // 2 − 0.5·(0 + 0.1·2)
    }

    @Test func sgdNesterovHandChecked() {
        // g = 1 constant, lr 0.1, momentum 0.9, Nesterov: v = 1, p = 1 − 0.1·(1 + 0.9·1) = 0.81;
        // v = 1.9, p = 0.81 − 0.1·(1 + 0.9·1.9) = 0.539. Tolerance 1e-6.
        let p = Tensor(shape: [1], data: [1], requiresGrad: true)
        let sgd = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, nesterov: true)
        p.grad = [1]; sgd.step()
        #expect(abs(p.data[0] - 0.81) < 1e-6)
        p.grad = [1]; sgd.step()
        #expect(abs(p.data[0] - 0.539) < 1e-6)
    }

    /// Twenty steps on the quadratic follow torch.optim.SGD's documented rule computed in Double (OptimizerReference.swift),
    /// with (momentum, Nesterov, weight decay) as given. Tolerance 2e-6 (Float rounding over twenty steps).
    @Test(arguments: [(Float(0), false, Float(0)), (0.9, false, 0.01), (0.9, true, 0), (0.5, true, 0.01)])
    func sgdQuadraticTrajectoryFollowsTheFormula(momentum: Float, nesterov: Bool, weightDecay: Float) {
        let float = Quadratic.trajectory(steps: 20) { p in
            SGD(parameters: [p], learningRate: 0.05, momentum: momentum, nesterov: nesterov, weightDecay: weightDecay)
        }
        var rule = ReferenceSGD(lr: 0.05, momentum: Double(momentum), nesterov: nesterov, weightDecay: Double(weightDecay))
        #expect(Quadratic.largestDifference(float, Quadratic.reference(steps: 20, &rule)) < 2e-6)
        #expect(Quadratic.approachedTheMinimum(float.last!))
    }

    @Test(arguments: [false, true])
    func sgdStateRoundTripResumesIdentically(nesterov: Bool) throws {
        let make = { (p: Tensor) in SGD(parameters: [p], learningRate: 0.05, momentum: 0.9, nesterov: nesterov, weightDecay: 0.01) }
        let a = Tensor(shape: [3], data: [1, 2, 3], requiresGrad: true)
        runVaryingGradients(0..<10, make(a), a)

        let b = Tensor(shape: [3], data: [1, 2, 3], requiresGrad: true)
        let first = make(b)
        runVaryingGradients(0..<5, first, b)
        let resumed = make(b)
        try resumed.loadState(first.stateTensors())
        runVaryingGradients(5..<10, resumed, b)
        // Same operations on the same values: tolerance 0.
        #expect(b.data == a.data)
    }

    @Test func sgdStateBeforeTheFirstStepAndWithoutMomentum() throws {
        let p = Tensor(zeros: [2, 3], requiresGrad: true)
        let sgd = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9)
        let state = sgd.stateTensors()
        #expect(Set(state.keys) == ["momentum_buffer.0"] && state["momentum_buffer.0"]!.data == [0, 0, 0, 0, 0, 0])
        #expect(throws: OptimizerStateError.self) { try sgd.loadState([:]) }
        #expect(SGD(parameters: [p], learningRate: 0.1).stateTensors().isEmpty)
    }

    @Test func schedules() {
        #expect(LearningRateSchedule.constant.rate(base: 0.1, step: 99) == 0.1)
        let s = LearningRateSchedule.step(every: 10, gamma: 0.5)
        #expect(s.rate(base: 1, step: 9) == 1 && s.rate(base: 1, step: 10) == 0.5 && s.rate(base: 1, step: 25) == 0.25)
        let c = LearningRateSchedule.cosine(totalSteps: 100, minimum: 0.1)
        #expect(c.rate(base: 1, step: 0) == 1)
        #expect(abs(c.rate(base: 1, step: 50) - 0.55) < 1e-6 && abs(c.rate(base: 1, step: 100) - 0.1) < 1e-6)
        #expect(abs(c.rate(base: 1, step: 500) - 0.1) < 1e-6)
    }

    @Test func scheduleIsCodable() throws {
        let s = LearningRateSchedule.cosine(totalSteps: 7, minimum: 0.01)
        let back = try JSONDecoder().decode(LearningRateSchedule.self, from: JSONEncoder().encode(s))
        #expect(back == s)
    }
}
