// Tests for Ops/Arithmetic.swift: hand-checked forward values and finite-difference gradients.
import Testing
import TestSupport
@testable import NeuralCore

@Suite struct ArithmeticTests {
    @Test func forward() {
        let a = Tensor(shape: [2, 2], data: [1, 2, 3, 4]), b = Tensor(shape: [2, 2], data: [0.5, -1, 2, 0])
        #expect((a + b).data == [1.5, 1, 5, 4])
        #expect((a - b).data == [0.5, 3, 1, 4])
        #expect((a * b).data == [0.5, -2, 6, 0])
        #expect((a * 2).data == [2, 4, 6, 8] && (0.5 * a).data == [0.5, 1, 1.5, 2])
        #expect(a.sum().item() == 10 && a.mean().item() == 2.5 && a.sum().shape == [])
        #expect((a + 1).data == [2, 3, 4, 5])
    }

    // ε = 1e-2, relative error ≤ 1e-2 (Float32 forward, Double sums).
    @Test func gradients() {
        let a = randomTensor([1, 3, 5, 7], seed: 1), b = randomTensor([1, 3, 5, 7], seed: 2)
        for f in [{ (t: [Tensor]) in t[0] + t[1] }, { t in t[0] - t[1] }, { t in t[0] * t[1] }, { t in t[0] * 1.5 + t[1] }] {
            let r = checkGradients(of: f, at: [a, b], epsilon: 1e-2, tolerance: 1e-2)
            #expect(r.passed, "\(r)")
        }
        let s = checkGradients(of: { $0[0].sum() * $0[0].mean() }, at: [randomTensor([3, 5], seed: 3)], tolerance: 1e-2)
        #expect(s.passed, "\(s)")
    }
}
