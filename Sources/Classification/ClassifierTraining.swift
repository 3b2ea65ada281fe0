// Library entry points behind `nst train-classifier`: Fashion-MNIST CNNs and VGG-feature heads on image folders.
// Each reads the data, builds (or resumes) the network, trains, writes the model, its curve PNG and the checkpoint.
import Foundation
import ImageIO
import Networks
import NeuralCore

/// Where a training run writes its files.
public struct TrainingOutputs {
    /// The final model (safetensors with metadata).
    public var model: URL
    /// Checkpoint written after every epoch (nil: none).
    public var checkpoint: URL?
    /// Training-curve PNG rewritten after every epoch (nil: none).
    public var curve: URL?

    public init(model: URL, checkpoint: URL?, curve: URL?) { self.model = model; self.checkpoint = checkpoint; self.curve = curve }
}

/// What a finished run reports.
public struct TrainingSummary {
    public var history: [EpochRecord]
    public var trainingSamples: Int
    public var validationSamples: Int
    /// Accuracy on the held-out validation split after the last epoch (nil without one).
    public var validationAccuracy: Float?
    /// Wall time of this invocation, in seconds (excludes epochs done before a resume).
    public var seconds: Double
    /// Image files skipped (image-folder training), with reasons.
    public var skipped: [(file: String, reason: String)]
}

public enum ClassifierTraining {
    /// Trains a FashionCNN on Fashion-MNIST's training split from `dataDirectory` (first `limit` images if given).
    /// With `resume`, continues from `outputs.checkpoint`. Throws `IDXError` / `ModelFileError` / I/O errors.
    public static func fashionMNIST(dataDirectory: URL, network config: FashionCNNConfig, training: TrainingConfig,
                                    outputs: TrainingOutputs, resume: Bool, limit: Int? = nil, extra: [String: String] = [:],
                                    progress: (TrainingEvent) -> Void = { _ in }) throws -> TrainingSummary {
        let start = Date()
        let all = try FashionMNIST.load(.train, from: dataDirectory, limit: limit)
        var metadata = ModelMetadata(fashion: config, labels: all.classNames)
        metadata.extra = extra
        metadata.extra["dataset"] = "fashion-mnist"
        return try run(data: all, metadata: metadata, training: training, outputs: outputs, resume: resume, start: start,
                       skipped: [], progress: progress) { weights in try FashionCNN(config: config, weights: weights) }
    }

    /// Trains a feature head on the images under `folder` (one sub-folder per class). VGG features are cached in
    /// `cacheDirectory` (nil: not cached). Unreadable images are skipped and listed in the summary.
    public static func imageFolder(_ folder: URL, head config: FeatureClassifierConfig, training: TrainingConfig,
                                   outputs: TrainingOutputs, resume: Bool, cacheDirectory: URL?, vggWeights: URL? = nil,
                                   extra: [String: String] = [:],
                                   progress: (TrainingEvent) -> Void = { _ in }) throws -> TrainingSummary {
        let start = Date()
        let scanned = try ImageFolder.scan(folder)
        var head = config
        head.classes = scanned.classNames.count
        let vgg = try VGG16Features(contentsOf: vggWeights ?? VGG16Features.defaultWeightsURL())
        let features = try FeatureCache.features(of: scanned, config: head, vgg: vgg, cacheDirectory: cacheDirectory) {
            progress(.features(done: $0, total: $1))
        }
        if features.fromCache { progress(.note("VGG16 features read from the cache")) }
        for (file, reason) in features.skipped { progress(.note("skipped \(file): \(reason)")) }
        var metadata = ModelMetadata(head: head, labels: scanned.classNames)
        metadata.extra = extra
        metadata.extra["dataset"] = "image-folder"
        let data = features.dataset
        return try run(data: data, metadata: metadata, training: training, outputs: outputs, resume: resume, start: start,
                       skipped: features.skipped, progress: progress) { weights in
            let network = try FeatureClassifier(config: head, weights: weights)
            return network
        } prepare: { network, train in
            // Standardise with the training part's statistics (fresh heads only; resumed heads keep theirs).
            (network as? FeatureClassifier)?.setFeatureStatistics(from: train.values, count: train.count)
        }
    }

