// The settings of `nst train-decoder` (DecoderTraining.run), with their defaults and the rules a resumed run keeps.
import Foundation
import Networks

public struct DecoderTrainingConfig: Codable, Equatable, Sendable {
    public var level: VGGLayer = .relu4_1
    /// Side of the square random training crops (a multiple of 16).
    public var imageSize = 192
    public var batchSize = 4
    public var iterations = 1000
    public var learningRate: Float = 1e-3
    public var cosineDecay = true
    /// λ, the weight of the feature reconstruction term. In our VGG space (0–255 pixels) the feature MSE at relu3_1
    /// and relu4_1 runs 50–300× the pixel MSE, so λ = 0.01 keeps the two terms within a few times of each other.
    public var featureWeight: Float = 0.01
    /// How many images of each batch also get the feature term (nil: all). The feature term runs VGG16 forward and
    /// backward over the reconstruction, a third of a relu4_1 step; on one image of four it keeps its weight (the MSE
    /// is a mean) and the step gets about 30 % shorter (measured), so more steps fit in the same time.
    public var featureImages: Int? = nil
    /// Steps at the end whose weights are averaged into the saved decoder (nil: the last step's weights). It does not
    /// change training itself (the checkpoint keeps the last step's weights and the running sum), so it may change on
    /// --resume as long as the averaging has not started yet.
    public var averageLast: Int? = nil
    public var seed: UInt64 = 0
    /// Orientations of the training crops (checkpoints written before the setting: `.mirror`, filled in on decoding).
    public var orientations: CropOrientations = .mirror
    /// Colours of the training crops (checkpoints written before the setting: `.natural`, filled in on decoding).
    public var colors: CropColors = .natural
    /// The shorter side photos are kept at, so crops range from `imageSize` to this before being resized to
    /// `imageSize`. nil (the default, and checkpoints written before the setting) means `2 × imageSize`: a default
    /// that follows the crop size, so it stays nil rather than being fixed when the crop size is not yet known.
    public var photoSize: Int? = nil
    /// Weight of the style term of the stylised objective (0, the default: plain reconstruction). Above 0 each crop's
    /// features are first whitened and coloured with another crop's (`DecoderTraining.stylisedLoss`), so the decoder
    /// learns to turn transformed features, the ones `--fast` gives it, into an image that has them: reconstruction
    /// alone never shows it those, and its re-encoded outputs then miss the target's statistics by several times.
    public var styleWeight: Float = 0
    /// The decoder file training starts from (nil: fresh weights); the stylised objective fine-tunes a reconstruction
    /// decoder rather than starting again.
    public var initialModel: String? = nil

    public init() {}

    /// The shorter side photos are kept at.
    public var effectivePhotoSize: Int { photoSize ?? ContentImages.defaultPhotoSize(cropSize: imageSize) }

    /// The images per batch that get the feature term (nil `featureImages` follows the batch size: all of them).
    public var effectiveFeatureImages: Int { min(featureImages ?? batchSize, batchSize) }

    /// The step after which the weights start being summed into the average (`iterations` when they are not).
    public var averageStart: Int { iterations - min(averageLast ?? 0, iterations) }

    /// These settings with the defaults that follow other settings replaced by the values training uses, so two that
    /// train alike are equal.
    var resolved: DecoderTrainingConfig {
        var c = self
        c.photoSize = effectivePhotoSize
        c.featureImages = effectiveFeatureImages
        return c
    }

    /// Only the number of steps and the averaging may change when a checkpoint is continued: neither changes a step
    /// (and `--init-model` is not given again).
    public func isResumable(as other: DecoderTrainingConfig) -> Bool {
        var a = resolved, b = other.resolved
        a.iterations = 0; b.iterations = 0
        a.averageLast = nil; b.averageLast = nil
        a.initialModel = nil; b.initialModel = nil   // where the weights came from is history once a checkpoint holds them
        return a == b
    }

    /// A one-line problem with these settings, or nil.
    public var problem: String? {
        if !VGGDecoder.supportedLevels.contains(level) {
            return "--level must be one of " + VGGDecoder.supportedLevels.map(\.rawValue).joined(separator: ", ")
        }
        if imageSize < 32 || imageSize % 16 != 0 { return "--image-size must be a multiple of 16, at least 32 (got \(imageSize))" }
        if let n = photoSize, n < imageSize { return "--photo-size must be at least --image-size (\(imageSize)), got \(n)" }
        if batchSize < 1 || iterations < 1 { return "--batch-size and --iterations must be at least 1" }
        if !(learningRate > 0 && learningRate.isFinite) { return "--learning-rate must be positive" }
        if featureWeight < 0 { return "--feature-weight must not be negative" }
        if let n = featureImages, n < 1 || n > batchSize { return "--feature-images must be between 1 and --batch-size (\(batchSize)), got \(n)" }
        if !(styleWeight >= 0 && styleWeight.isFinite) { return "--style-weight must not be negative" }
        if let n = averageLast, n < 1 || n > iterations { return "--average-last must be between 1 and --iterations (\(iterations)), got \(n)" }
        return nil
    }
}

extension DecoderTrainingConfig {
    /// Reads settings saved by any version: those added since the first decoder files take what those files meant.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        level = try c.decode(VGGLayer.self, forKey: .level)
        imageSize = try c.decode(Int.self, forKey: .imageSize)
        batchSize = try c.decode(Int.self, forKey: .batchSize)
        iterations = try c.decode(Int.self, forKey: .iterations)
        learningRate = try c.decode(Float.self, forKey: .learningRate)
        cosineDecay = try c.decode(Bool.self, forKey: .cosineDecay)
        featureWeight = try c.decode(Float.self, forKey: .featureWeight)
        featureImages = try c.decodeIfPresent(Int.self, forKey: .featureImages)
        averageLast = try c.decodeIfPresent(Int.self, forKey: .averageLast)
        seed = try c.decode(UInt64.self, forKey: .seed)
        orientations = try c.decodeIfPresent(CropOrientations.self, forKey: .orientations) ?? .mirror
        colors = try c.decodeIfPresent(CropColors.self, forKey: .colors) ?? .natural
        photoSize = try c.decodeIfPresent(Int.self, forKey: .photoSize)
        styleWeight = try c.decodeIfPresent(Float.self, forKey: .styleWeight) ?? 0
        initialModel = try c.decodeIfPresent(String.self, forKey: .initialModel)
    }
}
