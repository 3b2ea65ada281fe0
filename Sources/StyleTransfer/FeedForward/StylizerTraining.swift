// Training a feed-forward stylizer (Johnson et al. 2016), top to bottom: random photo crops → TransformerNet → VGG16
// perceptual loss against the crops (content) and the painting's Gram matrices (style) + total variation → Adam.
// Every `checkpointEvery` steps the network and optimiser state are written atomically (and a preview painted);
// `resume` continues from that file and reproduces the same batches, so an interrupted run ends where a whole one does.
import Foundation
import ImageIO
import NeuralCore
import Networks

public enum StylizerTrainingEvent {
    /// Training photos are loaded (skipped files listed).
    case loaded(images: Int, skipped: [(file: String, reason: String)])
    /// Continuing from a checkpoint after `iteration` steps.
    case resumed(iteration: Int)
    /// A step finished; losses are unweighted, averaged over the steps since the last record.
    case step(iteration: Int, iterations: Int, loss: LossRecord, elapsed: Double, eta: Double)
    /// A checkpoint (and preview, if asked for) was written.
    case checkpoint(iteration: Int, preview: URL?)
}

/// Where a training run reads and writes.
public struct StylizerTrainingFiles {
    public var style: URL
    /// Folders of training photos, each searched recursively.
    public var contentFolders: [URL]
    public var output: URL
    /// Written every `checkpointEvery` steps and after the last; nil: none.
    public var checkpoint: URL?
    public var checkpointEvery: Int
    /// A photo painted at every checkpoint into `<output stem>-preview-<step>.jpg`; nil: none.
    public var preview: URL?
    /// Loss-curve PNG written at the end (and at checkpoints); nil: none.
    public var curve: URL?
    /// Training photo file names to leave out (e.g. the held-out evaluation photos).
    public var excluded: Set<String> = []
    /// A stylizer whose weights a fresh run starts from (fine-tuning), instead of a seeded initialisation; its network
    /// settings must equal the run's. Its file name is recorded as `initialModel` in the settings.
    public var initialModel: URL? = nil

    public init(style: URL, contentFolders: [URL], output: URL, checkpoint: URL?, checkpointEvery: Int, preview: URL?, curve: URL?) {
        self.style = style; self.contentFolders = contentFolders; self.output = output; self.checkpoint = checkpoint
        self.checkpointEvery = checkpointEvery; self.preview = preview; self.curve = curve
    }
}

public struct StylizerTrainingResult {
    public var metadata: StylizerMetadata
    /// Wall time of this invocation.
    public var seconds: Double
    public var skipped: [(file: String, reason: String)]
}

public enum StylizerTraining {
    /// Losses are averaged and recorded every this many steps (history in the file, loss curve, progress).
    static let recordEvery = 10

