// Tests for Ops/Losses.swift.
import Testing
import TestSupport
@testable import NeuralCore

@Suite struct LossesTests {
    @Test func forwardHandChecked() {
        let a = Tensor(shape: [1, 1, 2, 2], data: [1, 2, 3, 5])
        #expect(a.mseLoss(Tensor(shape: [1, 1, 2, 2], data: [1, 0, 3, 4])).item() == 1.25)   // (0 + 4 + 0 + 1)/4
        // Vertical diffs: (3−1)², (5−2)²; horizontal: (2−1)², (5−3)² → 4 + 9 + 1 + 4.
        #expect(a.totalVariation().item() == 18)
    }

    // ε = 1e-2, relative error ≤ 1e-2.
    @Test func gradients() {
        let target = randomTensor([1, 3, 5, 7], seed: 92)
        let m = checkGradients(of: { $0[0].mseLoss(target) }, at: [randomTensor([1, 3, 5, 7], seed: 91)], tolerance: 1e-2)
        #expect(m.passed, "\(m)")
        #expect(target.grad == nil)
        let t = checkGradients(of: { $0[0].totalVariation() }, at: [randomTensor([2, 3, 5, 7], seed: 93)], tolerance: 1e-2)
        #expect(t.passed, "\(t)")
    }
}
