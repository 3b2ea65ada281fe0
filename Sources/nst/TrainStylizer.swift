// `nst train-stylizer --style painting.jpg --content-dir photos/ -o model.safetensors`: trains a feed-forward network
// for one style (Johnson et al. 2016). Parses options, calls StyleTransfer.StylizerTraining, reports.
import ArgumentParser
import Foundation
import Networks
import StyleTransfer

extension StylizerArchitecture: ExpressibleByArgument {}
extension StylizerOutput: ExpressibleByArgument {}
extension StylizerUpsampling: ExpressibleByArgument {}
extension VGGLayer: ExpressibleByArgument {}

extension NST {
    struct TrainStylizer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train-stylizer",
            abstract: "Train a network that paints any photo in one style, in one pass.",
            discussion: """
                Trains on random square crops of the photos under --content-dir (searched recursively; unreadable files are \
                skipped and counted) against VGG16 content and style losses. A checkpoint is written every \
                --checkpoint-every steps; --resume continues from it with the same batches. Use the model with \
                `nst stylize photo.jpg --model model.safetensors`.
                """)

        @Option(help: ArgumentHelp("The painting to learn.", valueName: "image")) var style: String
        @Option(help: ArgumentHelp("Folder of training photos (searched recursively; repeat to add folders).", valueName: "dir"))
        var contentDir: [String]
        @Option(name: .shortAndLong, help: ArgumentHelp("Model file to write (.safetensors).", valueName: "path")) var output: String

        @Option(help: "Network: light (fast on CPUs) or johnson (the paper's).") var architecture = StylizerTrainingConfig().architecture
        @Option(help: ArgumentHelp("Side of the square training crops.", valueName: "pixels")) var imageSize = StylizerTrainingConfig().imageSize
        @Option(help: "Crops per optimiser step.") var batchSize = StylizerTrainingConfig().batchSize
        @Option(help: "Optimiser steps (default \(StylizerTrainingConfig().iterations)).") var iterations: Int?
        @Option(help: "Passes over the photos instead of --iterations (one pass = photos / batch size steps; default: none, --iterations counts).") var epochs: Int?
        @Option(help: ArgumentHelp("Adam's step size (cosine-decayed to 10%).", valueName: "rate"))
        var learningRate = StylizerTrainingConfig().learningRate
        @Flag(help: "Keep the learning rate constant instead of decaying it.") var constantLearningRate = false
        @Option(help: ArgumentHelp("Weight of the content loss.", valueName: "weight")) var contentWeight = StylizerTrainingConfig().contentWeight
        @Option(help: ArgumentHelp("Weight of the style loss.", valueName: "weight")) var styleWeight = StylizerTrainingConfig().styleWeight
        @Option(help: ArgumentHelp("Weight of total-variation smoothing (a mean over pixels, so it means the same at any crop size; a weight w of models before 2026-12-03 is w·3·s² now, s the crop side).", valueName: "weight"))
        var tvWeight = StylizerTrainingConfig().tvWeight
        @Option(help: ArgumentHelp("Weight of the palette term: the output's luminance and colour distributions against the painting's (0 disables it).", valueName: "weight"))
        var paletteWeight = StylizerTrainingConfig().paletteWeight
        @Option(help: ArgumentHelp("VGG16 layers of the content loss, comma-separated, each optionally with a weight (relu2_2:0.2,relu4_2): \(StylizerTrainingConfig.contentLayerNames).", valueName: "layers"))
        var contentLayer = Self.weightedLayers(StylizerTrainingConfig())
        @Option(help: ArgumentHelp("Comma-separated VGG16 layers of the style loss.", valueName: "layers"))
        var styleLayers = StylizerTrainingConfig().styleLayers.map(\.rawValue).joined(separator: ",")
        @Option(help: ArgumentHelp("Longest side of the painting when its Gram matrices are taken; textures are learned at this size in pixels, so pick the size of the photos to paint.", valueName: "pixels"))
        var styleSize = StylizerTrainingConfig().styleSize
        @Option(help: "Output stage: pixels (127.5·tanh onto each channel's 0…255, what the saved image can hold) or tanh150 (Johnson's 150·tanh, which overshoots and is clipped).")
        var outputStage = StylizerTrainingConfig().outputStage
        @Option(help: "How the network doubles its resolution: bilinear, or nearest (2×2 copies; leaves an 8-pixel grid in light models' texture).")
        var upsampling = StylizerTrainingConfig().upsampling
        @Flag(inversion: .prefixedNo, help: "Give the network noise planes to paint texture from (without them, texture on flat areas repeats on an 8-pixel grid).")
        var noise = StylizerTrainingConfig().noise
        @Option(help: "Seeds the initial weights and the crops.") var seed = StylizerTrainingConfig().seed
        @Option(help: ArgumentHelp("Start from this stylizer's weights (fine-tuning) instead of fresh ones; its network settings must match (default: none, fresh weights).", valueName: "model"))
        var initModel: String?

        @Option(help: ArgumentHelp("Steps between checkpoints.", valueName: "n")) var checkpointEvery = 200
        @OptionGroup var checkpointing: CheckpointOptions
        @Option(help: ArgumentHelp("Photo to paint at every checkpoint (<output stem>-preview-<step>.jpg; default: none).", valueName: "image"))
        var preview: String?
        @Option(help: ArgumentHelp("Loss-curve PNG (default: <output stem>-loss.png).", valueName: "path"))
        var curve: String?
        @Flag(help: "Write no loss curve.") var noCurve = false
        @Option(help: ArgumentHelp("Comma-separated photo file names to leave out of training, e.g. evaluation photos (default: none).", valueName: "names"))
        var exclude: String?
        @OptionGroup var vgg: VGGWeightsOption
        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard iterations == nil || epochs == nil else { throw ValidationError("give --iterations or --epochs, not both") }
            if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1") }
            if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
            guard checkpointEvery >= 1 else { throw ValidationError("--checkpoint-every must be at least 1") }
            if let problem = try config().problem { throw ValidationError(problem) }
        }

        /// The settings (--epochs becomes steps once training has counted the usable photos).
        func config() throws -> StylizerTrainingConfig {
            var c = StylizerTrainingConfig()
            c.architecture = architecture; c.imageSize = imageSize; c.batchSize = batchSize
            c.iterations = iterations ?? c.iterations
            c.learningRate = learningRate; c.cosineDecay = !constantLearningRate
            c.contentWeight = contentWeight; c.styleWeight = styleWeight; c.tvWeight = tvWeight; c.paletteWeight = paletteWeight
            let (contentLayers, weights) = try Self.parseWeightedLayers(contentLayer)
            c.contentLayer = contentLayers.last ?? c.contentLayer
            c.contentLayers = contentLayers
            c.contentLayerWeights = weights
            c.styleLayers = try VGGLayer.parseList(styleLayers); c.styleSize = styleSize
            c.outputStage = outputStage; c.upsampling = upsampling; c.noise = noise; c.seed = seed
            return c
        }

        /// The config's content layers as --content-layer takes them ("relu2_2:0.4,relu4_2"), so the option's default is
        /// the library's recipe and not only its last layer.
        static func weightedLayers(_ config: StylizerTrainingConfig) -> String {
            zip(config.contentLayers, config.contentLayerWeights)
                .map { $1 == 1 ? $0.rawValue : "\($0.rawValue):\(String(format: "%g", Double($1)))" }.joined(separator: ",")
        }

        /// "relu2_2:0.2,relu4_2" → the layers and their weights (1 where none is given).
        static func parseWeightedLayers(_ text: String) throws -> ([VGGLayer], [Float]) {
            var layers: [VGGLayer] = [], weights: [Float] = []
            for item in text.split(separator: ",") {
                let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                layers += try VGGLayer.parseList(parts[0])
                guard parts.count == 1 || Float(parts[1]) != nil else {
                    throw ValidationError("--content-layer: '\(item)' is not layer:weight (e.g. relu2_2:0.2)")
                }
                weights.append(parts.count == 2 ? Float(parts[1])! : 1)
            }
            return (layers, weights)
        }

        func run() throws {
            let reporter = Reporter(outputOptions)
            try checkWritable(output)
            try checkpointing.checkNotOverwritten(output: output)
            let model = URL(fileURLWithPath: output)
            var files = StylizerTrainingFiles(
                style: URL(fileURLWithPath: style), contentFolders: contentDir.map { URL(fileURLWithPath: $0) }, output: model,
                checkpoint: URL(fileURLWithPath: checkpointing.path(output: output)), checkpointEvery: checkpointEvery,
                preview: preview.map { URL(fileURLWithPath: $0) },
                curve: try sideOutput(curve, off: noCurve, option: "--curve", beside: output, suffix: "-loss.png"))
            files.initialModel = initModel.map { URL(fileURLWithPath: $0) }
            try checkpointing.checkNotBoth(initModel: initModel)
            files.excluded = Set((exclude ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            let config = try config()
            let vgg = try self.vgg.load()
            let result = try StylizerTraining.run(config: config, files: files, resume: checkpointing.resume, vgg: vgg,
                                                  epochs: epochs, command: RecordedCommand.string()) { event in
                switch event {
                case .loaded(let images, let skipped):
                    for s in skipped { reporter.warn("skipped \(s.file): \(s.reason)") }
                    reporter.note("\(images) training photos" + (skipped.isEmpty ? "" : ", \(skipped.count) skipped"))
                case .resumed(let iteration):
                    reporter.note("resuming after step \(iteration)")
                case .step(let i, let n, let l, let elapsed, let eta):
                    reporter.progress(String(format: "step %d/%d  loss %.4g (content %.4g, style %.4g, tv %.4g)  %@ elapsed, ETA %@",
                                             i, n, l.total, l.content, l.style, l.tv, formatDuration(elapsed), formatDuration(eta)),
                                      final: i == n)
                case .checkpoint(let i, let preview):
                    reporter.note("step \(i): checkpoint written" + (preview.map { ", preview \($0.path)" } ?? ""))
                }
            }
            let meta = result.metadata
            if !result.skipped.isEmpty { reporter.warn("\(result.skipped.count) unreadable or too small photo(s) skipped") }
            let finished = meta.iterationsDone == meta.training.iterations
            reporter.note(finished ? "wrote \(output) (\(meta.iterationsDone) steps, \(formatDuration(meta.seconds)) of training)"
                                   : "stopped after \(meta.iterationsDone) steps; checkpoint kept")
            let last = meta.history.last
            reporter.summary([
                "model": output, "architecture": meta.architecture.rawValue, "style": meta.style,
                "iterations": meta.iterationsDone, "seconds": result.seconds, "training_seconds": meta.seconds,
                "content_images": meta.contentImages, "skipped": result.skipped.map { ["file": $0.file, "reason": $0.reason] },
                "final_loss": last.map { ["total": $0.total, "content": $0.content, "style": $0.style, "tv": $0.tv] } ?? [:],
            ])
        }
    }
}
