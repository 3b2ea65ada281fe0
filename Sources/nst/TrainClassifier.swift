// `nst train-classifier`: Fashion-MNIST CNNs (--dataset) or VGG16-feature heads on your own images (--image-folder).
import ArgumentParser
import Classification
import Foundation
import Networks
import NeuralCore

extension FashionArchitecture: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension ScheduleKind: ExpressibleByArgument {}

extension NST {
    struct TrainClassifier: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train-classifier",
            abstract: "Train an image classifier on Fashion-MNIST or on a folder of your own images.",
            discussion: """
                --dataset fashion-mnist trains a small CNN on 28×28 gray images. --image-folder DIR trains a linear or \
                MLP head on frozen VGG16 features of DIR/<class>/*.{png,jpg}; features are computed once and cached. \
                Optimisers: sgd (with --momentum, --nesterov), adagrad, rmsprop (--alpha, --momentum, --centered) and \
                adam; --eps applies to the last three, and each has its usual learning rate unless --learning-rate is given. \
                A checkpoint is written after every epoch; --resume continues from it exactly.
                """)

        enum Dataset: String, ExpressibleByArgument, CaseIterable { case fashionMNIST = "fashion-mnist" }

        @Option(help: "Built-in data set to train on (default: none; give this or --image-folder).") var dataset: Dataset?
        @Option(help: ArgumentHelp("Folder with one sub-folder of images per class (default: none; give this or --dataset).", valueName: "dir")) var imageFolder: String?
        @Option(help: ArgumentHelp("Folder holding the Fashion-MNIST IDX files.", valueName: "dir"))
        var dataDir = FashionMNIST.defaultDirectory.path
        @Option(name: .shortAndLong, help: ArgumentHelp("Model file to write (.safetensors).", valueName: "path")) var output: String

        @Option(help: "Fashion-MNIST network: seeds (the classic small CNN) or bn-cnn (batch norm, stronger).")
        var architecture = FashionArchitecture.seeds
        @Option(help: ArgumentHelp("Hidden units of the network's fully connected layer (default: \(FashionCNNConfig(architecture: .seeds).hiddenUnits) seeds, \(FashionCNNConfig(architecture: .bnCNN).hiddenUnits) bn-cnn, \(FeatureClassifierConfig().hidden) (a linear head) on --image-folder).", valueName: "units"))
        var hidden: Int?
        @Option(help: ArgumentHelp("Dropout probability before the last layer (default: \(TrainingConfig.number(FashionCNNConfig(architecture: .seeds).dropout)) for Fashion-MNIST, \(TrainingConfig.number(FeatureClassifierConfig().dropout)) on --image-folder).", valueName: "p")) var dropout: Float?
        @Option(help: ArgumentHelp("Comma-separated VGG16 layers whose pooled features feed the head.", valueName: "layers"))
        var layers = FeatureClassifierConfig().layers.map(\.rawValue).joined(separator: ",")
        @Option(help: ArgumentHelp("Side of the square VGG16 input for --image-folder, in pixels.", valueName: "pixels"))
        var inputSize = FeatureClassifierConfig().inputSize

        @Option(help: "Passes over the training data.") var epochs = TrainingConfig().epochs
        @Option(help: "Samples per optimiser step.") var batchSize = TrainingConfig().batchSize
        @Option(help: ArgumentHelp(Self.optimizerHelp.optimizer)) var optimizer = TrainingConfig().optimizer
        @Option(help: ArgumentHelp(Self.optimizerHelp.learningRate, valueName: "rate")) var learningRate: Float?
        @Option(help: ArgumentHelp(Self.optimizerHelp.momentum)) var momentum: Float?
        @Flag(help: "Nesterov momentum (sgd).") var nesterov = false
        @Option(help: ArgumentHelp(Self.optimizerHelp.alpha)) var alpha: Float?
        @Option(help: ArgumentHelp(Self.optimizerHelp.eps, valueName: "epsilon")) var eps: Float?
        @Flag(help: "rmsprop: scale steps by the gradient's variance instead of its mean square.") var centered = false
        @Option(help: "Learning-rate schedule: constant, step (×gamma every --step-every epochs) or cosine (to 1%).")
        var schedule = TrainingConfig().schedule
        @Option(help: ArgumentHelp("Epochs between decays of the step schedule.", valueName: "epochs")) var stepEvery = TrainingConfig().stepEvery
        @Option(help: "Decay factor of the step schedule.") var gamma = TrainingConfig().gamma
        @Option(help: ArgumentHelp("L2 weight decay coefficient.", valueName: "lambda")) var weightDecay = TrainingConfig().weightDecay
        @Option(help: ArgumentHelp("Fraction of the training data held out for validation, 0 to <1.", valueName: "fraction"))
        var validationSplit = TrainingConfig().validationSplit
        @Flag(inversion: .prefixedNo, help: "Random flips and shifts of training images (Fashion-MNIST only).")
        var augment = false
        @Option(help: ArgumentHelp("Largest augmentation shift, in pixels.", valueName: "pixels")) var maxShift = TrainingConfig().maxShift
        @Option(help: "Seeds weights, split, shuffling, augmentation and dropout.") var seed = TrainingConfig().seed
        @Option(help: ArgumentHelp("Use only the first N training images, for quick runs (default: all).", valueName: "n")) var limit: Int?

        @OptionGroup var checkpointing: CheckpointOptions
        @Option(help: ArgumentHelp("Training-curve PNG (default: <output without extension>-curve.png).", valueName: "path"))
        var curve: String?
        @Flag(help: "Write no training curve.") var noCurve = false
        @Option(help: ArgumentHelp("Folder for cached VGG16 features (default: ~/.cache/nst).", valueName: "dir"))
        var featureCache: String?
        @Flag(help: "Compute the VGG16 features afresh and cache nothing.") var noFeatureCache = false
        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard (dataset == nil) != (imageFolder == nil) else {
                throw ValidationError("give exactly one of --dataset fashion-mnist or --image-folder <dir>")
            }
            guard epochs >= 1, batchSize >= 1 else { throw ValidationError("--epochs and --batch-size must be at least 1") }
            if let learningRate, !(learningRate > 0 && learningRate.isFinite) { throw ValidationError("--learning-rate must be positive") }
            try validateOptimizerOptions()
            guard validationSplit >= 0, validationSplit < 1 else { throw ValidationError("--validation-split must be in 0..<1") }
            guard limit.map({ $0 >= 2 }) ?? true else { throw ValidationError("--limit must be at least 2") }
            if let dropout, !(0..<1).contains(dropout) { throw ValidationError("--dropout must be in 0..<1") }
            _ = try VGGLayer.parseList(layers)
            try rejectIgnoredOptions()
        }

        /// Help texts stating each rule's defaults from the values the code uses.
        static let optimizerHelp = (
            optimizer: "Update rule: SGD (plain, momentum or Nesterov), AdaGrad, RMSProp or Adam.",
            learningRate: "Base step size (default: the optimiser's usual rate, "
                + OptimizerKind.allCases.map { "\($0.rawValue) \(TrainingConfig.number($0.usualLearningRate))" }.joined(separator: ", ") + ").",
            momentum: "Momentum of sgd (default \(TrainingConfig.number(OptimizerKind.sgd.defaultMomentum))) or rmsprop (default "
                + "\(TrainingConfig.number(OptimizerKind.rmsprop.defaultMomentum))).",
            alpha: "Smoothing constant of rmsprop's moving averages (default \(TrainingConfig.number(RMSProp.defaultAlpha))).",
            eps: "Denominator guard of " + OptimizerKind.allCases.compactMap { kind in
                kind.defaultEpsilon.map { "\(kind.rawValue) (default \(TrainingConfig.number($0)))" } }.joined(separator: ", ") + ".")

        /// Each optimiser option applies to some rules only; giving it to another is a mistake worth saying.
        func validateOptimizerOptions() throws {
            func only(_ option: String, _ given: Bool, _ kinds: [OptimizerKind]) throws {
                guard given, !kinds.contains(optimizer) else { return }
                throw ValidationError("\(option) applies to --optimizer \(kinds.map(\.rawValue).joined(separator: " or ")) only")
            }
            try only("--momentum", momentum != nil, OptimizerKind.allCases.filter(\.usesMomentum))
            try only("--nesterov", nesterov, [.sgd])
            try only("--alpha", alpha != nil, [.rmsprop])
            try only("--centered", centered, [.rmsprop])
            try only("--eps", eps != nil, OptimizerKind.allCases.filter { $0.defaultEpsilon != nil })
            if let momentum, !(momentum >= 0 && momentum.isFinite) { throw ValidationError("--momentum must be 0 or more") }
            if nesterov, (momentum ?? optimizer.defaultMomentum) == 0 { throw ValidationError("--nesterov needs a momentum above 0") }
            if let alpha, !(0..<1).contains(alpha) { throw ValidationError("--alpha must be in 0..<1") }
            if let eps, !(eps > 0 && eps.isFinite) { throw ValidationError("--eps must be positive") }
        }

        func run() throws {
            let reporter = Reporter(outputOptions)
            try checkWritable(output)
            try checkpointing.checkNotOverwritten(output: output)
            var training = TrainingConfig()
            training.epochs = epochs; training.batchSize = batchSize
            training.useOptimizer(optimizer, learningRate: learningRate, momentum: momentum, nesterov: nesterov, alpha: alpha,
                                  epsilon: eps, centered: centered)
            training.schedule = schedule
            training.stepEvery = stepEvery; training.gamma = gamma; training.weightDecay = weightDecay
            training.validationSplit = validationSplit; training.seed = seed; training.augment = augment
            training.maxShift = maxShift
            let model = URL(fileURLWithPath: output)
            let outputs = TrainingOutputs(
                model: model, checkpoint: URL(fileURLWithPath: checkpointing.path(output: output)),
                curve: try sideOutput(curve, off: noCurve, option: "--curve", beside: output, suffix: "-curve.png"))
            let extra = ["command": RecordedCommand.string()]
            let progress = TrainingProgress(reporter: reporter, epochs: epochs)
            let summary: TrainingSummary
            if let imageFolder {
                var head = FeatureClassifierConfig(layers: try VGGLayer.parseList(layers), inputSize: inputSize, hidden: hidden ?? 0)
                if let dropout { head.dropout = dropout }
                let cache = try defaultedPath(featureCache, off: noFeatureCache, option: "--feature-cache",
                                              default: FeatureCache.defaultDirectory.path)
                summary = try ClassifierTraining.imageFolder(URL(fileURLWithPath: imageFolder), head: head, training: training,
                                                             outputs: outputs, resume: checkpointing.resume, cacheDirectory: cache,
                                                             extra: extra, progress: progress.handle)
            } else {
                var network = FashionCNNConfig(architecture: architecture, hidden: hidden)
                if let dropout { network.dropout = dropout }
                summary = try ClassifierTraining.fashionMNIST(dataDirectory: URL(fileURLWithPath: dataDir), network: network,
                                                              training: training, outputs: outputs, resume: checkpointing.resume, limit: limit,
                                                              extra: extra, progress: progress.handle)
            }
            if !summary.skipped.isEmpty { reporter.warn("\(summary.skipped.count) unreadable image(s) skipped") }
            reporter.note("wrote \(output)" + (outputs.curve.map { " and \($0.path)" } ?? ""))
            let last = summary.history.last
            reporter.summary([
                "model": output, "epochs": summary.history.count, "seconds": summary.seconds,
                "train_samples": summary.trainingSamples, "validation_samples": summary.validationSamples,
                "train_accuracy": last.map { Double($0.trainAccuracy) } ?? NSNull(),
                "validation_accuracy": summary.validationAccuracy.map { Double($0) } ?? NSNull(),
                "skipped": summary.skipped.map { ["file": $0.file, "reason": $0.reason] },
                "epoch_seconds": summary.history.map(\.seconds),
            ])
        }
    }
}

