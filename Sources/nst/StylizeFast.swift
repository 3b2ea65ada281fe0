// `nst stylize content.jpg style.jpg --fast`: universal style transfer (Li et al. 2017) with the trained decoders.
import ArgumentParser
import Foundation
import ImageIO
import Networks
import StyleTransfer

extension NST.Stylize {
    func runFast() throws {
        let reporter = Reporter(outputOptions)
        let outputPath = output ?? defaultOutputPath()
        try checkImageOutput(outputPath)
        let start = Date()
        let folder = decoders.map { URL(fileURLWithPath: $0) } ?? VGG16Features.defaultWeightsURL().deletingLastPathComponent()
        let decoderNets = try UniversalStyle.loadDecoders(directory: folder, levels: try VGGLayer.parseList(levels))
        let content = try Image.load(URL(fileURLWithPath: images[0]))
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
        var result = try UniversalStyle.stylize(content: content, styles: styles, blend: blend, decoders: decoderNets, vgg: vgg,
                                                config: config) { timing in
            reporter.progress(String(format: "%@ done in %.2f s", timing.level.rawValue, timing.seconds))
        } onFinish: { seconds in
            reporter.progress(String(format: "finishing steps done in %.2f s", seconds))
        }
        var summary: [String: Any] = [:]
        if refine > 0 {
            // The decoders only approximately invert the transformed features; a few optimiser steps finish the job.
            let refined = try Gatys.refine(result, content: content, styles: styles, config: try self.config(),
                                           iterations: refine, optimizer: optimizer, vgg: vgg,
                                           onEvent: gatysEvents(reporter: reporter, outputPath: outputPath))
            result = refined.image
            summary = ["refine_iterations": refine, "content_loss": refined.contentLoss, "style_loss": refined.styleLoss]
        }
        try result.save(to: URL(fileURLWithPath: outputPath))
        let seconds = Date().timeIntervalSince(start)
        reporter.note(String(format: "wrote %@ (%dx%d) in %@", outputPath, result.width, result.height, formatDuration(seconds)))
        summary.merge(["output": outputPath, "width": result.width, "height": result.height, "seconds": seconds,
                       "levels": decoderNets.map(\.level.rawValue),
                       "finish_steps": config.finishSteps]) { $1 }
        reporter.summary(summary)
    }

}
