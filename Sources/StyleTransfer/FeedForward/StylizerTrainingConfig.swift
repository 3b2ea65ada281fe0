// Settings of one `nst train-stylizer` run. Saved as JSON in the model and checkpoint metadata, so a model file says
// how it was made and a resumed run can check it continues the same training. Decoding fills the settings added
// since the first models with what those models were trained with, so every field is read as it is.
import Networks
import NeuralCore

public struct StylizerTrainingConfig: Codable, Equatable, Sendable {
    public var architecture: StylizerArchitecture = .light
    // The defaults are the recipe of the shipped Starry Night and Great Wave models (weights/README.md): 2600 steps of 2 crops of
    // 192 px take about 35 minutes on 2 cores.
    /// Side of the square random crops the network trains on, in pixels (a multiple of the architecture's size multiple).
    public var imageSize = 192
    public var batchSize = 2
    /// Optimiser steps in all (`--epochs` is converted to steps before training starts).
    public var iterations = 2600
    /// Adam's step size, decayed by a cosine schedule to 10% over `iterations` when `cosineDecay` is on.
    public var learningRate: Float = 1e-3
    public var cosineDecay = true
    public var contentWeight: Float = 1
    public var styleWeight: Float = 0.2
    /// Weight of total variation. With `tvMean` (every model written since) TV is a mean over pixels and channels,
    /// like the content and style terms, so the weight means the same at every crop size; false (older models, which
    /// do not store it) means the sum over pixels divided by the batch size, so old weight w at crop size s is w·3·s² now.
    public var tvWeight: Float = 10
    public var tvMean = true
    /// Weight of the palette term: histogram matching (`Tensor.histogramLoss`) of the output's luminance and two
    /// opponent colour axes against the painting's, so the network paints with the painting's colours in their
    /// proportions, which Gram matrices alone do not pin down. Models written before it had none: 0.
    public var paletteWeight: Float = 50
    /// The single content layer of models written before `contentLayers` existed; still written (as the last of
    /// `contentLayers`) because readers from then require it. Relu4_2 is the layer `nst stylize` and `nst score` use
    /// (Gatys et al.); Johnson's choice was relu2_2.
    public var contentLayer: VGGLayer = .relu4_2
    /// The content layers, summed (e.g. relu2_2 for edges beside relu4_2 for layout); older models: [contentLayer].
    /// The default, relu2_2 at 0.4 beside relu4_2, keeps the photo's edges and local contrast (its structure at the
    /// scale `nst score` measures it) where relu4_2 alone let the painting's strokes replace them
    /// (docs/feedforward-quality.md).
    public var contentLayers: [VGGLayer] = [.relu2_2, .relu4_2]
    /// A weight per entry of `contentLayers` (times `contentWeight`); older models: 1 each.
    public var contentLayerWeights: [Float] = [0.4, 1]
    public var styleLayers: [VGGLayer] = [.relu1_1, .relu2_1, .relu3_1, .relu4_1, .relu5_1]
    /// Longest side the style image is resized to before its Gram matrices are taken. The network learns the painting's
    /// textures at that size in pixels and paints them so at any photo size, so this should be near the size of the
    /// largest photos it will paint: then the result has the painting's proportions, as `nst stylize` gives with its
    /// default style scale; smaller photos are painted enlarged (`StylizerModel.automaticWorkingSize`). Models
    /// written before this setting had a default do not store it: 2 × imageSize.
    public var styleSize = 1024
    /// How the network's last layer becomes pixels (models written before this setting existed: `.tanh150`).
    public var outputStage: StylizerOutput = .pixels
    /// How the network doubles its resolution on the way up (models written before this setting existed: `.nearest`).
    public var upsampling: StylizerUpsampling = .bilinear
    /// Whether the network gets noise planes to paint texture from (models written before: none).
    public var noise = true
    public var seed: UInt64 = 0
    /// File name of the model whose weights the network started from (`--init-model`); nil: a fresh seeded network.
    public var initialModel: String? = nil