/// Turns training events into progress lines with loss, accuracy and ETA.
final class TrainingProgress {
    let reporter: Reporter
    let epochs: Int
    private var epochStart = Date()
    private var epochSeconds: [Double] = []

    init(reporter: Reporter, epochs: Int) { self.reporter = reporter; self.epochs = epochs }

    func handle(_ event: TrainingEvent) {
        switch event {
        case .batch(let epoch, let batch, let batches, let loss, let accuracy):
            if batch == 1 { epochStart = Date() }
            let elapsed = Date().timeIntervalSince(epochStart)
            let perEpoch = epochSeconds.last ?? elapsed / Double(batch) * Double(batches)
            let eta = elapsed / Double(batch) * Double(batches - batch) + perEpoch * Double(epochs - epoch)
            reporter.progress(String(format: "epoch %d/%d  batch %d/%d  loss %.4f  acc %.2f%%  ETA %@", epoch, epochs, batch,
                                     batches, loss, accuracy * 100, formatDuration(eta)))
        case .epoch(let r, _):
            epochSeconds.append(r.seconds)
            var line = String(format: "epoch %d/%d  loss %.4f  acc %.2f%%", r.epoch, epochs, r.trainLoss, r.trainAccuracy * 100)
            if let vl = r.validationLoss, let va = r.validationAccuracy {
                line += String(format: "  val loss %.4f  val acc %.2f%%", vl, va * 100)
            }
            line += String(format: "  lr %.2g  %@  ETA %@", r.learningRate, formatDuration(r.seconds),
                           formatDuration(r.seconds * Double(epochs - r.epoch)))
            reporter.progress(line, final: true)
        case .resumed(let done):
            reporter.note("resuming after epoch \(done)")
        case .features(let done, let total):
            reporter.progress("VGG16 features \(done)/\(total)", final: done == total)
        case .note(let text):
            reporter.note(text)
        }
    }
}

