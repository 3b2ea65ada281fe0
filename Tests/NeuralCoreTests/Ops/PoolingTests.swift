// Tests for Ops/Pooling.swift. Max-pool gradient checks use distinct values spaced 0.05 apart (> 2ε), so no
// perturbation changes a window's argmax.
import Testing
import TestSupport
@testable import NeuralCore

/// Shape-sized tensor of a seeded permutation of 0, 0.05, 0.1, …: no ties anywhere.
func distinctTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var gen = SeededGenerator(seed: seed)
    let n = shape.reduce(1, *)
    return Tensor(shape: shape, data: (0..<n).map { Float($0) * 0.05 - Float(n) * 0.025 }.shuffled(using: &gen))
}

@Suite struct PoolingTests {
    @Test func forwardHandChecked() {
        let x = Tensor(shape: [1, 1, 4, 4], data: (0..<16).map(Float.init))
        #expect(x.maxPool2d(size: 2, stride: 2).data == [5, 7, 13, 15])
        #expect(x.avgPool2d(size: 2, stride: 2).data == [2.5, 4.5, 10.5, 12.5])
        #expect(x.maxPool2d(size: 3, stride: 1).data == [10, 11, 14, 15])
        // Floor output size: 5×5 with 2×2 stride 2 → 2×2.
        #expect(Tensor(zeros: [1, 1, 5, 5]).maxPool2d(size: 2, stride: 2).shape == [1, 1, 2, 2])
        #expect(x.globalAvgPool().shape == [1, 1] && x.globalAvgPool().data == [7.5])
    }

    // ε = 1e-2, relative error ≤ 1e-2.
    @Test(arguments: [(2, 2), (3, 2), (3, 1), (2, 1)])
    func gradients(size: Int, stride: Int) {
        let x = distinctTensor([2, 3, 5, 7], seed: 41)
        let m = checkGradients(of: { $0[0].maxPool2d(size: size, stride: stride) }, at: [x], tolerance: 1e-2)
        #expect(m.passed, "max \(size)/\(stride): \(m)")
        let a = checkGradients(of: { $0[0].avgPool2d(size: size, stride: stride) }, at: [randomTensor([2, 3, 5, 7], seed: 42)], tolerance: 1e-2)
        #expect(a.passed, "avg \(size)/\(stride): \(a)")
    }

    @Test func globalAvgPoolGradient() {
        let r = checkGradients(of: { $0[0].globalAvgPool() }, at: [randomTensor([2, 3, 5, 7], seed: 43)], tolerance: 1e-2)
        #expect(r.passed, "\(r)")
    }
}
