// Training the decoders of universal style transfer (Li et al. 2017): photos only, no painting. A random crop x is
// encoded by frozen VGG16 to one level, decoded back, and the loss is ‖D(E(x)) − x‖² (pixels) + λ·‖E(D(E(x))) − E(x)‖²
// (features), both means; the feature term may be taken on the batch's first images only (`featureImages`), and the
// saved weights may be the mean over the last steps (`averageLast`). Same conventions as train-stylizer: Adam with
// cosine decay, one seeded generator per step, atomic checkpoints with the optimiser state, identical results after
// --resume, a loss curve at the end.
import Foundation
import ImageIO
import NeuralCore
import Networks

public enum DecoderTraining {
    /// Factor on the freshly initialised last conv's weights (see `run`).
    static let lastLayerInitScale: Float = 0.01

    /// Trains (or continues) the decoder for `config.level` on the photos under `contentFolders`; writes `output` when
    /// all steps are done, `checkpoint` every `checkpointEvery` steps, `curve` at checkpoints and the end.
    public static func run(config requested: DecoderTrainingConfig, contentFolders: [URL], styleFolders: [URL] = [], output: URL, checkpoint: URL?,
                           checkpointEvery: Int, curve: URL?, excluded: Set<String> = [], resume: Bool, vgg: VGG16Features,
                           command: String? = nil, stopAfter: Int? = nil,
                           progress: (DecoderTrainingEvent) -> Void = { _ in }) throws -> DecoderTrainingResult {
        var config = requested
        if let problem = config.problem { throw StyleTransferError.badConfig(problem) }
        let photos = try ContentImages(folders: contentFolders, cropSize: config.imageSize, photoSize: config.effectivePhotoSize,
                                       excluding: excluded)
        progress(.loaded(images: photos.images.count, skipped: photos.skipped))
        // The stylised objective's style crops: the given folders, else the training photos themselves (then the
        // decoder never sees a painting, and --fast's paintings stay unseen).
        let styles = styleFolders.isEmpty ? photos
            : try ContentImages(folders: styleFolders, cropSize: config.imageSize, photoSize: config.effectivePhotoSize)

        var done = 0, seconds = 0.0, history: [DecoderLossRecord] = []
        let decoder: VGGDecoder, optimizer: Adam, average: WeightAverage
        if resume {
            guard let checkpoint else { throw StylizerFileError(file: output.path, problem: "--resume needs a checkpoint") }
            guard FileManager.default.fileExists(atPath: checkpoint.path) else {
                throw StylizerFileError(file: checkpoint.path, problem: "checkpoint not found")
            }
            let file: SafeTensorsFile
            do { file = try SafeTensorsFile.read(checkpoint) } catch { throw StylizerFileError(file: checkpoint.path, problem: "\(error)") }
            let checkpointFile = ModelFile(file)
            let record = DecoderRecord.decode(checkpointFile)
            guard let saved = record.training, saved.isResumable(as: config) else {
                throw StylizerFileError(file: checkpoint.path, problem:
                    "checkpoint was trained with other settings (only --iterations and --average-last may change on --resume)")
            }
            config.initialModel = saved.initialModel   // the record keeps where the run started
            let model = SafeTensorsFile(tensors: checkpointFile.modelTensors.filter { !$0.key.hasPrefix(WeightAverage.prefix) },
                                        metadata: file.metadata, source: checkpoint.path)
            decoder = try VGGDecoder(level: config.level, weights: WeightStore(file: model),
                                     scale: VGGDecoder.scale(in: file.metadata, path: checkpoint.path))
            optimizer = Adam(parameters: decoder.parameters, learningRate: config.learningRate)
            try checkpointFile.restoreOptimizer(optimizer, path: checkpoint.path)
            done = record.iterationsDone
            guard done >= 0, done <= saved.iterations else {
                throw StylizerFileError(file: checkpoint.path, problem: "metadata nst.iterations_done \(done) is not within its \(saved.iterations) steps")
            }
            guard done <= config.iterations else {
                throw StylizerFileError(file: checkpoint.path, problem: "checkpoint has done \(done) steps, more than the "
                    + "\(config.iterations) asked for (ask for more --iterations to train longer)")
            }
            average = WeightAverage(parameters: decoder.store.parameters)
            let summed = record.averageSteps, needed = max(0, done - config.averageStart)
            if needed > 0 {
                guard summed == needed else {
                    throw StylizerFileError(file: checkpoint.path, problem: "its weight average covers \(summed) steps, but averaging the last "
                        + "\(config.averageLast ?? 0) of \(config.iterations) needs \(needed) (resume from a checkpoint taken before step \(config.averageStart + 1))")
                }
                do { try average.restore(from: file.tensors, steps: summed) } catch { throw StylizerFileError(file: checkpoint.path, problem: "\(error)") }
            }
            seconds = record.seconds ?? 0
            history = record.history
            progress(.resumed(iteration: done))
        } else if let start = config.initialModel {
            decoder = try VGGDecoder(contentsOf: URL(fileURLWithPath: start), level: config.level)
            optimizer = Adam(parameters: decoder.parameters, learningRate: config.learningRate)
            average = WeightAverage(parameters: decoder.store.parameters)
        } else {
            decoder = try VGGDecoder(level: config.level, weights: WeightStore(seed: config.seed))
            // Start from an (almost) flat mean-colour image: with the last conv at its He-initialised size the first
            // images come out hundreds of units off, and the first Adam steps then shrink them by silencing ReLUs
            // for good (the relu3_1 decoder got stuck near a grey image that way).
            if let last = decoder.parameters.dropLast().last { last.data = last.data.map { $0 * lastLayerInitScale } }
            optimizer = Adam(parameters: decoder.parameters, learningRate: config.learningRate)
            average = WeightAverage(parameters: decoder.store.parameters)
        }

        /// The decoder's file with the run's record so far.
        func modelFile() -> ModelFile {
            var file = decoder.modelFile
            DecoderRecord(training: config, iterationsDone: done, seconds: seconds, history: history,
                          contentImages: photos.images.count, averageSteps: average.steps, command: command).encode(into: &file)
            return file
        }
        func writeCurve() {
            guard let curve, !history.isEmpty else { return }
            var chart = LineChart(title: "Decoder \(config.level.rawValue) loss", xLabel: "step", yLabel: "loss", series: [
                ChartSeries(name: "total", points: history.map { (Double($0.iteration), Double($0.total)) }, color: LineChart.palette[0]),
                // The stylised objective has no pixel term; its second term is the weighted style loss.
                config.styleWeight > 0
                    ? ChartSeries(name: "style x \(config.styleWeight)", points: history.map { (Double($0.iteration), Double(($0.style ?? 0) * config.styleWeight)) },
                                  color: LineChart.palette[1])
                    : ChartSeries(name: "pixel", points: history.map { (Double($0.iteration), Double($0.pixel)) }, color: LineChart.palette[1]),
                // ASCII only: the chart's bitmap font has no × or λ.
                ChartSeries(name: "feature x \(config.featureWeight)", points: history.map { (Double($0.iteration), Double($0.feature * config.featureWeight)) },
                            color: LineChart.palette[2]),
            ])
            chart.integerX = true
            chart.fitYAxisSkippingWarmUp(of: "total")
            try? chart.render(width: 720, height: 420).save(to: curve)
        }

        let schedule: LearningRateSchedule = config.cosineDecay
            ? .cosine(totalSteps: config.iterations, minimum: config.learningRate / 10) : .constant
        let last = min(config.iterations, stopAfter ?? config.iterations)
        var sums = (pixel: 0.0, feature: 0.0, style: 0.0, total: 0.0), counted = 0
        var timer = Date()
        let start = Date()
        while done < last {
            var generator = SeededGenerator(seed: config.seed &+ UInt64(done + 1) &* 0x9E37_79B9_7F4A_7C15)
            let x = photos.batch(config.batchSize, orientations: config.orientations, colors: config.colors,
                                 using: &generator)
            let pixel: Tensor, feature: Tensor, total: Tensor, style: Tensor?
            if config.styleWeight > 0 {
                var styleGenerator = SeededGenerator(seed: (config.seed ^ 0x5354_594C) &+ UInt64(done + 1) &* 0x9E37_79B9_7F4A_7C15)
                let s = styles.batch(config.batchSize, orientations: config.orientations, colors: config.colors, using: &styleGenerator)
                let terms = try stylisedLoss(decoder: decoder, vgg: vgg, content: x, style: s)
                pixel = Tensor(scalar: 0); feature = terms.feature; style = terms.style
                total = feature * config.featureWeight + terms.style * config.styleWeight
            } else {
                let target = withoutGradients { vgg.features(x, at: [config.level])[config.level]! }
                let reconstruction = decoder(target)
                pixel = reconstruction.mseLoss(x)
                let k = config.effectiveFeatureImages
                feature = vgg.features(reconstruction.batchPrefix(k), at: [config.level])[config.level]!.mseLoss(target.batchPrefix(k))
                style = nil
                total = pixel + feature * config.featureWeight
            }
            try TrainingStep.take(total, optimizer: optimizer, schedule: schedule, base: config.learningRate, step: done,
                                  hint: "--learning-rate")
            done += 1
            if done > config.averageStart { average.add() }
            sums.pixel += Double(pixel.item()); sums.feature += Double(feature.item()); sums.total += Double(total.item())
            sums.style += Double(style?.item() ?? 0)
            counted += 1
            let record = DecoderLossRecord(iteration: done, pixel: Float(sums.pixel / Double(counted)),
                                           feature: Float(sums.feature / Double(counted)), total: Float(sums.total / Double(counted)),
                                           style: style == nil ? nil : Float(sums.style / Double(counted)))
            if done % StylizerTraining.recordEvery == 0 || done == last { history.append(record); sums = (0, 0, 0, 0); counted = 0 }
            seconds += Date().timeIntervalSince(timer)
            timer = Date()
            progress(.step(iteration: done, iterations: config.iterations, loss: record, elapsed: Date().timeIntervalSince(start),
                           eta: seconds / Double(done) * Double(config.iterations - done)))
            if let checkpoint, done % max(1, checkpointEvery) == 0 || done == last {
                var file = modelFile()
                file.addOptimizerState(of: optimizer)
                if average.steps > 0 { file.tensors.merge(average.checkpointTensors) { $1 } }
                try file.write(to: checkpoint)
                writeCurve()
                progress(.checkpoint(iteration: done))
                timer = Date()
            }
        }
        if done == config.iterations {
            average.assignMean()   // the checkpoint above keeps the last step's weights
            try modelFile().write(to: output)
        }
        writeCurve()
        return DecoderTrainingResult(iterationsDone: done, trainingSeconds: seconds, history: history, skipped: photos.skipped)
    }

