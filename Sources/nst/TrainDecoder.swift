// `nst train-decoder --level relu4_1 --content-dir photos/ -o weights/decoder-relu4_1.safetensors`: trains the decoder
// that turns VGG16 features at one level back into pixels, for `nst stylize --fast` (Li et al. 2017).
import ArgumentParser
import Foundation
import ImageIO
import Networks
import StyleTransfer

extension CropOrientations: ExpressibleByArgument {}
extension CropColors: ExpressibleByArgument {}

extension NST {
    struct TrainDecoder: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train-decoder",
            abstract: "Train a decoder that inverts VGG16 features at one level (for stylize --fast).",
            discussion: """
                Trains on random crops of the photos under --content-dir with a pixel plus feature reconstruction loss. \
                Same checkpoint, --resume and loss-curve conventions as train-stylizer. `nst stylize --fast` looks for \
                decoder-<level>.safetensors in weights/ (or --decoders).
                """)

        @Option(help: "VGG16 level: relu1_1, relu2_1, relu3_1, relu4_1 or relu5_1.") var level = DecoderTrainingConfig().level
        @Option(help: ArgumentHelp("Folder of training photos (searched recursively; repeat to add folders).", valueName: "dir"))
        var contentDir: [String]
        @Option(name: .shortAndLong, help: ArgumentHelp("Decoder file to write.", valueName: "path")) var output: String
        @Option(help: ArgumentHelp("Side of the square training crops (multiple of 16).", valueName: "pixels"))
        var imageSize = DecoderTrainingConfig().imageSize
        @Option(help: ArgumentHelp("Shorter side photos are kept at (default: twice --image-size); crops are squares from --image-size up to it.",
                                   valueName: "pixels"))
        var photoSize: Int?
        @Option(help: "Crops per optimiser step.") var batchSize = DecoderTrainingConfig().batchSize
        @Option(help: "Optimiser steps.") var iterations = DecoderTrainingConfig().iterations
        @Option(help: ArgumentHelp("Adam's step size (cosine-decayed to 10%).", valueName: "rate"))
        var learningRate = DecoderTrainingConfig().learningRate
        @Option(help: ArgumentHelp("Weight of the feature reconstruction term.", valueName: "weight"))
        var featureWeight = DecoderTrainingConfig().featureWeight
        @Option(help: ArgumentHelp("Images of each batch that also get the feature term (default: all); fewer make steps faster.",
                                   valueName: "n"))
        var featureImages: Int?
        @Option(help: ArgumentHelp("Save the mean of the weights over the last n steps, not the last step's (may change on --resume until step iterations-n; default: none, the last step's weights).",
                                   valueName: "n"))
        var averageLast: Int?
        @Option(help: "Seeds the initial weights and the crops.") var seed = DecoderTrainingConfig().seed
        @Option(help: ArgumentHelp("Crop orientations: 'mirror' (as photographed, or mirrored) or 'all' (also upside down and turned a quarter).",
                                   valueName: "set"))
        var orientations = DecoderTrainingConfig().orientations
        @Option(help: ArgumentHelp("Crop colours: 'natural' (as photographed) or 'permuted' (half of the crops with red, green and blue in another order).",
                                   valueName: "set"))
        var colors = DecoderTrainingConfig().colors
        @Option(help: ArgumentHelp("Weight of the style term: above 0, train on transformed features (each crop's whitened and coloured with another's) with a feature plus Gram-matrix style loss instead of reconstruction (default: 0).",
                                   valueName: "weight"))
        var styleWeight = DecoderTrainingConfig().styleWeight
        @Option(help: ArgumentHelp("Folder of style images for --style-weight (repeat to add folders; default: the training photos).", valueName: "dir"))
        var styleDir: [String] = []
        @Option(help: ArgumentHelp("Start from this decoder's weights (fine-tuning, e.g. with --style-weight) instead of fresh ones (default: none).", valueName: "model"))
        var initModel: String?
        @Option(help: ArgumentHelp("Steps between checkpoints.", valueName: "n")) var checkpointEvery = 200
        @OptionGroup var checkpointing: CheckpointOptions
        @Option(help: ArgumentHelp("Loss-curve PNG (default: <output stem>-loss.png).", valueName: "path"))
        var curve: String?
        @Flag(help: "Write no loss curve.") var noCurve = false
        @Option(help: ArgumentHelp("Comma-separated photo names left out of training; their reconstruction PSNR is reported (default: none).", valueName: "names"))
        var exclude: String?
        @OptionGroup var vgg: VGGWeightsOption
        @OptionGroup var outputOptions: OutputOptions

        func config() -> DecoderTrainingConfig {
            var c = DecoderTrainingConfig()
            c.level = level; c.imageSize = imageSize; c.batchSize = batchSize; c.iterations = iterations
            c.learningRate = learningRate; c.featureWeight = featureWeight; c.featureImages = featureImages; c.averageLast = averageLast; c.seed = seed; c.orientations = orientations
            c.colors = colors; c.photoSize = photoSize; c.styleWeight = styleWeight; c.initialModel = initModel
            return c
        }

        func validate() throws {
            if let problem = config().problem { throw ValidationError(problem) }
            guard checkpointEvery >= 1 else { throw ValidationError("--checkpoint-every must be at least 1") }
            try checkpointing.checkNotBoth(initModel: initModel)
        }

        func run() throws {
            let reporter = Reporter(outputOptions)
            try checkWritable(output)
            try checkpointing.checkNotOverwritten(output: output)
            let model = URL(fileURLWithPath: output)
            let excluded = Set((exclude ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            let vgg = try self.vgg.load()
            let result = try DecoderTraining.run(
                config: config(), contentFolders: contentDir.map { URL(fileURLWithPath: $0) },
                styleFolders: styleDir.map { URL(fileURLWithPath: $0) }, output: model,
                checkpoint: URL(fileURLWithPath: checkpointing.path(output: output)), checkpointEvery: checkpointEvery,
                curve: try sideOutput(curve, off: noCurve, option: "--curve", beside: output, suffix: "-loss.png"),
                excluded: excluded, resume: checkpointing.resume, vgg: vgg, command: RecordedCommand.string()) { event in
                switch event {
                case .loaded(let images, let skipped):
                    for s in skipped { reporter.warn("skipped \(s.file): \(s.reason)") }
                    reporter.note("\(images) training photos" + (skipped.isEmpty ? "" : ", \(skipped.count) skipped"))
                case .resumed(let i): reporter.note("resuming after step \(i)")
                case .step(let i, let n, let l, let elapsed, let eta):
                    let terms = l.style.map { String(format: "feature %.4g, style %.4g", l.feature, $0) }
                        ?? String(format: "pixel %.4g, feature %.4g", l.pixel, l.feature)
                    reporter.progress(String(format: "step %d/%d  loss %.4g (%@)  %@ elapsed, ETA %@",
                                             i, n, l.total, terms, formatDuration(elapsed), formatDuration(eta)),
                                      final: i == n)
                case .checkpoint(let i): reporter.note("step \(i): checkpoint written")
                }
            }
            var summary: [String: Any] = ["model": output, "level": level.rawValue, "iterations": result.iterationsDone,
                                          "training_seconds": result.trainingSeconds, "skipped": result.skipped.count]
            if result.iterationsDone == iterations {
                reporter.note("wrote \(output) (\(result.iterationsDone) steps, \(formatDuration(result.trainingSeconds)) of training)")
                // Held-out photos: how well the decoder gives back images it never saw.
                let heldOut = try contentDir.flatMap { try ContentImages.imageFiles(under: URL(fileURLWithPath: $0)) }
                    .filter { excluded.contains($0.lastPathComponent) }
                    .compactMap { url in (try? Image.load(url).resized(longestSide: 512)).map { (name: url.lastPathComponent, image: $0) } }
                if !heldOut.isEmpty {
                    let decoder = try VGGDecoder(contentsOf: model, level: level)
                    let psnr = DecoderTraining.reconstructionPSNR(decoder: decoder, vgg: vgg, photos: heldOut.map(\.image))
                    let mean = psnr.reduce(0, +) / Double(psnr.count)
                    let each = zip(heldOut, psnr).map { String(format: "%@ %.2f", $0.name, $1) }.joined(separator: ", ")
                    reporter.note(String(format: "reconstruction PSNR on %d held-out photos: %.2f dB (%@)", heldOut.count, mean, each))
                    summary["heldout_psnr_db"] = mean
                    summary["heldout_psnr_db_per_photo"] = Dictionary(zip(heldOut.map(\.name), psnr)) { a, _ in a }
                }
            }
            reporter.summary(summary)
        }
    }
}