    /// Trains (or, with `resume`, continues) a stylizer and writes the model, checkpoint, previews and curve.
    /// `epochs`, if given, replaces `config.iterations` by epochs × ⌈usable photos / batch⌉. `stopAfter` ends early after that many steps in all (for tests of interruption). Throws for unreadable
    /// inputs, bad settings, a checkpoint from other settings, and write failures (the previous checkpoint survives).
    public static func run(config requested: StylizerTrainingConfig, files: StylizerTrainingFiles, resume: Bool, vgg: VGG16Features,
                           epochs: Int? = nil, command: String? = nil, stopAfter: Int? = nil,
                           progress: (StylizerTrainingEvent) -> Void = { _ in }) throws -> StylizerTrainingResult {
        if let problem = requested.problem { throw StyleTransferError.badConfig(problem) }
        let start = Date()
        let style = try Image.load(files.style).rgb()
        guard style.width >= 16 && style.height >= 16 else {
            throw StyleTransferError.imageTooSmall(files.style.path, width: style.width, height: style.height)
        }
        let previewPhoto = try files.preview.map { try Image.load($0).rgb().resized(longestSide: 512) }
        let photos = try ContentImages(folders: files.contentFolders, cropSize: requested.imageSize, excluding: files.excluded)
        progress(.loaded(images: photos.images.count, skipped: photos.skipped))
        var config = requested
        if !resume { config.initialModel = files.initialModel?.lastPathComponent }
        if let epochs { config.iterations = epochs * ((photos.images.count + config.batchSize - 1) / config.batchSize) }

        // The network and optimiser, fresh or from the checkpoint.
        var metadata = StylizerMetadata(architecture: config.architecture, style: files.style.lastPathComponent, training: config,
                                        iterationsDone: 0, contentImages: photos.images.count, seconds: 0, history: [],
                                        command: command)
        let network: TransformerNet
        let optimizer: Adam
        if resume {
            guard let url = files.checkpoint else { throw StylizerFileError(file: files.output.path, problem: "--resume needs a checkpoint") }
            let (saved, file) = try StylizerModel.read(url)
            guard saved.metadata.training.isResumable(as: config), saved.metadata.style == metadata.style else {
                throw StylizerFileError(file: url.path, problem:
                    "checkpoint was trained with other settings or another style (only --iterations/--epochs may change on --resume)")
            }
            network = saved.network
            optimizer = Adam(parameters: network.parameters, learningRate: config.learningRate)
            try file.restoreOptimizer(optimizer, path: url.path)
            guard saved.metadata.iterationsDone <= config.iterations else {
                throw StylizerFileError(file: url.path, problem: "checkpoint has done \(saved.metadata.iterationsDone) steps, "
                    + "more than the \(config.iterations) asked for (ask for more --iterations or --epochs to train longer)")
            }
            metadata.iterationsDone = saved.metadata.iterationsDone
            metadata.seconds = saved.metadata.seconds
            metadata.history = saved.metadata.history
            progress(.resumed(iteration: metadata.iterationsDone))
        } else if let url = files.initialModel {
            let (start, _) = try StylizerModel.read(url)
            guard start.metadata.training.hasNetwork(of: config) else {
                throw StylizerFileError(file: url.path, problem: "its network (architecture, output stage, upsampling, noise) differs from this run's settings")
            }
            network = start.network
            optimizer = Adam(parameters: network.parameters, learningRate: config.learningRate)
        } else {
            network = try config.network(weights: WeightStore(seed: config.seed))
            optimizer = Adam(parameters: network.parameters, learningRate: config.learningRate)
        }

        let styleX = VGG16Features.preprocess(style.resized(longestSide: config.styleSize))
        let targets = StyleTargets(styles: [styleX], blend: [1], layers: config.styleLayers, vgg: vgg)
        let schedule: LearningRateSchedule = config.cosineDecay
            ? .cosine(totalSteps: config.iterations, minimum: config.learningRate / 10) : .constant
        let contentLayers = config.contentLayers
        let featureLayers = Set(config.styleLayers + contentLayers)
        let paletteWeight = config.paletteWeight
        let paletteTarget = paletteWeight > 0 ? PaletteAxes.quantiles(ofPainting: styleX) : nil

        func save(_ url: URL, withOptimizer: Bool) throws {
            try StylizerModel.write(network: network, metadata: metadata, optimizer: withOptimizer ? optimizer : nil, to: url)
        }
        func writeCurve() {
            guard let curve = files.curve, !metadata.history.isEmpty else { return }
            try? LossCurve.render(metadata.history, config: config).save(to: curve)
        }

        let last = min(config.iterations, stopAfter ?? config.iterations)
        let firstStep = metadata.iterationsDone
        var sums = (content: 0.0, style: 0.0, tv: 0.0, palette: 0.0, total: 0.0), counted = 0
        var stepTimer = Date()
        for iteration in firstStep..<last {
            // One generator per step, seeded by (seed, step): a resumed run draws the same batches.
            var generator = SeededGenerator(seed: config.seed &+ UInt64(iteration + 1) &* 0x9E37_79B9_7F4A_7C15)
            let x = photos.batch(config.batchSize, using: &generator)
            let contentTargets = withoutGradients { vgg.features(x, at: Set(contentLayers)) }
            let y = network(x, noiseSeed: generator.next())
            let features = vgg.features(y, at: featureLayers)
            let content = PerceptualLoss.content(features, targets: contentTargets,
                                                 weights: Dictionary(uniqueKeysWithValues: zip(contentLayers, config.contentLayerWeights)))
            let styleLoss = PerceptualLoss.style(features, targets: targets)
            let tv = config.tvMean ? y.meanTotalVariation() : y.totalVariation() * (1 / Float(config.batchSize))
            var total = content * config.contentWeight + styleLoss * config.styleWeight + tv * config.tvWeight
            let palette = paletteTarget.map { PerceptualLoss.palette(y, quantiles: $0) }
            if let palette { total = total + palette * paletteWeight }
            try TrainingStep.take(total, optimizer: optimizer, schedule: schedule, base: config.learningRate, step: iteration,
                                  hint: "--learning-rate or the loss weights")

            sums.content += Double(content.item()); sums.style += Double(styleLoss.item()); sums.tv += Double(tv.item())
            sums.palette += Double(palette?.item() ?? 0)
            sums.total += Double(total.item()); counted += 1
            let done = iteration + 1
            let now = Date()
            metadata.seconds += now.timeIntervalSince(stepTimer)
            stepTimer = now
            metadata.iterationsDone = done
            let record = LossRecord(iteration: done, content: Float(sums.content / Double(counted)),
                                    style: Float(sums.style / Double(counted)), tv: Float(sums.tv / Double(counted)),
                                    total: Float(sums.total / Double(counted)),
                                    palette: paletteTarget == nil ? nil : Float(sums.palette / Double(counted)))
            if done % recordEvery == 0 || done == last {
                metadata.history.append(record)
                sums = (0, 0, 0, 0, 0); counted = 0
            }
            let elapsed = now.timeIntervalSince(start)
            let perStep = metadata.seconds / Double(done)
            progress(.step(iteration: done, iterations: config.iterations, loss: record, elapsed: elapsed,
                           eta: perStep * Double(config.iterations - done)))

            if let checkpoint = files.checkpoint, done % max(1, files.checkpointEvery) == 0 || done == last {
                try save(checkpoint, withOptimizer: true)
                var previewURL: URL? = nil
                if let previewPhoto {
                    let url = previewPath(files.output, iteration: done)
                    try StylizerModel(network: network, metadata: metadata).stylize(previewPhoto).save(to: url)
                    previewURL = url
                }
                writeCurve()
                progress(.checkpoint(iteration: done, preview: previewURL))
                stepTimer = Date()   // checkpoint time isn't training time
            }
        }
        if metadata.iterationsDone == config.iterations {
            try save(files.output, withOptimizer: false)
        }
        writeCurve()
        return StylizerTrainingResult(metadata: metadata, seconds: Date().timeIntervalSince(start), skipped: photos.skipped)
    }

