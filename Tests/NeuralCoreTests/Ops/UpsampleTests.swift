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

    /// PyTorch's `interpolate(scale_factor=2, mode="bilinear", align_corners=False)` of [[1, 2]], worked by hand.
    @Test func bilinearForwardHandChecked() {
        let y = Tensor(shape: [1, 1, 1, 2], data: [1, 2]).upsampledBilinear2x()
        #expect(y.shape == [1, 1, 2, 4] && y.data == [1, 1.25, 1.75, 2, 1, 1.25, 1.75, 2])
        let column = Tensor(shape: [1, 1, 2, 1], data: [0, 4]).upsampledBilinear2x()
        #expect(column.shape == [1, 1, 4, 2] && column.data == [0, 0, 1, 1, 3, 3, 4, 4])
    }

    /// A flat plane stays flat (the weights of every output pixel sum to 1, edges included).
    @Test func bilinearKeepsConstants() {
        let y = Tensor(shape: [2, 3, 3, 5], data: [Float](repeating: 0.3, count: 90)).upsampledBilinear2x()
        #expect(y.shape == [2, 3, 6, 10] && y.data.allSatisfy { abs($0 - 0.3) < 1e-6 })
    }

    // ε = 1e-2, relative error ≤ 1e-2; the 1-row and 1-column shapes exercise the clamped edges on both sides.
    @Test(arguments: [[1, 3, 5, 7], [2, 2, 1, 4], [1, 2, 3, 1]])
    func bilinearGradients(shape: [Int]) {
        let r = checkGradients(of: { $0[0].upsampledBilinear2x() }, at: [randomTensor(shape, seed: 52)], tolerance: 1e-2)
        #expect(r.passed, "\(r)")
    }
}
