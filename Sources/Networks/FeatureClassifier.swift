// A classifier head on frozen VGG16 features: global-average-pooled activations of one or more VGG layers,
// concatenated, standardised with statistics of the training set, then a linear layer or a one-hidden-layer MLP.
import NeuralCore

/// Settings of a FeatureClassifier head, saved as JSON in the model's metadata.
public struct FeatureClassifierConfig: Codable, Equatable, Sendable {
    /// VGG16 layers whose global-average-pooled activations are concatenated, in this order.
    public var layers: [VGGLayer] = [.relu5_3]
    /// Images are resized (shorter side) and centre-cropped to this square size, in pixels, before VGG16.
    public var inputSize = 224
    /// Hidden units of the MLP; 0 makes the head a single linear layer.
    public var hidden = 0
    /// Dropout probability on the hidden layer (MLP only).
    public var dropout: Float = 0.3
    /// Output classes K.
    public var classes = 2

    public init(layers: [VGGLayer] = [.relu5_3], inputSize: Int = 224, hidden: Int = 0, dropout: Float = 0.3, classes: Int = 2) {
        self.layers = layers; self.inputSize = inputSize; self.hidden = hidden; self.dropout = dropout; self.classes = classes
    }

    /// Length D of the feature vector: the sum of the layers' channel counts.
    public var featureCount: Int { layers.reduce(0) { $0 + $1.channels } }

    /// Input sizes accepted: VGG16's relu5 layers need 32 px (four poolings), and 1024 px bounds the activations.
    public static let inputSizes = 32...1024

    /// A one-line problem with these settings (e.g. read from an untrusted file's metadata), or nil when the head
    /// they describe can be built and run.
    public var problem: String? {
        if !(1...VGGLayer.allCases.count).contains(layers.count) {
            return "\(layers.count) feature layers (1…\(VGGLayer.allCases.count) expected)"
        }
        if !Self.inputSizes.contains(inputSize) { return "input size \(inputSize) is not in \(Self.inputSizes.lowerBound)…\(Self.inputSizes.upperBound)" }
        if !(0...FashionCNNConfig.maximumHidden).contains(hidden) { return "hidden width \(hidden) is not in 0…\(FashionCNNConfig.maximumHidden)" }
        if !(1...FashionCNNConfig.maximumClasses).contains(classes) { return "class count \(classes) is not in 1…\(FashionCNNConfig.maximumClasses)" }
        if !(dropout >= 0 && dropout < 1) { return "dropout \(dropout) is not in [0, 1)" }
        return nil
    }
}

/// The head: features [N, D] → logits [N, K]. Keys: normalize.mean, normalize.std, fc1.*, (fc2.*).
public final class FeatureClassifier: ClassifierNetwork {
    public let config: FeatureClassifierConfig
    public let store: WeightStore
    public var classes: Int { config.classes }
    /// Per-feature mean and standard deviation of the training features (not trainable).
    public let featureMean: Tensor
    public let featureStd: Tensor
    private let first: LinearLayer
    private let second: LinearLayer?

    /// Builds the head from `weights` (loaded or fresh). Throws the store's error for a missing or mis-shaped tensor.
    public init(config: FeatureClassifierConfig, weights: WeightStore) throws {
        if let problem = config.problem { throw WeightStoreError(file: weights.source, problem: "feature head: \(problem)") }
        self.config = config
        self.store = weights
        let d = config.featureCount
        featureMean = try weights.tensor("normalize.mean", shape: [d], initializer: .zeros, trainable: false)
        featureStd = try weights.tensor("normalize.std", shape: [d], initializer: .ones, trainable: false)
        if config.hidden > 0 {
            first = try LinearLayer(inFeatures: d, outFeatures: config.hidden, weights: weights.scope("fc1"))
            second = try LinearLayer(inFeatures: config.hidden, outFeatures: config.classes, beforeReLU: false,
                                     weights: weights.scope("fc2"))
        } else {
            first = try LinearLayer(inFeatures: d, outFeatures: config.classes, beforeReLU: false, weights: weights.scope("fc1"))
            second = nil
        }
    }

    /// Sets the standardisation from training features [N, D] (row-major): per column mean and std.
    /// Stds are floored at a tenth of the average column std, so near-constant features (often all-zero ReLU
    /// channels at small inputs) are not blown up into huge inputs by a tiny divisor.
    public func setFeatureStatistics(from features: [Float], count n: Int) {
        let d = config.featureCount
        precondition(features.count == n * d && n > 0, "setFeatureStatistics: need \(n)×\(d) values, got \(features.count)")
        var mean = [Double](repeating: 0, count: d), square = [Double](repeating: 0, count: d)
        for i in 0..<n {
            for j in 0..<d {
                let v = Double(features[i * d + j])
                mean[j] += v; square[j] += v * v
            }
        }
        var std = [Double](repeating: 0, count: d)
        for j in 0..<d {
            mean[j] /= Double(n)
            std[j] = max(square[j] / Double(n) - mean[j] * mean[j], 0).squareRoot()
        }
        let floor = max(std.reduce(0, +) / Double(d) * 0.1, 1e-6)
        for j in 0..<d {
            featureMean.data[j] = Float(mean[j])
            featureStd.data[j] = Float(max(std[j], floor))
        }
    }

    /// Standardised features: (x − mean) / std per column. Constant, so no gradient is recorded for it.
    public func standardize(_ x: Tensor) -> Tensor {
        let d = config.featureCount
        precondition(x.shape.count == 2 && x.shape[1] == d, "FeatureClassifier input must be [N, \(d)], got \(x.shape)")
        var out = x.data
        let mean = featureMean.data, std = featureStd.data
        for i in 0..<x.shape[0] {
            for j in 0..<d { out[i * d + j] = (out[i * d + j] - mean[j]) / std[j] }
        }
        return Tensor(shape: x.shape, data: out)
    }

    public func logits(_ x: Tensor, mode: Mode, generator: inout SeededGenerator) -> Tensor {
        let z = standardize(x)
        guard let second else { return first(z) }
        var h = first(z).relu()
        if config.dropout > 0 { h = h.dropout(probability: config.dropout, mode: mode, generator: &generator) }
        return second(h)
    }

    public func prepareForSaving() {}
}
