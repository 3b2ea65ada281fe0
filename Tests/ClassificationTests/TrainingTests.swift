// Tests for ClassifierTrainingLoop.swift and TrainingCheckpoint.swift: learning on Fashion-MNIST, checkpoint/resume.
import Foundation
import Networks
import NeuralCore
import Testing
@testable import Classification

func temporaryFolder(_ tag: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nst-\(tag)-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct TrainingTests {
    @Test(.enabled(if: FashionMNIST.isAvailable(), "Fashion-MNIST is not installed in /usr/share/datasets/fashion-mnist"))
    func seedsCNNBeatsChanceOnAFewHundredImages() throws {
        let train = try FashionMNIST.load(.train, limit: 512)
        let test = try FashionMNIST.load(.test, limit: 300)
        var config = TrainingConfig()
        config.epochs = 3; config.batchSize = 32; config.validationSplit = 0
        let network = try FashionCNN(config: FashionCNNConfig(architecture: .seeds, hidden: 128), weights: WeightStore(seed: 3))
        let trainer = ClassifierTrainingLoop(network: network, config: config)
        try trainer.train(train, validation: nil, metadata: ModelMetadata(fashion: network.config, labels: train.classNames))
        let result = BatchInference.evaluate(network, on: test)
        // Chance is 10%; a few hundred images for three epochs reach well above 50% (tolerance: 45% floor).
        #expect(result.accuracy > 0.45)
        #expect(trainer.history.count == 3 && trainer.history[2].trainLoss < trainer.history[0].trainLoss)
    }

    /// 96 random 8×8 images in 3 classes whose mean brightness decides the class: learnable, tiny, deterministic.
    func synthetic() -> LabeledDataset {
        var generator = SeededGenerator(seed: 11)
        var values: [Float] = [], labels: [Int] = []
        for i in 0..<96 {
            let label = i % 3
            labels.append(label)
            values += (0..<64).map { _ in min(1, Float(label) * 0.3 + generator.nextFloat(in: 0..<0.4)) }
        }
        return LabeledDataset(sampleShape: [1, 8, 8], values: values, labels: labels, classNames: ["dark", "mid", "light"])
    }

    /// Every rule, with the options that add state (momentum buffers, centring) switched on.
    static func rule(_ name: String) -> TrainingConfig {
        var config = TrainingConfig()
        switch name {
        case "sgd momentum": config.useOptimizer(.sgd, learningRate: 0.05)
        case "sgd nesterov": config.useOptimizer(.sgd, learningRate: 0.05, nesterov: true)
        case "adagrad": config.useOptimizer(.adagrad)
        case "rmsprop centered momentum": config.useOptimizer(.rmsprop, momentum: 0.5, centered: true)
        default: config.useOptimizer(.adam)
        }
        return config
    }

    @Test(arguments: ["sgd momentum", "sgd nesterov", "adagrad", "rmsprop centered momentum", "adam"])
    func resumedRunMatchesAnUninterruptedOne(rule: String) throws {
        let folder = try temporaryFolder("resume")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = synthetic()
        let (train, validation) = data.split(validationFraction: 0.25, seed: 5)
        var config = Self.rule(rule)
        config.epochs = 4; config.batchSize = 16; config.augment = true; config.schedule = .cosine
        let networkConfig = FashionCNNConfig(architecture: .bnCNN, classes: 3, side: 8, hidden: 16, dropout: 0.3)
        let metadata = ModelMetadata(fashion: networkConfig, labels: data.classNames)

        let straight = try FashionCNN(config: networkConfig, weights: WeightStore(seed: 9))
        try ClassifierTrainingLoop(network: straight, config: config).train(train, validation: validation, metadata: metadata)

        let checkpointURL = folder.appendingPathComponent("run.checkpoint")
        let first = try FashionCNN(config: networkConfig, weights: WeightStore(seed: 9))
        try ClassifierTrainingLoop(network: first, config: config)
            .train(train, validation: validation, checkpoint: checkpointURL, metadata: metadata, stopAfter: 2)
        let checkpoint = try TrainingCheckpoint.read(checkpointURL)
        #expect(checkpoint.history.count == 2 && !checkpoint.optimizerTensors.isEmpty)
        let resumed = try FashionCNN(config: networkConfig, weights: WeightStore(file: checkpoint.file))
        let trainer = ClassifierTrainingLoop(network: resumed, config: config)
        try trainer.restore(from: checkpoint)
        try trainer.train(train, validation: validation, checkpoint: checkpointURL, metadata: metadata)
        #expect(trainer.history.count == 4)

        // Same seeds, same order of floating-point work: the weights must agree exactly (tolerance 0).
        let a = straight.namedTensors(), b = resumed.namedTensors()
        #expect(Set(a.keys) == Set(b.keys))
        for (name, tensor) in a { #expect(tensor.data == b[name]!.data, "tensor \(name) differs after resume") }
    }

    @Test func resumingWithOtherSettingsIsRefused() throws {
        let folder = try temporaryFolder("resume-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = synthetic()
        var config = TrainingConfig()
        config.epochs = 1; config.batchSize = 32; config.validationSplit = 0
        let networkConfig = FashionCNNConfig(architecture: .seeds, classes: 3, side: 8, hidden: 8)
        let url = folder.appendingPathComponent("c.checkpoint")
        let network = try FashionCNN(config: networkConfig, weights: WeightStore(seed: 1))
        try ClassifierTrainingLoop(network: network, config: config)
            .train(data, validation: nil, checkpoint: url, metadata: ModelMetadata(fashion: networkConfig, labels: data.classNames))
        var other = config
        other.learningRate = 0.5
        let checkpoint = try TrainingCheckpoint.read(url)
        let trainer = ClassifierTrainingLoop(network: try FashionCNN(config: networkConfig, weights: WeightStore(file: checkpoint.file)),
                                        config: other)
        #expect(throws: ModelFileError.self) { try trainer.restore(from: checkpoint) }
    }
}