    /// PSNR (dB, pixels 0…1) of each photo reconstructed from its own features at the decoder's level: how much of
    /// the image the decoder can give back. Photos are used whole (reflection-padded to a multiple of 16).
    public static func reconstructionPSNR(decoder: VGGDecoder, vgg: VGG16Features, photos: [Image]) -> [Double] {
        photos.map { photo in
            let rgb = photo.rgb()
            let padded = rgb.paddedToMultiple(of: 16, minimum: 1 << decoder.level.block)
            let y = withoutGradients { decoder(vgg.features(VGG16Features.preprocess(padded.image), at: [decoder.level])[decoder.level]!) }
            let back = VGG16Features.deprocess(y).cropped(x: padded.left, y: padded.top, width: rgb.width, height: rgb.height)
            return psnr(back, rgb)
        }
    }

    /// Peak signal-to-noise ratio of `a` against `b` (same size and channels, pixels 0…1), in dB; identical images give
    /// 120 dB (the squared error is floored at 1e-12).
    public static func psnr(_ a: Image, _ b: Image) -> Double {
        require(a.width == b.width && a.height == b.height && a.channels == b.channels, "psnr needs images of one size")
        var mse = 0.0
        for i in a.pixels.indices { let d = Double(a.pixels[i] - b.pixels[i]); mse += d * d }
        mse /= Double(max(a.pixels.count, 1))
        return 10 * log10(1 / max(mse, 1e-12))
    }
}
