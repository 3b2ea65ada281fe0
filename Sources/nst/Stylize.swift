// `nst stylize content.jpg style.jpg`: Gatys optimisation. Parses options, calls StyleTransfer, reports.
import ArgumentParser
import Foundation
import ImageIO
import Networks
import StyleTransfer

extension GatysOptimizer: ExpressibleByArgument {}
extension GatysInitialization: ExpressibleByArgument {}
extension ColorPreservation: ExpressibleByArgument {}
extension VGGPooling: ExpressibleByArgument {}

extension NST {
    struct Stylize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Paint a photo in the style of one or more paintings.",
            discussion: """
                nst stylize photo.jpg painting.jpg optimises the output's pixels so its VGG16 features match the photo and \
                the Gram matrices of the paintings (Gatys et al. 2016): best fidelity, minutes. \
                nst stylize photo.jpg… --model model.safetensors paints photos (or folders of them) with a network \
                trained by `nst train-stylizer` (Johnson et al. 2016): one style, a fraction of a second. \
                nst stylize photo.jpg painting.jpg --fast paints a photo (or a folder of them) with any painting by \
                universal style transfer (Li et al. 2017): seconds.
                """)

        @Argument(help: ArgumentHelp("The content photo, then one or more style images (with --fast the content may be a folder of photos; with --model: photos or folders of photos).", valueName: "image"))
        var images: [String] = []

        @Option(help: ArgumentHelp("Paint with this trained stylizer (from nst train-stylizer) instead of optimising (default: none, which optimises).", valueName: "path"))
        var model: String?

        @Option(help: ArgumentHelp("With --model or --fast: folder for the outputs (<photo>-<model>.jpg; --fast: <photo>-<painting>.jpg) when painting several photos (default: the current folder).", valueName: "dir"))
        var outputDir: String?

        @Option(help: ArgumentHelp("With --model or --fast: 1 paints fully, 0 returns the photo; in between blends the two.", valueName: "0…1"))
        var strength: Float = 1

        @Option(help: ArgumentHelp("With --model or --fast: the longest side to paint at; the result is then carried to the output's size (a guided filter on the photo when enlarging). 'full' paints at the output's size. 'auto': with --model, the photo's size, enlarged up to 1.5× when the model learnt its painting larger (finer strokes on small photos); with --fast, \(UniversalStyleConfig().workingSize.map(String.init) ?? "full") px (strokes at that scale, the photo's own edges at full size; 384 takes about two thirds of the time and paints less of the painting (a higher style loss, closer to the photo), 'full' is about 3× slower at 1024 px).", valueName: "pixels|full|auto"))
        var workingSize: WorkingSize = .auto

        @Flag(help: "Any painting in seconds: whitening-colouring transforms of VGG16 features with trained decoders (Li et al. 2017).")
        var fast = false

        @Option(help: ArgumentHelp("With --fast: folder holding decoder-<level>.safetensors (default: weights/).", valueName: "dir"))
        var decoders: String?

        @Option(help: ArgumentHelp("With --fast: comma-separated levels, applied deepest first.", valueName: "levels"))
        var levels = UniversalStyle.defaultLevels.map(\.rawValue).joined(separator: ",")

        @Option(help: ArgumentHelp("With --fast: gradient steps towards the painting's fine texture statistics (VGG16 relu1_1-relu3_1 Gram matrices) at the working size, about a fifth of the time each; 0 leaves the decoders' result.", valueName: "n"))
        var finish = UniversalStyleConfig().finishSteps

        @Option(help: ArgumentHelp("With --fast: then refine the result with this many optimiser iterations (Gatys losses and options; 0: none).", valueName: "n"))
        var refine = 0

        @Option(name: .shortAndLong, help: ArgumentHelp("Output image; .png or .jpg (default: <photo>-<painting>.jpg in the current folder; with --model: <photo>-<model>.jpg).", valueName: "path"))
        var output: String?

        @Option(help: ArgumentHelp("Longest side of the output, in pixels (default: \(GatysConfig().imageSize); with --model: the photo's own size; with --fast: the photo's own size up to \(UniversalStyleConfig().maxSize ?? 0)).", valueName: "pixels"))
        var size: Int?

        @Option(help: "Optimiser iterations at each scale (L-BFGS: loss evaluations).")
        var iterations = GatysConfig().iterations

        @Option(help: "Optimiser: lbfgs (best results over many iterations) or adam (less memory) (default: \(GatysConfig().optimizer.rawValue); with --refine: \(Gatys.refineOptimizer.rawValue)).")
        var optimizer: GatysOptimizer?

        @Option(help: ArgumentHelp("Step size (default: \(Self.defaultRate(.lbfgs)) for lbfgs, \(Self.defaultRate(.adam)) for adam).", valueName: "rate"))
        var learningRate: Float?

        @Option(help: ArgumentHelp("Weight of the content loss.", valueName: "weight"))
        var contentWeight = GatysConfig().contentWeight

        @Option(help: ArgumentHelp("Weight of the style loss.", valueName: "weight"))
        var styleWeight = GatysConfig().styleWeight

        @Option(help: ArgumentHelp("Weight of total-variation smoothing, a mean over pixels (the same at any --size; a weight w from before 2026-12-03 is w·3·W·H now for a W×H output); 0 disables it.", valueName: "weight"))
        var tvWeight = GatysConfig().tvWeight

        @Option(help: ArgumentHelp("Comma-separated VGG16 layers for the content loss.", valueName: "layers"))
        var contentLayers = GatysConfig().contentLayers.map(\.rawValue).joined(separator: ",")

        @Option(help: ArgumentHelp("Comma-separated VGG16 layers for the style loss.", valueName: "layers"))
        var styleLayers = GatysConfig().styleLayers.map(\.rawValue).joined(separator: ",")

        @Option(name: .customLong("init"), help: "Starting image: content, style or noise.")
        var initialization = GatysConfig().initialization

        @Option(help: ArgumentHelp("Start from this image instead of --init (resized to the output), e.g. an earlier result (default: none).", valueName: "path"))
        var initImage: String?

        @Option(help: "Random seed (noise initialisation).")
        var seed = GatysConfig().seed

        @Option(help: ArgumentHelp("Comma-separated weight per style image, e.g. 0.7,0.3 (default: equal weights).", valueName: "weights"))
        var styleBlend: String?

        @Option(help: ArgumentHelp("Style image size as a factor of the output size.", valueName: "factor"))
        var styleScale = GatysConfig().styleScale

        @Option(help: ArgumentHelp("Keep the content photo's colours: luminance (transfer on luminance only) or histogram (recolour the style to the photo first) (default: none, the painting's colours).", valueName: "method"))
        var preserveColors: ColorPreservation?

        @Option(help: "Coarse-to-fine scales: optimise at half size first, upsample, continue. 1 disables.")
        var scales = GatysConfig().scales

        @Option(help: ArgumentHelp("Save an intermediate image every this many iterations; 0 disables.", valueName: "k"))
        var saveEvery = GatysConfig().saveEvery

        @Option(help: "VGG16 pooling: max or average.")
        var pooling = GatysConfig().pooling

        @OptionGroup var vgg: VGGWeightsOption

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard (0...1).contains(strength) else { throw ValidationError("--strength must be between 0 and 1") }
            if let size, size < 16 { throw ValidationError("--size must be at least 16 pixels") }
            try rejectIgnoredOptions()
            if model != nil {
                guard !images.isEmpty else { throw ValidationError("give at least one photo (or folder) to paint with --model") }
                return
            }
            guard outputDir == nil || fast else { throw ValidationError("--output-dir works with --model or --fast; give -o for one result") }
            guard workingSize == .auto || fast else { throw ValidationError("--working-size works with --model or --fast") }
            guard strength == 1 || fast else { throw ValidationError("--strength works with --model or --fast; lower --style-weight instead") }
            if fast { _ = try VGGLayer.parseList(levels) }
            guard refine >= 0 else { throw ValidationError("--refine must be 0 or more") }
            guard finish >= 0 else { throw ValidationError("--finish must be 0 or more") }
            guard refine == 0 || fast else { throw ValidationError("--refine works with --fast; use --iterations otherwise") }
            guard initImage == nil || !fast else { throw ValidationError("--init-image does not work with --fast") }
            // The optimisation's own rules (blend weights, iterations, scales against size) live with its settings.
            do { try config().validate(styleCount: images.count - 1) } catch let error as StyleTransferError {
                throw ValidationError(error.description)
            }
        }

        /// Options the chosen mode would not read are errors, not silence. An option counts as given when its value
        /// differs from its default (ArgumentParser does not say whether a defaulted option was typed).
        func rejectIgnoredOptions() throws {
            let defaults = GatysConfig()
            // Options only the optimisation reads: the default method, or --fast's --refine.
            let optimisation: [(String, Bool)] = [
                ("--optimizer", optimizer != nil), ("--learning-rate", learningRate != nil),
                ("--content-weight", contentWeight != defaults.contentWeight), ("--style-weight", styleWeight != defaults.styleWeight),
                ("--tv-weight", tvWeight != defaults.tvWeight),
                ("--content-layers", contentLayers != defaults.contentLayers.map(\.rawValue).joined(separator: ",")),
                ("--style-layers", styleLayers != defaults.styleLayers.map(\.rawValue).joined(separator: ",")),
                ("--init", initialization != defaults.initialization), ("--seed", seed != defaults.seed),
            ]
            // Options only the default method reads (--fast --refine runs one scale of its own length, saves nothing between).
            let gatysOnly: [(String, Bool)] = [
                ("--iterations", iterations != defaults.iterations), ("--scales", scales != defaults.scales),
                ("--save-every", saveEvery != defaults.saveEvery), ("--init-image", initImage != nil),
            ]
            let fastOnly: [(String, Bool)] = [
                ("--decoders", decoders != nil),
                ("--levels", levels != UniversalStyle.defaultLevels.map(\.rawValue).joined(separator: ",")),
                ("--refine", refine != 0), ("--finish", finish != UniversalStyleConfig().finishSteps),
            ]
            func refuse(_ options: [(String, Bool)], _ reason: String) throws {
                if let (name, _) = options.first(where: { $0.1 }) { throw ValidationError("\(name) \(reason)") }
            }
            if model != nil {
                try refuse([("--fast", fast)] + fastOnly, "does not apply with --model (a trained stylizer needs no decoders)")
                try refuse(optimisation + gatysOnly + [("--pooling", pooling != defaults.pooling)],
                           "does not apply with --model (it paints in one forward pass, without optimising)")
                try refuse([("--style-blend", styleBlend != nil), ("--style-scale", styleScale != defaults.styleScale),
                            ("--vgg-weights", vgg.vggWeights != nil)],
                           "does not apply with --model (the model's style was fixed when it was trained)")
            } else if fast {
                try refuse([("--pooling", pooling != defaults.pooling)],
                           "does not apply with --fast (the decoders invert VGG16 with max pooling)")
                try refuse(gatysOnly, "does not apply with --fast (use --refine <n> to optimise after it)")
                if refine == 0 { try refuse(optimisation, "only applies with --fast when --refine is given") }
            } else {
                try refuse(fastOnly, "applies only with --fast")
            }
        }

        func config() throws -> GatysConfig {
            var c = GatysConfig()
            c.imageSize = size ?? c.imageSize; c.iterations = iterations; c.optimizer = optimizer ?? c.optimizer; c.learningRate = learningRate
            c.contentWeight = contentWeight; c.styleWeight = styleWeight; c.tvWeight = tvWeight
            c.contentLayers = try VGGLayer.parseList(contentLayers)
            c.styleLayers = try VGGLayer.parseList(styleLayers)
            c.initialization = initialization; c.seed = seed; c.styleScale = styleScale
            c.preserveColors = preserveColors; c.scales = scales; c.saveEvery = saveEvery; c.pooling = pooling
            if let blend = styleBlend {
                c.styleBlend = try blend.split(separator: ",").map { text in
                    guard let v = Float(text.trimmingCharacters(in: .whitespaces)) else {
                        throw ValidationError("--style-blend: '\(text)' is not a number")
                    }
                    return v
                }
            }
            return c
        }

        func run() throws {
            if let model { return try runModel(URL(fileURLWithPath: model)) }
            if fast { return try runFast() }
            let reporter = Reporter(outputOptions)
            let config = try config()
            let outputPath = output ?? defaultOutputPath()
            try checkImageOutput(outputPath)
            let content = try Image.load(URL(fileURLWithPath: images[0]))
            let styles = try images.dropFirst().map { try Image.load(URL(fileURLWithPath: $0)) }
            let start = try initImage.map { try Image.load(URL(fileURLWithPath: $0)) }
            for (path, image) in zip(images + [initImage].compactMap { $0 }, [content] + styles + [start].compactMap { $0 })
            where image.width < 16 || image.height < 16 {
                throw CLIError("\(path): image is \(image.width)x\(image.height) pixels; at least 16x16 is needed")
            }
            let vgg = try self.vgg.load(pooling: pooling)
            let result = try Gatys.stylize(content: content, styles: styles, config: config, vgg: vgg, start: start,
                                           onEvent: gatysEvents(reporter: reporter, outputPath: outputPath))
            try result.image.save(to: URL(fileURLWithPath: outputPath))
            reporter.note(String(format: "wrote %@ (%dx%d) in %@", outputPath, result.image.width, result.image.height,
                                 formatDuration(result.seconds)))
            reporter.summary(["output": outputPath, "width": result.image.width, "height": result.image.height,
                              "iterations": result.iterations, "seconds": result.seconds,
                              "content_loss": result.contentLoss, "style_loss": result.styleLoss, "tv_loss": result.tvLoss,
                              "total_loss": result.totalLoss])
        }

        /// Progress lines and intermediate images of a Gatys run.
        func gatysEvents(reporter: Reporter, outputPath: String) -> (GatysEvent) -> Void {
            { event in
                switch event {
                case .progress(let p):
                    let scale = p.scales > 1 ? "scale \(p.scale)/\(p.scales) " : ""
                    reporter.progress(String(format: "%@%dx%d iter %d/%d  loss %.4g (content %.4g, style %.4g, tv %.4g)  %@ elapsed, ETA %@",
                                             scale, p.width, p.height, p.iteration, p.iterations, p.totalLoss, p.contentLoss,
                                             p.styleLoss, p.tvLoss, formatDuration(p.elapsed), formatDuration(p.eta)),
                                      final: p.iteration == p.iterations)
                case .intermediate(let image, let iteration):
                    let path = intermediatePath(outputPath, iteration: iteration)
                    do { try image.save(to: URL(fileURLWithPath: path)); reporter.note("wrote \(path)") }
                    catch { reporter.warn("\(error)") }
                }
            }
        }

        /// The step size an optimiser gets when --learning-rate is not given, for the help text.
        static func defaultRate(_ optimizer: GatysOptimizer) -> String {
            var config = GatysConfig()
            config.optimizer = optimizer
            return String(format: "%g", Double(config.effectiveLearningRate))
        }

        /// "photo.jpg" + "starry_night.jpg" → "photo-starry_night.jpg" in the current folder.
        func defaultOutputPath() -> String {
            "\(URL(fileURLWithPath: images[0]).deletingPathExtension().lastPathComponent)-\(paintingsName).jpg"
        }

        /// The paintings' file names without extensions, joined by "+": the second half of default output names.
        var paintingsName: String {
            images.dropFirst().map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }.joined(separator: "+")
        }

        func intermediatePath(_ output: String, iteration: Int) -> String {
            let url = URL(fileURLWithPath: output)
            let ext = url.pathExtension.isEmpty ? "png" : url.pathExtension
            return url.deletingPathExtension().path + "-\(iteration).\(ext)"
        }
    }
}
