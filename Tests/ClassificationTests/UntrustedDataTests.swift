// Crafted data files and checkpoints (IDX.swift, FeatureCache.swift, ClassifierTrainingLoop.swift, TrainingCheckpoint.swift):
// bounded decompression, counts and indices from floats checked, and a run that diverges or asks for fewer epochs
// than done stops with a one-line error instead of losing or corrupting the checkpoint.
import Foundation
import Networks
import NeuralCore
import Testing
@testable import Classification

@Suite struct UntrustedDataTests {
    func gzip(_ data: Data, in folder: URL) throws -> Data {
        let plain = folder.appendingPathComponent("blob-\(UInt32.random(in: 0...UInt32.max))")
        try data.write(to: plain)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-k", "-f", plain.path]
        try process.run(); process.waitUntilExit()
        return try Data(contentsOf: URL(fileURLWithPath: plain.path + ".gz"))
    }

    /// A 20 MB stream behind a header that declares 10 bytes: inflation stops at the first 1 MB chunk.
    @Test func gzipBombIsCappedByTheIDXHeader() throws {
        let folder = try temporaryFolder("bomb")
        defer { try? FileManager.default.removeItem(at: folder) }
        var blob = Data([0, 0, 8, 1, 0, 0, 0, 10])
        blob.append(Data(count: 20 << 20))
        let compressed = try gzip(blob, in: folder)
        #expect(compressed.count < 100_000)
        do { _ = try Gzip.inflate(compressed, name: "bomb.gz"); Issue.record("inflated a bomb") } catch let e as IDXError {
            #expect(e.description == "bomb.gz: gzip data inflates to more than the 18 bytes its IDX header declares", "\(e)")
        }
    }

    @Test func headersDeclaringMoreThanAGigabyteAreRefused() throws {
        let folder = try temporaryFolder("huge")
        defer { try? FileManager.default.removeItem(at: folder) }
        let header = Data([0, 0, 8, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0])   // 65536³ bytes
        #expect(throws: IDXError.self) { try IDXFile.parse(header, name: "huge.idx") }
        do { _ = try Gzip.inflate(try gzip(header, in: folder), name: "huge.gz"); Issue.record("accepted") } catch let e as IDXError {
            #expect(e.description.contains("more than 1024 MB"), "\(e)")
        }
        // A real gzip'd file still inflates in full.
        let ok = Data([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9])
        #expect(try Gzip.inflate(try gzip(ok, in: folder), name: "ok.gz") == ok)
    }

    /// Cached labels become class indices: NaN, infinity, fractions and out-of-range values make the cache unusable
    /// (recomputed), never a trap.
    @Test(arguments: [Float.nan, .infinity, -1, 3, 1.5, 1e30])
    func featureCacheWithBadLabelsIsIgnored(label: Float) throws {
        let folder = try temporaryFolder("cache")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("features.safetensors")
        let good = Tensor(shape: [2], data: [0, 2])
        try SafeTensorsFile.write(tensors: ["features": Tensor(shape: [2, 4], data: [Float](repeating: 1, count: 8)), "labels": good],
                                  metadata: ["classes": #"["a","b","c"]"#, "skipped": "[]"], to: url)
        #expect(try FeatureCache.read(url, classNames: ["a", "b", "c"], featureCount: 4)?.dataset.labels == [0, 2])
        // The same file with the wrong feature width for the requested layers is not used either.
        #expect(try FeatureCache.read(url, classNames: ["a", "b", "c"], featureCount: 5) == nil)
        try SafeTensorsFile.write(tensors: ["features": Tensor(shape: [2, 4], data: [Float](repeating: 1, count: 8)),
                                            "labels": Tensor(shape: [2], data: [0, label])],
                                  metadata: ["classes": #"["a","b","c"]"#, "skipped": "[]"], to: url)
        #expect(try FeatureCache.read(url, classNames: ["a", "b", "c"], featureCount: 4) == nil)
    }

    func tinyNetwork() throws -> FashionCNN {
        try FashionCNN(config: FashionCNNConfig(architecture: .seeds, classes: 2, side: 8, hidden: 4), weights: WeightStore(seed: 1))
    }

    func tinyData(_ value: Float = 0.5) -> LabeledDataset {
        LabeledDataset(sampleShape: [1, 8, 8], values: (0..<(8 * 64)).map { i in i % 3 == 0 ? value : 0.25 },
                       labels: (0..<8).map { $0 % 2 }, classNames: ["a", "b"])
    }

    /// A checkpoint that has done more epochs than the run asks for is an error naming both numbers.
    @Test func resumingWithFewerEpochsIsAnError() throws {
        let folder = try temporaryFolder("fewer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("c.checkpoint")
        var config = TrainingConfig()
        config.epochs = 3; config.batchSize = 4; config.validationSplit = 0
        let network = try tinyNetwork()
        let trainer = ClassifierTrainingLoop(network: network, config: config)
        let metadata = ModelMetadata(fashion: network.config, labels: ["a", "b"])
        try trainer.train(tinyData(), validation: nil, checkpoint: url, metadata: metadata)
        config.epochs = 2
        let resumed = ClassifierTrainingLoop(network: try FashionCNN(config: network.config, weights: WeightStore(file: try SafeTensorsFile.read(url))),
                                        config: config)
        do { try resumed.restore(from: try TrainingCheckpoint.read(url)); Issue.record("restored 3 epochs into a 2-epoch run") } catch {
            #expect("\(error)".contains("checkpoint has done 3 epochs, more than --epochs 2"), "\(error)")
        }
    }

    /// A NaN loss stops training before the optimiser step and before any checkpoint: the previous checkpoint stays.
    @Test func divergedTrainingKeepsTheLastGoodCheckpoint() throws {
        let folder = try temporaryFolder("nan")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("c.checkpoint")
        try Data("the last good checkpoint".utf8).write(to: url)
        var config = TrainingConfig()
        config.epochs = 2; config.batchSize = 4; config.validationSplit = 0
        let network = try tinyNetwork()
        // A NaN output bias makes every logit NaN, hence the loss (NaN inputs alone would vanish in ReLU and max pooling).
        network.trainableParameters.last!.data[0] = .nan
        let before = network.trainableParameters.map { $0.data.map(\.bitPattern) }
        let trainer = ClassifierTrainingLoop(network: network, config: config)
        do {
            try trainer.train(tinyData(), validation: nil, checkpoint: url,
                              metadata: ModelMetadata(fashion: network.config, labels: ["a", "b"]))
            Issue.record("trained on NaN inputs")
        } catch let error as TrainingDivergedError {
            #expect(error.description.hasPrefix("training diverged: the loss is nan at epoch 1, batch 1"), "\(error)")
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "the last good checkpoint")
        #expect(network.trainableParameters.map { $0.data.map(\.bitPattern) } == before)
        #expect(trainer.history.isEmpty)
    }

    /// Adam's step count comes from a float tensor: only a finite whole number in range is accepted.
    @Test(arguments: [Float.infinity, .nan, -1, 2.5, 1e30])
    func adamStepMustBeAWholeNumberInRange(step: Float) throws {
        let p = Tensor(shape: [2], data: [1, 2], requiresGrad: true)
        let adam = Adam(parameters: [p], learningRate: 0.1)
        let state = ["step": Tensor(scalar: step), "m.0": Tensor(shape: [2], data: [0, 0]), "v.0": Tensor(shape: [2], data: [0, 0])]
        #expect(throws: (any Error).self) { try adam.loadState(state) }
        var good = state
        good["step"] = Tensor(scalar: 7)
        try adam.loadState(good)
    }
}
