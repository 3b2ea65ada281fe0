// Tests for Ops/ChannelAffine.swift.
import Testing
import TestSupport
@testable import NeuralCore

@Suite struct ChannelAffineTests {
    @Test func forwardHandChecked() {
        let x = Tensor(shape: [1, 2, 1, 2], data: [1, 2, 3, 4])
        #expect(x.affineChannels(scale: [2, -1], shift: [0.5, 10]).data == [2.5, 4.5, 7, 6])
        #expect(Tensor(shape: [4], data: [-2, 0.5, 1, 3]).clamped(min: 0, max: 1).data == [0, 0.5, 1, 1])
    }

    // ε = 1e-2, relative error ≤ 1e-2; clamp inputs kept ≥ 0.1 away from the bounds ±0.5.
    @Test func gradients() {
        let a = checkGradients(of: { $0[0].affineChannels(scale: [2, -1, 0.5], shift: [1, 2, 3]) },
                               at: [randomTensor([2, 3, 5, 7], seed: 141)], tolerance: 1e-2)
        #expect(a.passed, "\(a)")
        let x = randomTensorAwayFromZero([1, 3, 5, 7], seed: 142, lo: 0.1, hi: 1)
        x.data = x.data.map { abs($0) > 0.4 && abs($0) < 0.6 ? $0 * 2 : $0 }   // keep away from ±0.5
        let c = checkGradients(of: { $0[0].clamped(min: -0.5, max: 0.5) }, at: [x], tolerance: 1e-2)
        #expect(c.passed, "\(c)")
    }
}
