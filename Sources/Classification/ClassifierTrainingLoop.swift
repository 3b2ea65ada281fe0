// The training loop for any ClassifierNetwork: seeded shuffling, optional augmentation, softmax cross-entropy,
// SGD, AdaGrad, RMSProp or Adam with a schedule, validation after each epoch, and an atomic checkpoint after each epoch.
import Foundation
import Networks
import NeuralCore

/// What the trainer reports while it runs.
public enum TrainingEvent {
    /// A batch finished: running mean loss and accuracy of the epoch so far.
    case batch(epoch: Int, batch: Int, batches: Int, loss: Float, accuracy: Float)
    /// An epoch finished (1-based `record.epoch` of `epochs`).
    case epoch(EpochRecord, epochs: Int)
    /// Training continues from a checkpoint after `completedEpochs` epochs.
    case resumed(completedEpochs: Int)
    /// VGG features computed for `done` of `total` images (image-folder training).
    case features(done: Int, total: Int)
    /// Something worth a line of its own (data set sizes, cache use, skipped files).
    case note(String)
}

/// Training stopped because the loss became NaN or infinite. Description: one line naming the epoch and what was kept.
public struct TrainingDivergedError: Error, CustomStringConvertible {
    public let epoch: Int, batch: Int
    public let loss: Float
    public let checkpoint: URL?
    /// Epochs whose checkpoint is intact.
    public let lastGoodEpoch: Int
    public var description: String {
        let kept = checkpoint.map { lastGoodEpoch > 0 ? "; \($0.path) still holds epoch \(lastGoodEpoch)" : "; \($0.path) was not written" } ?? ""
        return "training diverged: the loss is \(loss) at epoch \(epoch), batch \(batch) (lower --learning-rate)\(kept)"
    }
}

/// Trains one network with one `TrainingConfig`. Deterministic for a given seed: every epoch draws its shuffle,
/// augmentation and dropout from a generator seeded by (seed, epoch), so a resumed run matches an uninterrupted one.
public final class ClassifierTrainingLoop {
    public let network: ClassifierNetwork
    public let config: TrainingConfig
    /// Finished epochs, oldest first (restored from a checkpoint on resume).
    public private(set) var history: [EpochRecord] = []
    let optimizer: Optimizer
    let parameters: [Tensor]

    public init(network: ClassifierNetwork, config: TrainingConfig) {
        self.network = network
        self.config = config
        parameters = network.trainableParameters
        optimizer = config.makeOptimizer(parameters: parameters)
    }

    /// Number of completed epochs.
    public var completedEpochs: Int { history.count }

    /// Restores optimiser state and history from a checkpoint whose model tensors the network was built from.
    /// Throws `ModelFileError` when the checkpoint was written with other training settings.
    public func restore(from checkpoint: TrainingCheckpoint) throws {
        guard checkpoint.training.isResumable(as: config) else {
            throw ModelFileError(file: checkpoint.url.path, problem:
                "checkpoint was written with other training settings (only --epochs may change on --resume)")
        }
        guard checkpoint.history.count <= config.epochs else {
            throw ModelFileError(file: checkpoint.url.path, problem: "checkpoint has done \(checkpoint.history.count) epochs, "
                + "more than --epochs \(config.epochs) (give --epochs \(checkpoint.history.count + 1) or more to train longer)")
        }
        try OptimizerState.load(checkpoint.optimizerTensors, into: optimizer, file: checkpoint.url.path)
        history = checkpoint.history
    }

