// `nst-bench classifier`: one training epoch of the seeds' CNN on Fashion-MNIST (60 000 images, batch 64, Adam),
// against PyTorch 2.x on this machine (2 threads): 80 s per epoch.
import Classification
import Foundation
import Networks
import NeuralCore

extension Workloads {
    static let classifier = Workload(
        name: "classifier",
        summary: "one epoch of the seeds CNN on Fashion-MNIST, batch 64, Adam (synthetic data if the set is missing)",
        run: { try ClassifierWorkload.run($0, architecture: .seeds) })

    /// The shipped model's recipe (README): `bn-cnn`, batch 64, Adam, flips and 1-px shifts; 12 of these epochs
    /// must fit in the 20-minute training budget.
    static let classifierBN = Workload(
        name: "classifier-bn",
        summary: "one epoch of the shipped bn-cnn on Fashion-MNIST, batch 64, Adam, augmentation (--batches N extrapolates)",
        run: { try ClassifierWorkload.run($0, architecture: .bnCNN) })
}

enum ClassifierWorkload {
    /// PyTorch 2.x, 2 threads, same machine, same network and batch size.
    static let peerSeconds = 80.0

    static func run(_ options: BenchOptions, architecture: FashionArchitecture) throws -> [String: Any] {
        if let threads = options.threads { ComputeThreads.configure(threads: threads) }
        let data: LabeledDataset
        let source: String
        if FashionMNIST.isAvailable() {
            data = try FashionMNIST.load(.train)
            source = "fashion-mnist"
        } else {
            var generator = SeededGenerator(seed: 1)
            data = LabeledDataset(sampleShape: [1, 28, 28], values: (0..<(60_000 * 784)).map { _ in generator.nextFloat(in: 0..<1) },
                                  labels: (0..<60_000).map { $0 % 10 }, classNames: FashionMNIST.classNames)
            source = "synthetic"
        }
        var config = TrainingConfig()
        config.epochs = 1; config.batchSize = 64; config.optimizer = .adam; config.validationSplit = 0
        if architecture == .bnCNN { config.augment = true; config.maxShift = 1 }
        let network = try FashionCNN(config: FashionCNNConfig(architecture: architecture), weights: WeightStore(seed: 1))
        let trainer = ClassifierTrainingLoop(network: network, config: config)
        // `--batches N`: train on the first N·64 images only, and scale the time up to the full epoch's batch count.
        // Batches as ClassifierTrainingLoop counts them: a last partial batch of one sample joins the one before.
        let epochBatches = data.count / 64 + (data.count % 64 >= 2 ? 1 : 0)
        let batches = min(options.batches ?? epochBatches, epochBatches)
        let trained = batches == epochBatches ? data : data.prefix(batches * 64)
        BenchOutput.progress("classifier: \(batches) of \(epochBatches) batches, \(trained.count) images (\(source))…")
        let start = DispatchTime.now().uptimeNanoseconds, cpuStart = Timing.processCPUSeconds()
        try trainer.train(trained, validation: nil, metadata: ModelMetadata(fashion: network.config, labels: data.classNames))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        let cpuSeconds = Timing.processCPUSeconds() - cpuStart
        let scale = Double(epochBatches) / Double(batches)
        let epochSeconds = seconds * scale
        var result: [String: Any] = [
            "architecture": architecture.rawValue, "data": source, "images": trained.count, "batches": batches, "epoch_batches": epochBatches,
            "batch_size": 64, "optimizer": "adam",
            "seconds": BenchOutput.rounded(seconds, 2), "cpu_seconds": BenchOutput.rounded(cpuSeconds, 2),
            // Equal to the measured time for a full epoch; extrapolated by batch count under --batches.
            "epoch_seconds": BenchOutput.rounded(epochSeconds, 2),
            "epoch_cpu_seconds": BenchOutput.rounded(cpuSeconds * scale, 2),
            "images_per_second": BenchOutput.rounded(Double(trained.count) / seconds, 1),
            "train_loss": Double(trainer.history[0].trainLoss),
            "train_accuracy": BenchOutput.rounded(Double(trainer.history[0].trainAccuracy), 4),
            "peak_rss_mb": BenchOutput.peakRSSMegabytes(),
        ]
        if architecture == .seeds {
            result["peer_pytorch_seconds"] = peerSeconds; result["target_seconds"] = 60.0
            result["speedup_vs_peer"] = BenchOutput.rounded(peerSeconds / epochSeconds, 2)
        } else {
            // 12 epochs (the shipped command) in 20 minutes.
            result["budget_epoch_seconds"] = 100.0
            result["twelve_epochs_minutes"] = BenchOutput.rounded(12 * epochSeconds / 60, 1)
        }
        return result
    }
}
