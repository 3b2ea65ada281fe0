// Decoders that invert frozen VGG16 features at relu1_1 … relu5_1 back to a VGG-space image, for universal style
// transfer (Li et al., NeurIPS 2017, sec. 3): each is VGG16 up to that layer mirrored, 3×3 reflection-padded convs
// with ReLU, nearest ×2 upsampling where VGG pools, and a last conv to 3 channels without ReLU.
import Foundation
import NeuralCore

/// A decoder file or level that cannot be used. Description: one line, "file: problem (what to do)".
public enum VGGDecoderError: Error, CustomStringConvertible {
    case unsupportedLevel(VGGLayer)
    case missingFile(String, level: VGGLayer)
    case unreadable(String, String)
    case wrongKind(String, found: String)
    case wrongLevel(String, found: String, expected: VGGLayer)
    case badTensors(String, String)

    public var description: String {
        let levels = VGGDecoder.supportedLevels.map(\.rawValue).joined(separator: ", ")
        switch self {
        case .unsupportedLevel(let level):
            return "no VGG16 decoder for \(level.rawValue) (supported levels: \(levels))"
        case .missingFile(let path, let level):
            return "\(path): decoder for \(level.rawValue) not found (train it with nst train-decoder --level \(level.rawValue))"
        case .unreadable(let path, let problem):
            return "\(path): not a readable decoder file (\(problem))"
        case .wrongKind(let path, let found):
            return "\(path): not a VGG16 decoder (metadata kind is '\(found)', expected '\(VGGDecoder.kind)')"
        case .wrongLevel(let path, let found, let expected):
            return "\(path): decoder is for level '\(found)', expected \(expected.rawValue)"
        case .badTensors(let path, let problem):
            return "\(path): decoder weights do not fit a \(VGGDecoder.kind) (\(problem))"
        }
    }
}

/// Inverts VGG16 features at `level`: [N, level.channels, H / 2^(b−1), W / 2^(b−1)] → [N, 3, H, W] in VGG space
/// (BGR 0–255 minus mean, see `VGG16Features.preprocess`), b = level.block. Feature maps need H, W ≥ 2 (reflection padding).
/// Keys: "dec<b>_<k>.weight" / ".bias" for the conv that mirrors VGG16's conv<b>_<k> (e.g. dec4_1 maps 512 → 256).
///
/// The convs work in a space `scale` times smaller than VGG's 0–255 one: features are divided by `scale` on the way in
/// and the image multiplied by it on the way out. A ReLU network's weights do not care about that factor, but its
/// biases do: the last conv's biases must reach the channel offsets of a mean-subtracted image (tens of units), which
/// Adam, moving about its learning rate per step, would take tens of thousands of steps to do at scale 1. With this
/// and a near-zero initial last conv (`DecoderTraining`), the relu3_1 decoder went from a grey image at 13.6 dB
/// held-out PSNR (scale 1, 500 steps) to 23.7 dB in 400 steps.
public final class VGGDecoder {
    /// Levels a decoder can be built for (the first ReLU of each VGG16 block).
    public static let supportedLevels: [VGGLayer] = [.relu1_1, .relu2_1, .relu3_1, .relu4_1, .relu5_1]
    /// Metadata "kind" of a decoder file.
    public static let kind = "vgg16-decoder"
    /// The `scale` of newly built decoders (files record theirs; a file without one was trained at scale 1).
    public static let defaultScale: Float = 255

    public let level: VGGLayer
    /// Features are divided by it before the first conv, the last conv's output is multiplied by it (see above).
    public let scale: Float
    /// The store the weights came from (fresh or loaded); its `namedTensors` are what `save` writes.
    public let store: WeightStore
    /// Mirrored convs in forward order, each with whether ReLU and a ×2 upsample follow it.
    private let stages: [(conv: Conv2dLayer, relu: Bool, upsample: Bool)]

    /// Builds the decoder for `level` from `weights` (a seeded fresh store, or a loaded file) working at `scale`.
    /// Throws `VGGDecoderError.unsupportedLevel`, or the store's error for a missing or mis-shaped tensor.
    public init(level: VGGLayer, weights: WeightStore, scale: Float = VGGDecoder.defaultScale) throws {
        guard Self.supportedLevels.contains(level) else { throw VGGDecoderError.unsupportedLevel(level) }
        precondition(scale > 0 && scale.isFinite, "VGGDecoder scale must be positive, got \(scale)")
        self.level = level
        self.scale = scale
        self.store = weights
        let encoder = VGGLayer.allCases.filter { $0 <= level }
        var built: [(Conv2dLayer, Bool, Bool)] = []
        for layer in encoder.reversed() {
            let inChannels = layer.depth == 0 ? 3 : VGGLayer.allCases[layer.depth - 1].channels
            let conv = try Conv2dLayer(inChannels: layer.channels, outChannels: inChannels, kernelSize: 3, padding: 0,
                                       weights: weights.scope("dec" + layer.rawValue.dropFirst(4)))
            // VGG pooled right before conv<b>_1 (b ≥ 2), so the mirror upsamples right after undoing it.
            let startsBlock = layer.depth > 0 && VGGLayer.allCases[layer.depth - 1].endsBlock
            built.append((conv, layer.depth > 0, startsBlock))
        }
        stages = built
    }

