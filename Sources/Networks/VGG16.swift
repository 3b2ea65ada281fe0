// VGG16's convolutional part (Simonyan & Zisserman 2015) as a frozen feature extractor for perceptual losses
// and classifier heads. Holds the Caffe input convention next to the weights that need it.
import Foundation
import ImageIO
import NeuralCore

/// A ReLU output of VGG16, named as the papers name them (`relu4_2` follows the second conv of block 4).
public enum VGGLayer: String, CaseIterable, Comparable, Codable, Sendable {
    case relu1_1, relu1_2, relu2_1, relu2_2, relu3_1, relu3_2, relu3_3, relu4_1, relu4_2, relu4_3, relu5_1, relu5_2, relu5_3

    /// Position in the network, 0 for relu1_1.
    public var depth: Int { Self.allCases.firstIndex(of: self)! }
    /// Channels of this layer's activation.
    public var channels: Int { [64, 128, 256, 512, 512][block - 1] }
    /// Block number 1…5; each block after the first starts at half the previous resolution.
    public var block: Int { Int(String(rawValue.dropFirst(4).first!))! }
    /// The conv layer whose output this ReLU follows, as named in the weights file.
    var convName: String { "conv" + rawValue.dropFirst(4) }
    /// Whether a 2×2 pooling follows this layer (the last conv of each block).
    var endsBlock: Bool { [.relu1_2, .relu2_2, .relu3_3, .relu4_3, .relu5_3].contains(self) }

    public static func < (a: VGGLayer, b: VGGLayer) -> Bool { a.depth < b.depth }

    /// Parses a comma-separated list such as "relu1_1,relu2_1"; throws naming the first unknown name.
    public static func parseList(_ text: String) throws -> [VGGLayer] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw VGGError.unknownLayer(text) }
        return try names.map { name in
            guard let layer = VGGLayer(rawValue: name) else { throw VGGError.unknownLayer(name) }
            return layer
        }
    }
}

/// How VGG16 downsamples between blocks. Gatys et al. report average pooling gives slightly smoother results.
public enum VGGPooling: String, CaseIterable, Codable, Sendable { case max, average }

public enum VGGError: Error, CustomStringConvertible {
    case unknownLayer(String)
    case missingWeights(String)
    case badWeights(String, String)

    public var description: String {
        switch self {
        case .unknownLayer(let name):
            return "unknown VGG16 layer '\(name)' (known: \(VGGLayer.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .missingWeights(let path):
            return "\(path): VGG16 weights not found (run scripts/bootstrap, or scripts/convert-vgg16 to regenerate them)"
        case .badWeights(let path, let problem):
            return "\(path): not usable as VGG16 weights: \(problem) (regenerate with scripts/convert-vgg16)"
        }
    }
}

/// Frozen VGG16 conv layers. Input: [N, 3, H, W] in VGG's space (see `preprocess`). No gradients flow to the weights.
public final class VGG16Features {
    /// Per-channel ImageNet mean subtracted from BGR 0–255 pixels (Caffe convention of the original release).
    public static let meanBGR: [Float] = [103.939, 116.779, 123.68]

    public let pooling: VGGPooling
    private let weights: [VGGLayer: (weight: Tensor, bias: Tensor)]