    /// The shared part: split, build or resume, train with checkpoints and curves, write the model.
    static func run(data: LabeledDataset, metadata: ModelMetadata, training: TrainingConfig, outputs: TrainingOutputs,
                    resume: Bool, start: Date, skipped: [(file: String, reason: String)],
                    progress: (TrainingEvent) -> Void, build: (WeightStore) throws -> ClassifierNetwork,
                    prepare: (ClassifierNetwork, LabeledDataset) -> Void = { _, _ in }) throws -> TrainingSummary {
        let (train, validation) = data.split(validationFraction: training.validationSplit, seed: training.seed)
        guard train.count >= 1 else {
            throw ModelFileError(file: outputs.model.path, problem: "no training samples left after the validation split")
        }
        progress(.note("\(train.count) training and \(validation.count) validation samples, \(data.classNames.count) classes"))
        let network: ClassifierNetwork, trainer: ClassifierTrainingLoop
        if resume {
            guard let url = outputs.checkpoint else {
                throw ModelFileError(file: outputs.model.path, problem: "--resume needs a checkpoint path")
            }
            let checkpoint = try TrainingCheckpoint.read(url)
            guard checkpoint.metadata.kind == metadata.kind, checkpoint.metadata.configJSON == metadata.configJSON,
                  checkpoint.metadata.labels == metadata.labels else {
                throw ModelFileError(file: url.path, problem: "checkpoint holds a different network or labels than requested")
            }
            network = try build(WeightStore(file: checkpoint.file))
            trainer = ClassifierTrainingLoop(network: network, config: training)
            try trainer.restore(from: checkpoint)
        } else {
            network = try build(WeightStore(seed: training.seed))
            prepare(network, train)
            trainer = ClassifierTrainingLoop(network: network, config: training)
        }
        try trainer.train(train, validation: validation.count > 0 ? validation : nil, checkpoint: outputs.checkpoint,
                          metadata: metadata) { event in
            progress(event)
            if case .epoch = event, let curve = outputs.curve {
                try? TrainingCurves.render(trainer.history).save(to: curve)
            }
        }
        var final = metadata
        final.training = training
        final.history = trainer.history
        final.extra["wall_seconds"] = String(format: "%.1f", trainer.history.reduce(0) { $0 + $1.seconds })
        try ClassifierModel.write(network: network, metadata: final, to: outputs.model)
        if let curve = outputs.curve, !trainer.history.isEmpty { try TrainingCurves.render(trainer.history).save(to: curve) }
        return TrainingSummary(history: trainer.history, trainingSamples: train.count, validationSamples: validation.count,
                               validationAccuracy: trainer.history.last?.validationAccuracy,
                               seconds: Date().timeIntervalSince(start), skipped: skipped)
    }
}

/// The training-curve figure: loss (top) and accuracy (bottom) per epoch, training and validation.
public enum TrainingCurves {
    public static func render(_ history: [EpochRecord], width: Int = 640) -> Image {
        let epochs = history.map { Double($0.epoch) }
        func series(_ name: String, _ values: [Float?], _ color: Int) -> ChartSeries? {
            let points = zip(epochs, values).compactMap { e, v in v.map { (x: e, y: Double($0)) } }
            return points.isEmpty ? nil : ChartSeries(name: name, points: points, color: LineChart.palette[color])
        }
        var loss = LineChart(title: "Loss", xLabel: "epoch", yLabel: "loss", series: [
            series("train", history.map(\.trainLoss), 0), series("validation", history.map(\.validationLoss), 1),
        ].compactMap { $0 })
        var accuracy = LineChart(title: "Accuracy (%)", xLabel: "epoch", yLabel: "%", series: [
            series("train", history.map { $0.trainAccuracy * 100 }, 0),
            series("validation", history.map { $0.validationAccuracy.map { $0 * 100 } }, 1),
        ].compactMap { $0 })
        loss.integerX = true
        accuracy.integerX = true
        return Image.stackedVertically([loss.render(width: width, height: 360), accuracy.render(width: width, height: 360)])
    }
}