    /// Loads a decoder saved by `save(to:)`, checking metadata kind and level before any tensor.
    /// Throws `VGGDecoderError` naming the file: missing, unreadable, wrong kind, wrong level, or wrong tensors.
    public convenience init(contentsOf url: URL, level: VGGLayer) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { throw VGGDecoderError.missingFile(url.path, level: level) }
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile.read(url) } catch { throw VGGDecoderError.unreadable(url.path, "\(error)") }
        let kind = ModelFileKind.kind(of: file.metadata) ?? file.metadata[ModelFile.legacyKindKey] ?? "none"
        guard kind == Self.kind else { throw VGGDecoderError.wrongKind(url.path, found: kind) }
        let found = file.metadata["level"] ?? "none"
        guard found == level.rawValue else { throw VGGDecoderError.wrongLevel(url.path, found: found, expected: level) }
        let scale = try Self.scale(in: file.metadata, path: url.path)
        let weights = WeightStore(file: file)
        do { try self.init(level: level, weights: weights, scale: scale) } catch let error as WeightStoreError {
            throw VGGDecoderError.badTensors(url.path, error.problem)
        }
        if let extra = weights.unusedKeys.first { throw VGGDecoderError.badTensors(url.path, "unexpected tensor \(extra)") }
    }

    /// The "scale" recorded in a decoder file's (or checkpoint's) metadata: 1 when absent (files from before it
    /// existed). Throws `VGGDecoderError.badTensors` for a value that is not a positive number.
    public static func scale(in metadata: [String: String], path: String) throws -> Float {
        guard let text = metadata["scale"] else { return 1 }
        guard let value = Float(text), value > 0, value.isFinite else {
            throw VGGDecoderError.badTensors(path, "metadata scale '\(text)' is not a positive number")
        }
        return value
    }

    /// The decoder as a model file: its weights, and metadata naming kind (under `nst.kind` like every nst model, and
    /// under `kind` too so that binaries from before 2026-12-06 still read new files), level, scale, and the
    /// architecture in words. Training adds its record (DecoderRecord) and, in checkpoints, the optimiser's state.
    public var modelFile: ModelFile {
        var file = ModelFile(kind: Self.kind, tensors: store.namedTensors)
        file.metadata.merge([ModelFile.legacyKindKey: Self.kind, "level": level.rawValue, "encoder": "vgg16", "scale": String(scale),
                             "architecture": "mirror of VGG16 conv1_1…conv\(level.rawValue.dropFirst(4)): reflection-padded 3×3 convs, ReLU, nearest ×2 upsampling"]) { $1 }
        return file
    }

    /// The metadata `modelFile` writes with the weights.
    public var metadata: [String: String] { modelFile.metadata }

    /// Writes the weights and `metadata` (plus `extra` strings; `extra` cannot override kind or level) atomically to
    /// `url`. Throws the safetensors writer's error.
    public func save(to url: URL, extra: [String: String] = [:]) throws {
        var file = modelFile
        file.metadata.merge(extra) { own, _ in own }
        try file.write(to: url)
    }

    /// All weights and biases in forward order (what an optimizer updates).
    public var parameters: [Tensor] { stages.flatMap { [$0.conv.weight] + ($0.conv.bias.map { [$0] } ?? []) } }

    /// VGG-space image [N, 3, H, W] from features [N, level.channels, h, w], with H = h·2^(b−1), W = w·2^(b−1).
    public func callAsFunction(_ features: Tensor) -> Tensor {
        precondition(features.shape.count == 4 && features.shape[1] == level.channels && features.shape[2] >= 2 && features.shape[3] >= 2,
                     "VGGDecoder(\(level.rawValue)) needs [N, \(level.channels), H ≥ 2, W ≥ 2], got \(features.shape)")
        var h = scale == 1 ? features : features * (1 / scale)
        for stage in stages {
            h = stage.conv(h.reflectionPadded(1), relu: stage.relu)
            if stage.upsample { h = h.upsampledNearest(factor: 2) }
        }
        return scale == 1 ? h : h * scale
    }
}