    /// Loads and shape-checks all 13 conv layers from a safetensors file such as weights/vgg16-imagenet.safetensors.
    public init(contentsOf url: URL, pooling: VGGPooling = .max) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { throw VGGError.missingWeights(url.path) }
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile.read(url) } catch { throw VGGError.badWeights(url.path, "\(error)") }
        var loaded: [VGGLayer: (Tensor, Tensor)] = [:]
        var inChannels = 3
        for layer in VGGLayer.allCases {
            let c = layer.channels
            guard let w = file.tensors[layer.convName + ".weight"], let b = file.tensors[layer.convName + ".bias"] else {
                throw VGGError.badWeights(url.path, "tensor \(layer.convName).weight or .bias is missing")
            }
            guard w.shape == [c, inChannels, 3, 3], b.shape == [c] else {
                throw VGGError.badWeights(url.path, "tensor \(layer.convName).weight has shape \(w.shape), expected \([c, inChannels, 3, 3])")
            }
            w.requiresGrad = false; b.requiresGrad = false
            loaded[layer] = (w, b)
            inChannels = c
        }
        self.weights = loaded.mapValues { (weight: $0.0, bias: $0.1) }
        self.pooling = pooling
    }

    /// Loads the weights from `VGG16Features.defaultWeightsURL()`.
    public convenience init(pooling: VGGPooling = .max) throws {
        try self.init(contentsOf: VGG16Features.defaultWeightsURL(), pooling: pooling)
    }

    /// Where the shipped weights are: $NST_VGG16_WEIGHTS, else weights/ in the current folder, else weights/ beside the
    /// repository that built this executable (…/.build/<config>/nst → …/weights).
    public static func defaultWeightsURL() -> URL {
        let name = "vgg16-imagenet.safetensors"
        if let path = ProcessInfo.processInfo.environment["NST_VGG16_WEIGHTS"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("weights/\(name)"),
            executableRelative("../../weights/\(name)"), executableRelative("../../../weights/\(name)"),
            sourceRelative("../../weights/\(name)"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }

    /// Activations at `layers` for a VGG-space input; runs only as deep as the deepest layer asked for.
    public func features(_ x: Tensor, at layers: Set<VGGLayer>) -> [VGGLayer: Tensor] {
        precondition(x.shape.count == 4 && x.shape[1] == 3, "VGG16 input must be [N, 3, H, W], got \(x.shape)")
        guard let deepest = layers.max() else { return [:] }
        var out: [VGGLayer: Tensor] = [:]
        var h = x
        for layer in VGGLayer.allCases where layer <= deepest {
            if layer.depth > 0, VGGLayer.allCases[layer.depth - 1].endsBlock {
                h = pooling == .max ? h.maxPool2d(size: 2, stride: 2) : h.avgPool2d(size: 2, stride: 2)
            }
            let (w, b) = weights[layer]!
            h = h.conv2d(weight: w, bias: b, stride: 1, padding: 1, relu: true)
            if layers.contains(layer) { out[layer] = h }
        }
        return out
    }

    /// RGB image (planar, 0…1) → [1, 3, H, W] BGR, 0–255, mean subtracted. Alpha is flattened onto white, gray replicated.
    public static func preprocess(_ image: Image) -> Tensor {
        let rgb = image.rgb()
        let plane = rgb.width * rgb.height
        var data = [Float](repeating: 0, count: 3 * plane)
        rgb.pixels.withUnsafeBufferPointer { src in
            data.withUnsafeMutableBufferPointer { dst in
                for c in 0..<3 {   // destination channel c (B, G, R) reads source channel 2 − c
                    let s = (2 - c) * plane, d = c * plane, mean = meanBGR[c]
                    for i in 0..<plane { dst[d + i] = src[s + i] * 255 - mean }
                }
            }
        }
        return Tensor(shape: [1, 3, rgb.height, rgb.width], data: data)
    }

    /// Inverse of `preprocess` for image `index` of a batch, clamped to valid pixels.
    public static func deprocess(_ x: Tensor, index: Int = 0) -> Image {
        precondition(x.shape.count == 4 && x.shape[1] == 3, "deprocess needs [N, 3, H, W], got \(x.shape)")
        let h = x.shape[2], w = x.shape[3], plane = h * w
        var pixels = [Float](repeating: 0, count: 3 * plane)
        x.data.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                for c in 0..<3 {
                    let s = index * 3 * plane + (2 - c) * plane, d = c * plane, mean = meanBGR[2 - c]
                    for i in 0..<plane { dst[d + i] = min(max((src[s + i] + mean) / 255, 0), 1) }
                }
            }
        }
        return Image(width: w, height: h, channels: 3, pixels: pixels)
    }
}

func executableRelative(_ path: String) -> URL {
    let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments.first ?? ".")
    return executable.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
}

func sourceRelative(_ path: String, file: String = #filePath) -> URL {
    URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
}
