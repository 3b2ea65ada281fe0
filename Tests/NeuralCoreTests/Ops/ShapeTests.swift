// Tests for Ops/Shape.swift.
import Testing
import TestSupport
@testable import NeuralCore

@Suite struct ShapeTests {
    @Test func forwardHandChecked() {
        let a = Tensor(shape: [2, 1, 2], data: [1, 2, 3, 4]), b = Tensor(shape: [2, 2, 2], data: [5, 6, 7, 8, 9, 10, 11, 12])
        let c = Tensor.concat([a, b], axis: 1)
        #expect(c.shape == [2, 3, 2] && c.data == [1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12])
        #expect(Tensor.concat([a, a], axis: 0).shape == [4, 1, 2])
        #expect(b.flattened().shape == [2, 4] && b.reshaped([8]).data == b.data)
    }

    // ε = 1e-2, relative error ≤ 1e-2.
    @Test(arguments: [0, 1, 2, 3])
    func concatGradients(axis: Int) {
        let s1 = [2, 3, 5, 7]; var s2 = [2, 3, 5, 7]
        s2[axis] = 1 + axis
        let r = checkGradients(of: { Tensor.concat([$0[0], $0[1].reshaped(s2), $0[0]], axis: axis) },
                               at: [randomTensor(s1, seed: 131), randomTensor([s2.reduce(1, *)], seed: 132)], tolerance: 1e-2)
        #expect(r.passed, "\(r)")
    }

    @Test func reshapeGradient() {
        let r = checkGradients(of: { $0[0].flattened().reshaped([7, 15]) }, at: [randomTensor([1, 3, 5, 7], seed: 133)], tolerance: 1e-2)
        #expect(r.passed, "\(r)")
    }

    @Test func batchPrefixTakesLeadingImages() {
        let t = Tensor(shape: [3, 2], data: [1, 2, 3, 4, 5, 6])
        #expect(t.batchPrefix(2).shape == [2, 2] && t.batchPrefix(2).data == [1, 2, 3, 4])
        #expect(t.batchPrefix(3).data == t.data)
    }

    // ε = 1e-2, relative error ≤ 1e-2; the images left out must get exactly zero gradient.
    @Test func batchPrefixGradient() {
        let x = randomTensor([4, 3, 2, 5], seed: 134)
        let r = checkGradients(of: { $0[0].batchPrefix(2) * $0[0].batchPrefix(2) }, at: [x], tolerance: 1e-2)
        #expect(r.passed, "\(r)")
        #expect(x.grad?[60...].allSatisfy { $0 == 0 } == true)
    }
}

