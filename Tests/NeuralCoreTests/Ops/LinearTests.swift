// Tests for Ops/Linear.swift.
import Testing
import TestSupport
@testable import NeuralCore

@Suite struct LinearTests {
    @Test func forwardHandChecked() {
        // x = [[1, 2]], W = [[1, 0], [0, 1], [1, 1]], b = [0.5, 0, -1] → [1.5, 2, 2].
        let y = Tensor(shape: [1, 2], data: [1, 2]).linear(weight: Tensor(shape: [3, 2], data: [1, 0, 0, 1, 1, 1]),
                                                          bias: Tensor(shape: [3], data: [0.5, 0, -1]))
        #expect(y.shape == [1, 3] && y.data == [1.5, 2, 2])
    }

    // ε = 1e-2, relative error ≤ 1e-2.
    @Test(arguments: [true, false])
    func gradients(bias: Bool) {
        let x = randomTensor([3, 5], seed: 61), w = randomTensor([4, 5], seed: 62), b = randomTensor([4], seed: 63)
        let r = checkGradients(of: { t in t[0].linear(weight: t[1], bias: bias ? t[2] : nil) },
                               at: bias ? [x, w, b] : [x, w], tolerance: 1e-2)
        #expect(r.passed, "\(r)")
    }
}