extension NST.TrainClassifier {
    /// Options the chosen data source or optimiser would not read are errors, not silence. An option counts as given
    /// when it differs from its default (ArgumentParser does not say whether a defaulted option was typed).
    func rejectIgnoredOptions() throws {
        let head = FeatureClassifierConfig(), training = TrainingConfig()
        let ignored: [(name: String, given: Bool, reason: String)] = [
            ("--layers", dataset != nil && layers != head.layers.map(\.rawValue).joined(separator: ","), "applies only with --image-folder"),
            ("--input-size", dataset != nil && inputSize != head.inputSize, "applies only with --image-folder"),
            ("--feature-cache", dataset != nil && featureCache != nil, "applies only with --image-folder"),
            ("--no-feature-cache", dataset != nil && noFeatureCache, "applies only with --image-folder"),
            ("--architecture", imageFolder != nil && architecture != .seeds, "applies only with --dataset fashion-mnist"),
            ("--augment", imageFolder != nil && augment, "applies only with --dataset fashion-mnist (images, not features)"),
            ("--max-shift", imageFolder != nil && maxShift != training.maxShift, "applies only with --dataset fashion-mnist"),
            ("--limit", imageFolder != nil && limit != nil, "applies only with --dataset fashion-mnist"),
            ("--step-every", schedule != .step && stepEvery != training.stepEvery, "applies only with --schedule step"),
            ("--gamma", schedule != .step && gamma != training.gamma, "applies only with --schedule step"),
        ]
        if let option = ignored.first(where: \.given) { throw ValidationError("\(option.name) \(option.reason)") }
    }
}
