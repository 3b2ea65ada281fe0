// The lecture's comparison of update rules: one network, one data split, one seed, trained once with each of SGD,
// SGD with momentum, AdaGrad, RMSProp and Adam. Draws validation accuracy per epoch and the training loss per stretch
// of an epoch (a tenth by default) for all of them in one figure, and tabulates the final figures in Markdown.
import Foundation
import ImageIO
import Networks
import NeuralCore

/// One rule's run in the comparison.
public struct OptimizerRun {
    /// Short name in the legend and the table ("sgd", "momentum", …).
    public var name: String
    public var training: TrainingConfig
    /// Finished epochs.
    public var history: [EpochRecord] = []
    /// Mean training loss over each stretch of batches, ending at `epoch` (fractional: 0.1 is a tenth of the first).
    public var lossCurve: [(epoch: Double, loss: Double)] = []
    /// Accuracy and loss on the test set after the last epoch (nil without one).
    public var testAccuracy: Float?, testLoss: Float?

    public init(name: String, training: TrainingConfig) { self.name = name; self.training = training }
}

public enum OptimizerComparison {
    /// The five rules of the lecture at their usual learning rates (`OptimizerKind.usualLearningRate`), otherwise
    /// `base`'s settings: plain SGD, SGD with momentum 0.9, AdaGrad, RMSProp and Adam with PyTorch's defaults.
    public static func lectureRules(base: TrainingConfig) -> [OptimizerRun] {
        func rule(_ name: String, _ kind: OptimizerKind, momentum: Float? = nil) -> OptimizerRun {
            var training = base
            training.useOptimizer(kind, momentum: momentum)
            return OptimizerRun(name: name, training: training)
        }
        return [rule("sgd", .sgd, momentum: 0), rule("momentum", .sgd, momentum: 0.9), rule("adagrad", .adagrad),
                rule("rmsprop", .rmsprop), rule("adam", .adam)]
    }

    /// Trains a fresh network from `build` (same seed every time) with each run's settings on `data`'s training part,
    /// validating on the held-out part after each epoch (split by the first run's seed, so all runs see the same
    /// split), then evaluates on `test` if given. `lossPoints` training-loss means are recorded per epoch. `metadata`
    /// describes the network (the trainer wants it; no file is written).
    public static func run(_ runs: [OptimizerRun], data: LabeledDataset, test: LabeledDataset?, lossPoints: Int = 10,
                           metadata: ModelMetadata, build: () throws -> ClassifierNetwork,
                           progress: (_ run: String, TrainingEvent) -> Void = { _, _ in }) throws -> [OptimizerRun] {
        guard let first = runs.first else { return [] }
        let (train, validation) = data.split(validationFraction: first.training.validationSplit, seed: first.training.seed)
        return try runs.map { run in
            var run = run
            let network = try build()
            let trainer = ClassifierTrainingLoop(network: network, config: run.training)
            var curve = LossCurve(samples: train.count, batchSize: run.training.batchSize, points: lossPoints)
            let name = run.name
            try trainer.train(train, validation: validation.count > 0 ? validation : nil, metadata: metadata) { event in
                if case .batch(let epoch, let batch, let batches, let loss, _) = event {
                    curve.add(epoch: epoch, batch: batch, batches: batches, runningMean: loss)
                }
                progress(name, event)
            }
            run.history = trainer.history
            run.lossCurve = curve.points
            if let test, test.count > 0 {
                let result = BatchInference.evaluate(network, on: test)
                run.testAccuracy = result.accuracy
                run.testLoss = result.loss
            }
            return run
        }
    }

