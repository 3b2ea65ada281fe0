// `nst stylize content.jpg style.jpg --fast`: universal style transfer (Li et al. 2017) with the trained decoders.
// The content may be a folder: every photo in it is painted with the same paintings, the decoders, VGG16 and the
// paintings loaded once; an unreadable photo among several is reported and skipped.
import ArgumentParser
import Foundation
import ImageIO
import Networks
import StyleTransfer

extension NST.Stylize {
    func runFast() throws {
        let reporter = Reporter(outputOptions)
        let pairs = try photoOutputs([images[0]], suffix: paintingsName)

        let folder = decoders.map { URL(fileURLWithPath: $0) } ?? VGG16Features.defaultWeightsURL().deletingLastPathComponent()
        let decoderNets = try UniversalStyle.loadDecoders(directory: folder, levels: try VGGLayer.parseList(levels))
        let styles = try images.dropFirst().map { try Image.load(URL(fileURLWithPath: $0)) }
        let vgg = try self.vgg.load()
        var config = UniversalStyleConfig()
        config.strength = strength
        config.preserveColors = preserveColors
        if let size { config.maxSize = size }
        config.styleScale = styleScale
        config.workingSize = workingSize.side(automatic: UniversalStyleConfig().workingSize)
        config.finishSteps = finish
        let blend = try self.config().styleBlend ?? []

        let cache = UniversalStyleCache()   // the paintings' features, taken once for photos of one size
        let (outputs, failures) = try paintEach(pairs, reporter: reporter) { photo, target in
            try paintFast(photo, to: target, styles: styles, blend: blend, decoders: decoderNets, vgg: vgg, config: config,
                          cache: cache, reporter: reporter)
        }
        let settings: [String: Any] = ["levels": decoderNets.map(\.level.rawValue), "finish_steps": config.finishSteps]
        if pairs.count == 1, let only = outputs.first {
            reporter.summary(only.merging(settings) { $1 })
        } else {
            reporter.summary(settings.merging(["outputs": outputs, "failed": failures]) { $1 })
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// One photo through the pipeline (and `--refine`), written to `target`; its summary entry.
    private func paintFast(_ photoPath: String, to target: String, styles: [Image], blend: [Float], decoders: [VGGDecoder],
                           vgg: VGG16Features, config: UniversalStyleConfig, cache: UniversalStyleCache,
                           reporter: Reporter) throws -> [String: Any] {
        let start = Date()
        let content = try Image.load(URL(fileURLWithPath: photoPath))
        var result = try UniversalStyle.stylize(content: content, styles: styles, blend: blend, decoders: decoders, vgg: vgg,
                                                config: config, cache: cache) { timing in
            reporter.progress(String(format: "%@ done in %.2f s", timing.level.rawValue, timing.seconds))
        } onFinish: { seconds in
            reporter.progress(String(format: "finishing steps done in %.2f s", seconds))
        }
        var entry: [String: Any] = [:]
        if refine > 0 {
            // The decoders only approximately invert the transformed features; a few optimiser steps finish the job.
            let refined = try Gatys.refine(result, content: content, styles: styles, config: try self.config(),
                                           iterations: refine, optimizer: optimizer, vgg: vgg,
                                           onEvent: gatysEvents(reporter: reporter, outputPath: target))
            result = refined.image
            entry = ["refine_iterations": refine, "content_loss": refined.contentLoss, "style_loss": refined.styleLoss]
        }
        try result.save(to: URL(fileURLWithPath: target))
        let seconds = Date().timeIntervalSince(start)
        reporter.note(String(format: "wrote %@ (%dx%d) in %@", target, result.width, result.height, formatDuration(seconds)))
        return entry.merging(["input": photoPath, "output": target, "width": result.width, "height": result.height,
                              "seconds": seconds]) { $1 }
    }
}
