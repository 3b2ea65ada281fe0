// Tests for WeightStore.swift: scoping, fresh vs load mode, and the missing-key / wrong-shape errors.
import Testing
import Foundation
@testable import NeuralCore

@Suite struct WeightStoreTests {
    @Test func scopedNamesAndCreationOrder() throws {
        let store = WeightStore(seed: 1)
        let res = store.scope("res1")
        _ = try res.scope("conv1").tensor("weight", shape: [4, 3, 3, 3], initializer: .heNormal)
        _ = try res.scope("conv1").tensor("bias", shape: [4], initializer: .zeros, trainable: false)
        _ = try store.tensor("head", shape: [2], initializer: .ones)
        #expect(store.parameters.map(\.name) == ["res1.conv1.weight", "res1.conv1.bias", "head"])
        #expect(store.trainableParameters.count == 2)
        // Same key twice: same tensor.
        #expect(try res.scope("conv1").tensor("weight", shape: [4, 3, 3, 3], initializer: .heNormal) === store.parameters[0].tensor)
    }

    @Test func sameSeedSameWeights() throws {
        let a = try WeightStore(seed: 9).tensor("w", shape: [10], initializer: .xavierUniform)
        let b = try WeightStore(seed: 9).tensor("w", shape: [10], initializer: .xavierUniform)
        #expect(a.data == b.data)
    }

    @Test func loadModeErrors() throws {
        let file = SafeTensorsFile(tensors: ["res1.conv1.weight": Tensor(zeros: [4, 3, 3, 3])], source: "weights/net.safetensors")
        let store = WeightStore(file: file)
        let conv = store.scope("res1").scope("conv1")
        let w = try conv.tensor("weight", shape: [4, 3, 3, 3], initializer: .heNormal)
        #expect(w.requiresGrad && w.data.allSatisfy { $0 == 0 })
        do {
            _ = try conv.tensor("bias", shape: [4], initializer: .zeros)
            Issue.record("missing key accepted")
        } catch let e as WeightStoreError {
            #expect(e.description == "weights/net.safetensors: missing tensor res1.conv1.bias")
        }
        let other = WeightStore(file: file)
        do {
            _ = try other.scope("res1").scope("conv1").tensor("weight", shape: [8, 3, 3, 3], initializer: .heNormal)
            Issue.record("wrong shape accepted")
        } catch let e as WeightStoreError {
            #expect(e.description == "weights/net.safetensors: tensor res1.conv1.weight has shape [4, 3, 3, 3], expected [8, 3, 3, 3]")
        }
    }
}