    /// Trains until `config.epochs` epochs are complete (or `stopAfter` epochs, to simulate an interruption).
    /// After each epoch, writes `checkpoint` (model + optimiser + history + `metadata`) atomically if given.
    public func train(_ data: LabeledDataset, validation: LabeledDataset?, checkpoint: URL? = nil,
                      metadata: ModelMetadata, stopAfter: Int? = nil,
                      progress: (TrainingEvent) -> Void = { _ in }) throws {
        precondition(data.count >= 1, "train: empty training set")
        let batchSize = max(1, min(config.batchSize, data.count))
        // A final batch of one sample would give batch norm a zero variance; fold it into the previous one.
        var batches = data.count / batchSize
        if data.count % batchSize >= 2 || batches == 0 { batches += 1 }
        let schedule = config.learningRateSchedule(stepsPerEpoch: batches)
        if completedEpochs > 0 { progress(.resumed(completedEpochs: completedEpochs)) }
        let lastEpoch = min(config.epochs, stopAfter ?? config.epochs)
        let size = data.sampleSize
        var batchValues = [Float](repeating: 0, count: (batchSize + 1) * size)
        var scratch = [Float](repeating: 0, count: size)
        let imageShape = data.sampleShape.count == 3 ? data.sampleShape : nil

        for epoch in completedEpochs..<lastEpoch {
            let start = Date()
            var generator = SeededGenerator(seed: config.seed &+ UInt64(epoch + 1) &* 0x9E37_79B9_7F4A_7C15)
            var order = Array(0..<data.count)
            order.shuffle(using: &generator)
            var lossSum: Double = 0, correct = 0, seen = 0
            for b in 0..<batches {
                let lower = b * batchSize
                let upper = b == batches - 1 ? data.count : lower + batchSize
                let n = upper - lower
                let labels = (lower..<upper).map { data.labels[order[$0]] }
                batchValues.withUnsafeMutableBufferPointer { dst in
                    data.values.withUnsafeBufferPointer { src in
                        for k in 0..<n {
                            (dst.baseAddress! + k * size).update(from: src.baseAddress! + order[lower + k] * size, count: size)
                        }
                    }
                    if config.augment, let s = imageShape {
                        scratch.withUnsafeMutableBufferPointer { tmp in
                            Augmentation.apply(to: dst.baseAddress!, scratch: tmp.baseAddress!, n: n, channels: s[0],
                                               height: s[1], width: s[2], maxShift: config.maxShift, generator: &generator)
                        }
                    }
                }
                let x = Tensor(shape: [n] + data.sampleShape, data: Array(batchValues[0..<(n * size)]))
                optimizer.learningRate = schedule.rate(base: config.learningRate, step: epoch * batches + b)
                let logits = network.logits(x, mode: .training, generator: &generator)
                let loss = logits.softmaxCrossEntropy(labels: labels)
                // A diverged run stops here, before the step that would spread NaN into the weights and before any
                // checkpoint is written, so the last good checkpoint stays as it was.
                guard loss.item().isFinite else {
                    throw TrainingDivergedError(epoch: epoch + 1, batch: b + 1, loss: loss.item(), checkpoint: checkpoint,
                                                lastGoodEpoch: completedEpochs)
                }
                loss.backward()
                optimizer.step()
                optimizer.zeroGrad()
                lossSum += Double(loss.item()) * Double(n)
                correct += BatchInference.correctCount(logits: logits.data, classes: network.classes, labels: labels)
                seen += n
                progress(.batch(epoch: epoch + 1, batch: b + 1, batches: batches, loss: Float(lossSum / Double(seen)),
                                accuracy: Float(correct) / Float(seen)))
            }
            var record = EpochRecord(epoch: epoch + 1, trainLoss: Float(lossSum / Double(seen)),
                                     trainAccuracy: Float(correct) / Float(seen), validationLoss: nil,
                                     validationAccuracy: nil, learningRate: optimizer.learningRate, seconds: 0)
            if let validation, validation.count > 0 {
                let result = BatchInference.evaluate(network, on: validation)
                record.validationLoss = result.loss
                record.validationAccuracy = result.accuracy
            }
            record.seconds = Date().timeIntervalSince(start)
            history.append(record)
            if let checkpoint { try writeCheckpoint(to: checkpoint, metadata: metadata) }
            progress(.epoch(record, epochs: config.epochs))
        }
    }

    /// Writes model tensors, optimiser state ("optimizer.*"), settings and history to `url` atomically.
    public func writeCheckpoint(to url: URL, metadata: ModelMetadata) throws {
        var meta = metadata
        meta.training = config
        meta.history = history
        var file = meta.modelFile(tensors: network.namedTensors())
        file.addOptimizerState(of: optimizer)
        try file.write(to: url)
    }
}
