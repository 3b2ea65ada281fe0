// Tests for Ops/Upsample.swift.
import Testing
import TestSupport
@testable import NeuralCore

@Suite struct UpsampleTests {
    @Test func forwardHandChecked() {
        let y = Tensor(shape: [1, 1, 1, 2], data: [1, 2]).upsampledNearest(factor: 2)
        #expect(y.shape == [1, 1, 2, 4] && y.data == [1, 1, 2, 2, 1, 1, 2, 2])
    }

    // ε = 1e-2, relative error ≤ 1e-2.
    @Test(arguments: [2, 3])
    func gradients(factor: Int) {
        let r = checkGradients(of: { $0[0].upsampledNearest(factor: factor) }, at: [randomTensor([1, 3, 5, 7], seed: 51)], tolerance: 1e-2)
        #expect(r.passed, "\(r)")
    }
}
