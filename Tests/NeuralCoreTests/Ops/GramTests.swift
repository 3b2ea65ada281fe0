// Tests for Ops/Gram.swift.
import Testing
import TestSupport
@testable import NeuralCore

@Suite struct GramTests {
    @Test func forwardHandChecked() {
        // C = 2, H·W = 2: F = [[1, 2], [3, 4]], F·Fᵀ = [[5, 11], [11, 25]], divided by C·H·W = 4.
        let g = Tensor(shape: [1, 2, 1, 2], data: [1, 2, 3, 4]).gram()
        #expect(g.shape == [1, 2, 2] && g.data == [1.25, 2.75, 2.75, 6.25])
    }

    // ε = 1e-2, relative error ≤ 1e-2.
    @Test func gradients() {
        let r = checkGradients(of: { $0[0].gram() }, at: [randomTensor([2, 3, 5, 7], seed: 81)], tolerance: 1e-2)
        #expect(r.passed, "\(r)")
    }
}