    /// Validation accuracy per epoch (top) and training loss per stretch of an epoch (bottom), one line per run. The
    /// loss axis stops 10% above chance level (ln `classes`, where every network starts): the adaptive rules' first
    /// steps move every weight by about the learning rate and can throw the first stretch's loss far above it, which
    /// would flatten all the rest.
    public static func render(_ runs: [OptimizerRun], classes: Int, width: Int = 800) -> Image {
        func color(_ i: Int) -> RGBColor { LineChart.palette[i % LineChart.palette.count] }
        var accuracy = LineChart(title: "Validation accuracy (%)", xLabel: "epoch", yLabel: "%", series: runs.enumerated().map { i, run in
            ChartSeries(name: run.name, points: run.history.compactMap { r in r.validationAccuracy.map { (Double(r.epoch), Double($0) * 100) } },
                        color: color(i))
        })
        accuracy.integerX = true
        let perEpoch = runs.first.map { run in run.lossCurve.filter { $0.epoch <= 1 }.count } ?? 0
        let ceiling = 1.1 * log(Double(max(classes, 2)))
        let highest = runs.flatMap { $0.lossCurve.map(\.loss) }.filter(\.isFinite).max() ?? ceiling
        let cut = highest > ceiling ? String(format: " (cut at %.2f)", ceiling) : ""
        var loss = LineChart(title: "Training loss per 1/\(perEpoch) epoch" + cut, xLabel: "epoch", yLabel: "loss",
                             series: runs.enumerated().map { i, run in
            ChartSeries(name: run.name, points: run.lossCurve.map { (x: $0.epoch, y: $0.loss) }, color: color(i))
        })
        loss.yRange = 0...min(ceiling, highest * 1.05)
        return Image.stackedVertically([accuracy.render(width: width, height: 360), loss.render(width: width, height: 400)])
    }

    /// A Markdown table: rule, settings, validation accuracy after each epoch, final validation and training loss,
    /// and test accuracy when measured.
    public static func table(_ runs: [OptimizerRun]) -> String {
        let epochs = runs.map(\.history.count).max() ?? 0
        let withTest = runs.contains { $0.testAccuracy != nil }
        var header = ["rule", "settings"] + (1...max(epochs, 1)).map { "val. accuracy, epoch \($0)" }
        header += ["val. loss", "train loss (last epoch)"] + (withTest ? ["test accuracy"] : [])
        var lines = ["| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in " --- |" }.joined()]
        func percent(_ x: Float?) -> String { x.map { String(format: "%.2f %%", Double($0) * 100) } ?? "–" }
        func value(_ x: Float?) -> String { x.map { String(format: "%.4f", Double($0)) } ?? "–" }
        for run in runs {
            var cells = [run.name, run.training.optimizerDescription]
            cells += (0..<max(epochs, 1)).map { $0 < run.history.count ? percent(run.history[$0].validationAccuracy) : "–" }
            cells += [value(run.history.last?.validationLoss), value(run.history.last?.trainLoss)]
            if withTest { cells.append(percent(run.testAccuracy)) }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Turns the trainer's running mean of the epoch's loss into the mean over each of `stretches` equal stretches of an
/// epoch's batches. Batch b before the last has seen b · batchSize samples, the last all of them (ClassifierTrainingLoop's
/// batching), so the running means give exact sums.
struct LossCurve {
    let samples: Int, batchSize: Int, stretches: Int
    /// (epoch + fraction of the next one done, mean loss over the stretch ending there).
    private(set) var points: [(epoch: Double, loss: Double)] = []
    private var previous = (seen: 0, sum: 0.0)

    init(samples: Int, batchSize: Int, points: Int) {
        self.samples = samples; self.batchSize = max(1, min(batchSize, samples)); stretches = max(1, points)
    }

    /// Takes the trainer's `.batch` event: batch `batch` (1-based) of `batches` in 1-based `epoch`.
    mutating func add(epoch: Int, batch: Int, batches: Int, runningMean: Float) {
        if batch == 1 { previous = (0, 0) }
        let ends = (1...stretches).map { max(1, Int((Double($0) * Double(batches) / Double(stretches)).rounded())) }
        guard ends.contains(batch) else { return }
        let seen = batch == batches ? samples : batch * batchSize
        let sum = Double(runningMean) * Double(seen)
        points.append((Double(epoch - 1) + Double(batch) / Double(batches), (sum - previous.sum) / Double(seen - previous.seen)))
        previous = (seen, sum)
    }
}
