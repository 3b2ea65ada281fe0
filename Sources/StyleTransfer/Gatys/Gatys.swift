// Gatys, Ecker & Bethge, "Image Style Transfer Using Convolutional Neural Networks" (CVPR 2016): optimise the pixels of
// an image so its VGG16 features match a content photo and its Gram matrices match one or more paintings.
import Foundation
import ImageIO
import NeuralCore
import Networks

/// One optimisation step's figures, for progress reports.
public struct GatysProgress: Sendable {
    public var scale: Int, scales: Int
    public var iteration: Int, iterations: Int
    public var width: Int, height: Int
    public var contentLoss: Float, styleLoss: Float, tvLoss: Float, totalLoss: Float
    /// Seconds since the start, and an estimate of the seconds left over all scales.
    public var elapsed: Double, eta: Double
}

public enum GatysEvent {
    case progress(GatysProgress)
    /// The current image, every `saveEvery` iterations of the last scale.
    case intermediate(Image, iteration: Int)
}

public struct GatysResult: Sendable {
    public var image: Image
    /// Unweighted loss terms at the returned image (the total is weighted: contentWeight·content + …).
    public var contentLoss: Float, styleLoss: Float, tvLoss: Float, totalLoss: Float
    public var iterations: Int
    public var seconds: Double
}

public enum StyleTransferError: Error, CustomStringConvertible {
    case imageTooSmall(String, width: Int, height: Int)
    case badConfig(String)

    public var description: String {
        switch self {
        case .imageTooSmall(let what, let w, let h): return "\(what) is \(w)x\(h) pixels; at least 16x16 is needed"
        case .badConfig(let problem): return problem
        }
    }
}

public enum Gatys {
    /// Stylizes `content` with the blended `styles`. Throws for images under 16 px or inconsistent settings.
    /// - Parameter start: the image optimisation starts from (any size: resized to the first scale's), in place of
    ///   `config.initialization`; for example a `UniversalStyle` result to refine.
    public static func stylize(content: Image, styles: [Image], config: GatysConfig, vgg: VGG16Features, start: Image? = nil,
                               onEvent: (GatysEvent) -> Void = { _ in }) throws -> GatysResult {
        try validate(content: content, styles: styles, start: start, config: config)
        let startTime = Date()
        let blend = config.styleBlend ?? Array(repeating: 1, count: styles.count)
        var (workContent, workStyles) = (content.rgb(), styles.map { $0.rgb() })
        switch config.preserveColors {
        case .histogram: workStyles = workStyles.map { $0.histogramMatched(to: workContent) }
        case .luminance: (workContent, workStyles) = ColorTransfer.luminanceOnly(content: workContent, styles: workStyles)
        case nil: break
        }

        let sizes = scaleSizes(config)
        let areaTotal = sizes.reduce(0.0) { $0 + Double($1 * $1) }
        var areaDone = 0.0
        var x: Tensor? = nil
        var last = (content: Float(0), style: Float(0), tv: Float(0), total: Float(0))
        for (index, size) in sizes.enumerated() {
            let target = workContent.resized(longestSide: size)
            let contentX = VGG16Features.preprocess(target)
            let styleXs = workStyles.map { VGG16Features.preprocess($0.resized(longestSide: max(16, Int(Float(size) * config.styleScale)))) }
            let problem = GatysProblem(content: contentX, styles: styleXs, blend: blend, config: config, vgg: vgg)
            let x0 = x.map { upsample($0, toMatch: contentX) }
                ?? start.map { startingImage($0, toMatch: contentX, luminanceOnly: config.preserveColors == .luminance) }
                ?? initialImage(config, content: contentX, styles: styleXs)
            let scaleStart = Date()
            let isLast = index == sizes.count - 1
            x = problem.optimize(from: x0) { iteration, terms, current in
                last = terms
                let elapsed = Date().timeIntervalSince(startTime)
                let perIteration = Date().timeIntervalSince(scaleStart) / Double(iteration)
                let left = Double(config.iterations - iteration) * perIteration
                    + Double(config.iterations) * perIteration * (areaTotal - areaDone - Double(size * size)) / Double(size * size)
                onEvent(.progress(GatysProgress(scale: index + 1, scales: sizes.count, iteration: iteration,
                                                iterations: config.iterations, width: contentX.shape[3], height: contentX.shape[2],
                                                contentLoss: terms.content, styleLoss: terms.style, tvLoss: terms.tv,
                                                totalLoss: terms.total, elapsed: elapsed, eta: max(0, left))))
                if isLast, config.saveEvery > 0, iteration % config.saveEvery == 0, iteration < config.iterations {
                    onEvent(.intermediate(finish(current, content: content, config: config), iteration: iteration))
                }
            }
            areaDone += Double(size * size)
            if isLast { last = problem.losses(at: x!) }
        }
        return GatysResult(image: finish(x!, content: content, config: config), contentLoss: last.content,
                           styleLoss: last.style, tvLoss: last.tv, totalLoss: last.total,
                           iterations: config.iterations * sizes.count, seconds: Date().timeIntervalSince(startTime))
    }

