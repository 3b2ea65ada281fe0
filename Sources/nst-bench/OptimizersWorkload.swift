// `nst-bench optimizers`: the lecture's five update rules (SGD, SGD with momentum, AdaGrad, RMSProp, Adam) each train
// the seeds' CNN on Fashion-MNIST for two epochs from the same initial weights, split and batch order. Prints the
// figures as JSON; with `--out DIR` also writes the figure and a Markdown page with the table (scripts/compare-optimizers
// runs it with `--out docs`). Its results are accuracies and losses, not timings, so machine load does not change them.
import Classification
import Foundation
import ImageIO
import Networks
import NeuralCore

extension Workloads {
    static let optimizers = Workload(
        name: "optimizers",
        summary: "sgd, momentum, adagrad, rmsprop and adam train the seeds CNN on Fashion-MNIST for 2 epochs each "
            + "(--out DIR writes the figure and table; --batches N uses N·64 images, a quick check)",
        run: OptimizersWorkload.run)
}

enum OptimizersWorkload {
    static let epochs = 2, batchSize = 64, seed: UInt64 = 1
    /// File names under `--out`.
    static let figureName = "optimizers-fashion-mnist.png", pageName = "optimizers-fashion-mnist.md"

    static func run(_ options: BenchOptions) throws -> [String: Any] {
        guard FashionMNIST.isAvailable() else {
            throw BenchError(description: "Fashion-MNIST is not installed in \(FashionMNIST.defaultDirectory.path) (scripts/bootstrap)")
        }
        let limit = options.batches.map { $0 * batchSize }
        let data = try FashionMNIST.load(.train, limit: limit)
        let test = try FashionMNIST.load(.test, limit: limit)
        var base = TrainingConfig()
        base.epochs = epochs; base.batchSize = batchSize; base.seed = seed
        let network = FashionCNNConfig(architecture: .seeds)
        var lastLine = Date.distantPast
        let runs = try OptimizerComparison.run(
            OptimizerComparison.lectureRules(base: base), data: data, test: test,
            metadata: ModelMetadata(fashion: network, labels: data.classNames),
            build: { try FashionCNN(config: network, weights: WeightStore(seed: seed)) }) { name, event in
            switch event {
            case .batch(let epoch, let batch, let batches, let loss, let accuracy) where Date().timeIntervalSince(lastLine) >= 10:
                BenchOutput.progress(String(format: "optimizers: %@ epoch %d/%d batch %d/%d loss %.4f acc %.2f%%", name, epoch, epochs,
                                            batch, batches, loss, accuracy * 100))
                lastLine = Date()
            case .epoch(let r, _):
                BenchOutput.progress(String(format: "optimizers: %@ epoch %d/%d loss %.4f val acc %.2f%%", name, r.epoch, epochs,
                                            r.trainLoss, (r.validationAccuracy ?? 0) * 100))
            default:
                break
            }
        }
        if let out = options.out {
            let folder = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try OptimizerComparison.render(runs, classes: data.classNames.count).save(to: folder.appendingPathComponent(figureName))
            try Data(page(runs, trainingImages: data.count, testImages: test.count, limit: limit).utf8)
                .write(to: folder.appendingPathComponent(pageName), options: .atomic)
            BenchOutput.progress("optimizers: wrote \(folder.appendingPathComponent(figureName).path) and \(pageName)")
        }
        return [
            "epochs": epochs, "batch_size": batchSize, "seed": Int(seed), "images": data.count, "test_images": test.count,
            "runs": runs.map { run -> [String: Any] in
                [
                    "name": run.name, "optimizer": run.training.optimizerDescription,
                    "validation_accuracy": run.history.map { Double($0.validationAccuracy ?? .nan) },
                    "validation_loss": run.history.map { Double($0.validationLoss ?? .nan) },
                    "train_loss": run.history.map { Double($0.trainLoss) },
                    "test_accuracy": run.testAccuracy.map { Double($0) } ?? NSNull(),
                ]
            },
        ]
    }

    /// The Markdown page beside the figure: how it was made, the picture, the table, and each run as a CLI command.
    static func page(_ runs: [OptimizerRun], trainingImages: Int, testImages: Int, limit: Int?) -> String {
        let split = runs.first?.training.validationSplit ?? 0
        let validation = Int((Double(trainingImages) * split).rounded())
        let date = ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withFullDate])
        let commands = runs.map { run -> String in
            let t = run.training
            var line = "nst train-classifier --dataset fashion-mnist -o \(run.name).safetensors --architecture seeds "
                + "--epochs \(t.epochs) --batch-size \(t.batchSize) --seed \(t.seed) --optimizer \(t.optimizer.rawValue) "
                + "--learning-rate \(TrainingConfig.number(t.learningRate))"
            if t.optimizer == .sgd { line += " --momentum \(TrainingConfig.number(t.momentum))" }
            if let limit { line += " --limit \(limit)" }
            return line
        }
        let first = runs.first?.training ?? TrainingConfig()
        return """
            # Five update rules on Fashion-MNIST

            Made by `scripts/compare-optimizers` (`nst-bench optimizers --out docs`) on \(date). Every rule trains the seeds'
            CNN (conv32 5×5 → pool → conv64 5×5 → pool → FC1024 → dropout → FC10) for \(first.epochs) epochs with batch \(first.batchSize),
            a constant learning rate and seed \(first.seed): the same initial weights, the same \(trainingImages - validation) training and
            \(validation) validation images, the same batches in the same order. Only the update rule and its learning rate (each
            rule's usual one) differ. Test accuracy is on \(testImages) test images after the last epoch.

            ![Validation accuracy per epoch and training loss per tenth of an epoch for the five rules](\(figureName))

            \(OptimizerComparison.table(runs))
            The same runs from the command line (identical settings, split and batch order):

            ```sh
            \(commands.joined(separator: "\n"))
            ```

            """
    }
}