    public init() {}

    /// Layers the content loss may use: Johnson's two, and relu4_2, the layer `nst stylize` and `nst score` use
    /// (matching the structure the score measures rather than finer edges).
    public static let contentLayers: [VGGLayer] = [.relu2_2, .relu3_3, .relu4_2]
    /// "relu2_2, relu3_3 or relu4_2", for messages and help.
    public static var contentLayerNames: String {
        let names = contentLayers.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    /// The network these settings describe, built from `weights` (a fresh seeded store, or a model file's tensors):
    /// the one place a setting of the network's shape is read, so training and loading cannot disagree.
    public func network(weights: WeightStore) throws -> TransformerNet {
        try TransformerNet(architecture: architecture, output: outputStage, upsampling: upsampling, noise: noise, weights: weights)
    }

    /// Whether a network built from `self` has the same layout (and tensors) as one built from `other`.
    public func hasNetwork(of other: StylizerTrainingConfig) -> Bool {
        architecture == other.architecture && outputStage == other.outputStage && upsampling == other.upsampling
            && noise == other.noise
    }

    /// Whether a checkpoint written with `self` may be continued with `other`: only the number of steps may change.
    public func isResumable(as other: StylizerTrainingConfig) -> Bool {
        var a = self, b = other
        a.iterations = 0; b.iterations = 0
        a.initialModel = nil; b.initialModel = nil
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
        if !contentLayers.allSatisfy(Self.contentLayers.contains) || contentLayers.isEmpty {
            return "--content-layer must be \(Self.contentLayerNames), or a comma-separated list of them"
        }
        if paletteWeight < 0 || contentLayerWeights.contains(where: { !($0 >= 0) }) {
            return "loss weights must not be negative"
        }
        if contentLayerWeights.count != contentLayers.count { return "give one weight per content layer" }
        if styleSize < 32 { return "--style-size must be at least 32" }
        return nil
    }
}

extension StylizerTrainingConfig {
    /// Reads settings saved by any version: those added since the first models take what those models used.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        architecture = try c.decode(StylizerArchitecture.self, forKey: .architecture)
        imageSize = try c.decode(Int.self, forKey: .imageSize)
        batchSize = try c.decode(Int.self, forKey: .batchSize)
        iterations = try c.decode(Int.self, forKey: .iterations)
        learningRate = try c.decode(Float.self, forKey: .learningRate)
        cosineDecay = try c.decode(Bool.self, forKey: .cosineDecay)
        contentWeight = try c.decode(Float.self, forKey: .contentWeight)
        styleWeight = try c.decode(Float.self, forKey: .styleWeight)
        tvWeight = try c.decode(Float.self, forKey: .tvWeight)
        tvMean = try c.decodeIfPresent(Bool.self, forKey: .tvMean) ?? false
        paletteWeight = try c.decodeIfPresent(Float.self, forKey: .paletteWeight) ?? 0
        contentLayer = try c.decode(VGGLayer.self, forKey: .contentLayer)
        contentLayers = try c.decodeIfPresent([VGGLayer].self, forKey: .contentLayers) ?? [contentLayer]
        contentLayerWeights = try c.decodeIfPresent([Float].self, forKey: .contentLayerWeights)
            ?? [Float](repeating: 1, count: contentLayers.count)
        styleLayers = try c.decode([VGGLayer].self, forKey: .styleLayers)
        styleSize = try c.decodeIfPresent(Int.self, forKey: .styleSize) ?? 2 * imageSize
        outputStage = try c.decodeIfPresent(StylizerOutput.self, forKey: .outputStage) ?? .tanh150
        upsampling = try c.decodeIfPresent(StylizerUpsampling.self, forKey: .upsampling) ?? .nearest
        noise = try c.decodeIfPresent(Bool.self, forKey: .noise) ?? false
        seed = try c.decode(UInt64.self, forKey: .seed)
        initialModel = try c.decodeIfPresent(String.self, forKey: .initialModel)
    }
}
