// Tests for Tensor/Tensor.swift: construction, scalars, detaching.
import Testing
@testable import NeuralCore

@Suite struct TensorTests {
    @Test func shapeAndCount() {
        let t = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        #expect(t.count == 6 && t.rank == 2 && t.shape == [2, 3])
        #expect(Tensor(zeros: [1, 3, 5, 7]).count == 105)
        #expect(Tensor(scalar: 4).item() == 4 && Tensor(scalar: 4).shape == [])
    }

    @Test func detachedHasNoGraph() {
        let a = Tensor(shape: [2], data: [1, 2], requiresGrad: true)
        let b = (a * 2).detached()
        #expect(!b.needsGradient && b.data == [2, 4])
    }

    @Test func opsDoNotCopyUntouchedStorage() {
        // reshaped shares the array buffer: same base address until written.
        let a = Tensor(shape: [4, 6], data: (0..<24).map(Float.init))
        let b = a.reshaped([2, 12])
        let pa = a.data.withUnsafeBufferPointer { $0.baseAddress }
        let pb = b.data.withUnsafeBufferPointer { $0.baseAddress }
        #expect(pa == pb)
    }
}
