// Tests for FashionCNN.swift, FeatureClassifier.swift and the classifier layers: shapes, names, save/load.
import Foundation
import NeuralCore
import Testing
@testable import Networks

@Suite struct FashionCNNTests {
    @Test(arguments: [FashionArchitecture.seeds, .bnCNN])
    func logitsHaveOneRowPerImage(architecture: FashionArchitecture) throws {
        let network = try FashionCNN(config: FashionCNNConfig(architecture: architecture), weights: WeightStore(seed: 1))
        var generator = SeededGenerator(seed: 2)
        let x = Tensor(shape: [3, 1, 28, 28], initializer: .uniform(1), generator: &generator)
        let y = withoutGradients { network.logits(x, mode: .inference, generator: &generator) }
        #expect(y.shape == [3, 10])
        #expect(y.data.allSatisfy { $0.isFinite })
    }

    @Test func seedsNetworkHasTheIssuesLayerSizes() throws {
        let network = try FashionCNN(config: FashionCNNConfig(architecture: .seeds), weights: WeightStore(seed: 1))
        let shapes = Dictionary(uniqueKeysWithValues: network.store.parameters.map { ($0.name, $0.tensor.shape) })
        #expect(shapes["conv1.weight"] == [32, 1, 5, 5])
        #expect(shapes["conv2.weight"] == [64, 32, 5, 5])
        #expect(shapes["fc1.weight"] == [1024, 64 * 7 * 7])
        #expect(shapes["fc2.weight"] == [10, 1024])
        // 832 + 51 264 + 3 212 288 + 10 250 trainable scalars.
        #expect(network.parameterCount == 3_274_634)
    }

    @Test func savedWeightsReloadToTheSameOutputs() throws {
        let config = FashionCNNConfig(architecture: .bnCNN, classes: 4, side: 12, hidden: 8)
        let network = try FashionCNN(config: config, weights: WeightStore(seed: 5))
        var generator = SeededGenerator(seed: 6)
        let x = Tensor(shape: [5, 1, 12, 12], initializer: .uniform(1), generator: &generator)
        // One training-mode pass moves the batch-norm running statistics away from their initial values.
        _ = network.logits(x, mode: .training, generator: &generator)
        let before = withoutGradients { network.logits(x, mode: .inference, generator: &generator) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fcnn-\(UInt32.random(in: 0...UInt32.max)).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensorsFile.write(tensors: network.namedTensors(), metadata: [:], to: url)
        let loaded = try FashionCNN(config: config, weights: WeightStore(file: SafeTensorsFile.read(url)))
        let after = withoutGradients { loaded.logits(x, mode: .inference, generator: &generator) }
        // F32 round trip: exact.
        #expect(before.data == after.data)
    }

    @Test func wrongShapeInTheFileIsNamed() throws {
        let small = try FashionCNN(config: FashionCNNConfig(architecture: .seeds, classes: 3, side: 8, hidden: 4),
                                   weights: WeightStore(seed: 1))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fcnn-bad-\(UInt32.random(in: 0...UInt32.max)).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensorsFile.write(tensors: small.namedTensors(), metadata: [:], to: url)
        do {
            _ = try FashionCNN(config: FashionCNNConfig(architecture: .seeds, classes: 3, side: 8, hidden: 6),
                               weights: WeightStore(file: SafeTensorsFile.read(url)))
            Issue.record("loaded mis-shaped weights")
        } catch {
            #expect("\(error)".contains("fc1.weight"))
        }
    }

    @Test func featureHeadStandardisesWithTrainingStatistics() throws {
        let head = try FeatureClassifier(config: FeatureClassifierConfig(layers: [.relu1_1], hidden: 0, classes: 2),
                                         weights: WeightStore(seed: 1))
        // Column j of two rows: j and j + 2 → mean j + 1, std 1.
        let rows: [Float] = (0..<64).map(Float.init) + (0..<64).map { Float($0) + 2 }
        head.setFeatureStatistics(from: rows, count: 2)
        let z = head.standardize(Tensor(shape: [2, 64], data: rows))
        #expect(z.data.prefix(64).allSatisfy { abs($0 + 1) < 1e-5 })
        #expect(z.data.suffix(64).allSatisfy { abs($0 - 1) < 1e-5 })
    }
}