    /// "<folder>/<model stem>-preview-<step>.jpg".
    public static func previewPath(_ output: URL, iteration: Int) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(
            output.deletingPathExtension().lastPathComponent + "-preview-\(iteration).jpg")
    }
}

/// The loss-curve figure of a stylizer: the weighted content, style and TV terms and their total per recorded step.
public enum LossCurve {
    public static func render(_ history: [LossRecord], config: StylizerTrainingConfig, width: Int = 720) -> Image {
        func series(_ name: String, _ color: Int, _ value: (LossRecord) -> Float) -> ChartSeries {
            ChartSeries(name: name, points: history.map { (x: Double($0.iteration), y: Double(value($0))) },
                        color: LineChart.palette[color])
        }
        var chart = LineChart(title: "Training loss (weighted terms)", xLabel: "step", yLabel: "loss", series: [
            series("total", 0) { $0.total },
            series("content", 1) { $0.content * config.contentWeight },
            series("style", 2) { $0.style * config.styleWeight },
            series("tv", 3) { $0.tv * config.tvWeight },
        ] + (history.contains { $0.palette != nil } ? [series("palette", 4) { ($0.palette ?? 0) * config.paletteWeight }] : []))
        chart.integerX = true
        chart.fitYAxisSkippingWarmUp(of: "total")
        return chart.render(width: width, height: 420)
    }
}
