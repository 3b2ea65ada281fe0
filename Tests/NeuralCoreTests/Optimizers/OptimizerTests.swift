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