    static func validate(content: Image, styles: [Image], start: Image?, config: GatysConfig) throws {
        guard !styles.isEmpty else { throw StyleTransferError.badConfig("at least one style image is needed") }
        for (what, image) in [("the content image", content), ("the starting image", start)] {
            if let image, image.width < 16 || image.height < 16 {
                throw StyleTransferError.imageTooSmall(what, width: image.width, height: image.height)
            }
        }
        for (i, s) in styles.enumerated() where s.width < 16 || s.height < 16 {
            throw StyleTransferError.imageTooSmall("style image \(i + 1)", width: s.width, height: s.height)
        }
        try config.validate(styleCount: styles.count)
    }

    /// Longest sides from coarse to fine, each twice the previous.
    static func scaleSizes(_ config: GatysConfig) -> [Int] {
        (0..<config.scales).map { config.imageSize >> (config.scales - 1 - $0) }
    }

    static func initialImage(_ config: GatysConfig, content: Tensor, styles: [Tensor]) -> Tensor {
        switch config.initialization {
        case .content:
            return content.detached()
        case .style:
            let image = VGG16Features.deprocess(styles[0]).resized(width: content.shape[3], height: content.shape[2])
            return VGG16Features.preprocess(image)
        case .noise:
            var generator = SeededGenerator(seed: config.seed)
            var data = [Float](repeating: 0, count: content.count)
            for i in data.indices { data[i] = 50 * generator.nextGaussian() }
            return Tensor(shape: content.shape, data: data)
        }
    }

    /// A given starting image at the first scale's size; gray when only luminance is transferred (the photo's colours
    /// come back at the end).
    static func startingImage(_ image: Image, toMatch content: Tensor, luminanceOnly: Bool) -> Tensor {
        var rgb = image.rgb().resized(width: content.shape[3], height: content.shape[2])
        if luminanceOnly { rgb = rgb.gray().rgb() }
        return VGG16Features.preprocess(rgb)
    }

    /// Bicubic upsampling of the previous scale's result to the next scale's size, in pixel space.
    static func upsample(_ x: Tensor, toMatch content: Tensor) -> Tensor {
        let image = VGG16Features.deprocess(x).resized(width: content.shape[3], height: content.shape[2])
        return VGG16Features.preprocess(image)
    }

    static func finish(_ x: Tensor, content: Image, config: GatysConfig) -> Image {
        let output = VGG16Features.deprocess(x)
        guard config.preserveColors == .luminance else { return output }
        return ColorTransfer.combine(luminanceOf: output, colorsOf: content.rgb().resized(width: output.width, height: output.height))
    }
}


extension Gatys {
    /// The optimiser of a refinement when none is named: Adam. L-BFGS's first step is scaled by 1/Σ|g| (PyTorch's
    /// rule), so from a finished picture its line search spent 6 of 10 evaluations growing the step (sunset ×
    /// Composition VII from `--fast`'s result: style 1.64e5 → 1.62e5 after 10 evaluations, against 2.2e4 with Adam).
    public static let refineOptimizer: GatysOptimizer = .adam

    /// `iterations` optimiser steps from `start`, an already painted picture (e.g. `--fast`'s), at its size and one
    /// scale, with `config`'s losses: they pull its Gram matrices the rest of the way to the painting's. `optimizer`
    /// nil means `refineOptimizer`.
    public static func refine(_ start: Image, content: Image, styles: [Image], config: GatysConfig, iterations: Int,
                              optimizer: GatysOptimizer? = nil, vgg: VGG16Features,
                              onEvent: (GatysEvent) -> Void = { _ in }) throws -> GatysResult {
        var config = config
        config.iterations = iterations
        config.optimizer = optimizer ?? refineOptimizer
        config.imageSize = max(start.width, start.height)
        config.scales = 1
        return try stylize(content: content, styles: styles, config: config, vgg: vgg, start: start, onEvent: onEvent)
    }
}
