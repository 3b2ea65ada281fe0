// Small CNNs for 28×28 gray images (Fashion-MNIST). `seeds` is the classic TensorFlow-tutorial network the issue
// names; `bn-cnn` is ours: VGG-style 3×3 convs with batch norm (cheap enough for Winograd kernels), trained with
// flips and shifts. It costs about as much per image as `seeds` (≈30 vs 28 MFLOP forward).
import NeuralCore

/// Which FashionCNN layout to build.
public enum FashionArchitecture: String, Codable, CaseIterable, Sendable {
    /// conv 32 5×5 → ReLU → pool → conv 64 5×5 → ReLU → pool → FC 1024 → ReLU → dropout → FC K.
    case seeds
    /// [conv 3×3 → BN → ReLU] at 32 → pool → at 64, 64 → pool → at 128 → pool → FC hidden → BN → ReLU → dropout → FC K.
    case bnCNN = "bn-cnn"
}

/// Settings of a FashionCNN, saved as JSON in the model's metadata and checked before any tensor is read.
public struct FashionCNNConfig: Codable, Equatable, Sendable {
    public var architecture: FashionArchitecture = .seeds
    /// Output classes K.
    public var classes = 10
    /// Input side in pixels (square images); must be divisible by 4.
    public var side = 28
    /// Input channels (1 for gray).
    public var channels = 1
    /// Units of the hidden fully connected layer (nil: 1024 for seeds, 256 for bn-cnn).
    public var hidden: Int?
    /// Dropout probability before the last layer.
    public var dropout: Float = 0.4

    public init(architecture: FashionArchitecture = .seeds, classes: Int = 10, side: Int = 28, channels: Int = 1,
                hidden: Int? = nil, dropout: Float = 0.4) {
        self.architecture = architecture; self.classes = classes; self.side = side; self.channels = channels
        self.hidden = hidden; self.dropout = dropout
    }

    /// The hidden width actually used.
    public var hiddenUnits: Int { hidden ?? (architecture == .seeds ? 1024 : 256) }

    /// Largest input side and class count accepted from a file: far beyond any real use, small enough that the
    /// network's activations stay bounded (a 512² input is 32 MB per image at the first conv).
    public static let maximumSide = 512, maximumClasses = 100_000, maximumHidden = 1 << 16

    /// A one-line problem with these settings (e.g. read from an untrusted file's metadata), or nil when the network
    /// they describe can be built and run.
    public var problem: String? {
        if !(1...Self.maximumClasses).contains(classes) { return "class count \(classes) is not in 1…\(Self.maximumClasses)" }
        if side % 4 != 0 || !(8...Self.maximumSide).contains(side) {
            return "input side \(side) is not a multiple of 4 in 8…\(Self.maximumSide)"
        }
        if channels != 1 && channels != 3 { return "input channels \(channels) are neither 1 (gray) nor 3 (RGB)" }
        if !(1...Self.maximumHidden).contains(hiddenUnits) { return "hidden width \(hiddenUnits) is not in 1…\(Self.maximumHidden)" }
        if !(dropout >= 0 && dropout < 1) { return "dropout \(dropout) is not in [0, 1)" }
        return nil
    }
}

/// A FashionCNN. Input [N, channels, side, side] in 0…1; output logits [N, classes].
public final class FashionCNN: ClassifierNetwork {
    public let config: FashionCNNConfig
    public let store: WeightStore
    public var classes: Int { config.classes }

    private var convs: [Conv2dLayer] = []
    private var norms: [BatchNormLayer] = []
    private let hiddenLayer: LinearLayer
    private let hiddenNorm: BatchNormLayer?
    private let output: LinearLayer

    /// Builds the network from `weights` (a loaded file or a seeded fresh store). Keys: conv1.weight, fc1.bias, bn1.scale, …
    /// Throws the store's error naming a missing or mis-shaped tensor.
    public init(config: FashionCNNConfig, weights: WeightStore) throws {
        if let problem = config.problem { throw WeightStoreError(file: weights.source, problem: "FashionCNN: \(problem)") }
        self.config = config
        self.store = weights
        let s = config.side
        let flat: Int
        switch config.architecture {
        case .seeds:
            convs.append(try Conv2dLayer(inChannels: config.channels, outChannels: 32, kernelSize: 5, padding: 2,
                                         weights: weights.scope("conv1")))
            convs.append(try Conv2dLayer(inChannels: 32, outChannels: 64, kernelSize: 5, padding: 2, weights: weights.scope("conv2")))
            flat = 64 * (s / 4) * (s / 4)
            hiddenNorm = nil
        case .bnCNN:
            let widths = [(config.channels, 32), (32, 64), (64, 64), (64, 128)]
            for (i, (cin, cout)) in widths.enumerated() {
                // No conv bias: the batch norm's shift that follows makes it redundant.
                convs.append(try Conv2dLayer(inChannels: cin, outChannels: cout, kernelSize: 3, padding: 1, bias: false,
                                             weights: weights.scope("conv\(i + 1)")))
                norms.append(try BatchNormLayer(channels: cout, weights: weights.scope("bn\(i + 1)")))
            }
            flat = 128 * (s / 8) * (s / 8)
            hiddenNorm = try BatchNormLayer(channels: config.hiddenUnits, weights: weights.scope("bn_fc1"))
        }
        hiddenLayer = try LinearLayer(inFeatures: flat, outFeatures: config.hiddenUnits, weights: weights.scope("fc1"))
        output = try LinearLayer(inFeatures: config.hiddenUnits, outFeatures: config.classes, beforeReLU: false,
                                 weights: weights.scope("fc2"))
    }

    public func logits(_ x: Tensor, mode: Mode, generator: inout SeededGenerator) -> Tensor {
        require(x.shape.count == 4 && x.shape[1] == config.channels && x.shape[2] == config.side && x.shape[3] == config.side,
                     "FashionCNN input must be [N, \(config.channels), \(config.side), \(config.side)], got \(x.shape)")
        var h = x
        switch config.architecture {
        case .seeds:
            h = convs[0](h).relu().maxPool2d(size: 2, stride: 2)
            h = convs[1](h).relu().maxPool2d(size: 2, stride: 2)
            h = hiddenLayer(h.flattened()).relu()
        case .bnCNN:
            for i in 0..<convs.count {
                h = norms[i](convs[i](h), mode: mode).relu()
                if i != 1 { h = h.maxPool2d(size: 2, stride: 2) }   // 28 → 14 (after conv1), → 7 (conv3), → 3 (conv4)
            }
            h = hiddenNorm!(hiddenLayer(h.flattened()), mode: mode).relu()
        }
        if config.dropout > 0 { h = h.dropout(probability: config.dropout, mode: mode, generator: &generator) }
        return output(h)
    }

    public func prepareForSaving() {
        for norm in norms { norm.storeRunningStatistics() }
        hiddenNorm?.storeRunningStatistics()
    }
}
