// Frozen VGG16 as a feature extractor for classifier heads: global-average-pooled activations of chosen layers,
// concatenated. Gradients are never recorded (the conv weights are frozen and the head trains on cached vectors).
import Foundation
import Networks
import NeuralCore

/// Maps VGG-space images [N, 3, S, S] to feature vectors [N, D], D = Σ channels of `layers`.
public final class VGGFeatureExtractor {
    public let vgg: VGG16Features
    public let layers: [VGGLayer]

    public init(vgg: VGG16Features, layers: [VGGLayer]) {
        precondition(!layers.isEmpty, "VGGFeatureExtractor needs at least one layer")
        self.vgg = vgg
        self.layers = layers
    }

    /// Feature length D.
    public var featureCount: Int { layers.reduce(0) { $0 + $1.channels } }

    /// Features [count, D] (row-major) of `count` prepared samples of `side`×`side`, in batches of `batchSize`.
    public func features(_ inputs: [Float], count: Int, side: Int, batchSize: Int = 8) -> [Float] {
        let size = 3 * side * side, d = featureCount
        precondition(inputs.count == count * size, "features: \(count) inputs of 3×\(side)×\(side) need \(count * size) values")
        var out = [Float](repeating: 0, count: count * d)
        withoutGradients {
            var lower = 0
            while lower < count {
                let n = min(batchSize, count - lower)
                let x = Tensor(shape: [n, 3, side, side], data: Array(inputs[(lower * size)..<((lower + n) * size)]))
                let activations = vgg.features(x, at: Set(layers))
                let pooled = Tensor.concat(layers.map { activations[$0]!.globalAvgPool() }, axis: 1)
                out.replaceSubrange((lower * d)..<((lower + n) * d), with: pooled.data)
                lower += n
            }
        }
        return out
    }
}
