// Settings of one `nst train-stylizer` run. Saved as JSON in the model and checkpoint metadata, so a model file says
// how it was made and a resumed run can check it continues the same training.
import Networks

public struct StylizerTrainingConfig: Codable, Equatable, Sendable {
    public var architecture: StylizerArchitecture = .light
    /// Side of the square random crops the network trains on, in pixels (a multiple of the architecture's size multiple).
    public var imageSize = 256
    public var batchSize = 4
    /// Optimiser steps in all (`--epochs` is converted to steps before training starts).
    public var iterations = 2000
    /// Adam's step size, decayed by a cosine schedule to 10% over `iterations` when `cosineDecay` is on.
    public var learningRate: Float = 1e-3
    public var cosineDecay = true
    public var contentWeight: Float = 1
    public var styleWeight: Float = 30
    public var tvWeight: Float = 1e-4
    public var contentLayer: VGGLayer = .relu2_2
    public var styleLayers: [VGGLayer] = [.relu1_2, .relu2_2, .relu3_3, .relu4_3]
    /// Longest side the style image is resized to before its Gram matrices are taken (nil: 2 × imageSize). Brush
    /// strokes in the output scale with this relative to the crop size.
    public var styleSize: Int?
    public var seed: UInt64 = 0

    public init() {}

    /// Layers the content loss may use: Johnson's two, and relu4_2, the layer `nst stylize` and `nst score` use
    /// (matching the structure the score measures rather than finer edges).
    public static let contentLayers: [VGGLayer] = [.relu2_2, .relu3_3, .relu4_2]
    /// "relu2_2, relu3_3 or relu4_2", for messages and help.
    public static var contentLayerNames: String {
        let names = contentLayers.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    /// The style image's working size.
    public var effectiveStyleSize: Int { styleSize ?? 2 * imageSize }

    /// Whether a checkpoint written with `self` may be continued with `other`: only the number of steps may change.
    public func isResumable(as other: StylizerTrainingConfig) -> Bool {
        var a = self, b = other
        a.iterations = 0; b.iterations = 0
        return a == b
    }

    /// A one-line problem with these settings, or nil.
    public var problem: String? {
        let m = architecture.sizeMultiple
        if imageSize < 32 || imageSize % m != 0 { return "--image-size must be a multiple of \(m), at least 32 (got \(imageSize))" }
        if batchSize < 1 { return "--batch-size must be at least 1" }
        if iterations < 1 { return "--iterations must be at least 1" }
        if !(learningRate > 0 && learningRate.isFinite) { return "--learning-rate must be positive" }
        if contentWeight < 0 || styleWeight < 0 || tvWeight < 0 { return "loss weights must not be negative" }
        if styleLayers.isEmpty { return "give at least one style layer" }
        if !Self.contentLayers.contains(contentLayer) { return "--content-layer must be \(Self.contentLayerNames)" }
        if let s = styleSize, s < 32 { return "--style-size must be at least 32" }
        return nil
    }
}
