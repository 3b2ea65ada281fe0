// The feed-forward image transformation network of Johnson, Alahi & Fei-Fei (ECCV 2016), with instance norm
// (Ulyanov et al. 2016) and upsample + conv instead of transposed convs (no checkerboard, Odena et al. 2016),
// plus `light`: our CPU-first variant whose residual blocks work at 1/8 resolution, at ~1/12 of Johnson's arithmetic,
// optionally with noise planes so its texture does not repeat on that 8-pixel grid.
import Foundation
import ImageIO
import NeuralCore

/// Which transformer layout to build.
public enum StylizerArchitecture: String, Codable, CaseIterable, Sendable {
    /// 9×9 conv 32 → 3×3/2 64 → 3×3/2 128 → 5 residual blocks → 2 upsample convs → 9×9 conv 3 (1.68 M parameters,
    /// ≈ 160 GMAC at 1024²).
    case johnson
    /// 9×9 conv 8 → 3×3/2 16 → 3×3/2 32 → 3×3/2 64 → 4 residual blocks at 1/8 resolution → 3 upsample convs
    /// (32, 16, 8) → 9×9 conv 3: Johnson's shape one level deeper and a quarter as wide, so the residual blocks see
    /// 1/64 of the pixels (0.34 M parameters, ≈ 12.8 kMAC per output pixel, 1/12 of Johnson's). Full-resolution first
    /// and last stages, as Johnson's, keep the output free of the 2-pixel grid a bare upsample-then-output conv leaves.
    case light

    /// Input sides must be multiples of this (the network halves the resolution this many times over).
    public var sizeMultiple: Int { self == .johnson ? 4 : 8 }
}

/// How the last conv's values become VGG-space pixels.
public enum StylizerOutput: String, Codable, CaseIterable, Sendable {
    /// Johnson et al.'s original 150·tanh. In VGG space that spans −150…150 around each channel's mean, i.e. 26–46
    /// levels below 0 and up to 19 above 255: the training loss sees values the saved image then clips, so a network
    /// can learn bright, flat areas whose saturation costs it nothing until the file is written.
    case tanh150
    /// 127.5·tanh + (127.5 − mean): each channel's pixel range 0…255 exactly, so the loss sees the image the user gets.
    case pixels
}

/// How the decoder half doubles its resolution before each upsampling conv.
public enum StylizerUpsampling: String, Codable, CaseIterable, Sendable {
    /// Each pixel repeated 2×2 (Odena et al.'s resize-convolution, Johnson as PyTorch's fast_neural_style builds it).
    /// Over the light net's three doublings the convs can tell where in each 8×8 cell they are, and the trained
    /// models paint the same strokes into every cell: an 8-pixel grid (docs/feedforward-quality.md).
    case nearest
    /// Bilinear interpolation (`Tensor.upsampledBilinear2x`): no flat 2×2 blocks for the convs to read a phase from.
    /// Alone it weakens the grid (The Shipwreck: 0.05–0.08 against 0.09–0.13 by benchmarks/peer/grid-pattern.py) but
    /// does not remove it; the noise planes do.
    case bilinear
}

/// Reflection pad → conv → optional instance norm (affine) → optional ReLU.
struct ConvNormBlock {
    let conv: Conv2dLayer
    let normScale: Tensor?, normShift: Tensor?
    let relu: Bool

    init(_ cin: Int, _ cout: Int, kernel: Int, stride: Int = 1, norm: Bool = true, relu: Bool = true,
         weights: WeightStore) throws {
        conv = try Conv2dLayer(inChannels: cin, outChannels: cout, kernelSize: kernel, stride: stride, weights: weights.scope("conv"))
        if norm {
            normScale = try weights.scope("norm").tensor("scale", shape: [cout], initializer: .ones)
            normShift = try weights.scope("norm").tensor("shift", shape: [cout], initializer: .zeros)
        } else {
            normScale = nil; normShift = nil
        }
        self.relu = relu
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let k = conv.weight.shape[2]
        var h = conv(k > 1 ? x.reflectionPadded(k / 2) : x)
        if normScale != nil { h = h.instanceNorm(scale: normScale, shift: normShift) }
        return relu ? h.relu() : h
    }
}

/// x + IN(conv(ReLU(IN(conv(x))))), both convs 3×3 (the residual block of Johnson et al.'s supplement, with
/// instance norm and no ReLU after the addition, as in PyTorch's fast_neural_style).
struct ResidualBlock {
    let first: ConvNormBlock, second: ConvNormBlock

    init(channels c: Int, weights: WeightStore) throws {
        first = try ConvNormBlock(c, c, kernel: 3, weights: weights.scope("conv1"))
        second = try ConvNormBlock(c, c, kernel: 3, relu: false, weights: weights.scope("conv2"))
    }

    func callAsFunction(_ x: Tensor) -> Tensor { x + second(first(x)) }
}

/// The transformer network. Input and output are VGG-space images [N, 3, H, W] (BGR, 0–255 minus the ImageNet mean,
/// see `VGG16Features.preprocess`), with H and W multiples of `architecture.sizeMultiple`; `stylize(_:)` takes any size.
public final class TransformerNet {
    public let architecture: StylizerArchitecture
    public let outputStage: StylizerOutput
    public let upsampling: StylizerUpsampling
    /// Whether noise planes are added before the residual blocks and after each upsampling (see `addingNoise`).
    public let noise: Bool
    public let store: WeightStore
    private let down: [ConvNormBlock]
    private let residual: [ResidualBlock]
    private let up: [ConvNormBlock]
    private let output: ConvNormBlock
    /// Gains of the noise planes, in the order they are added: residual input, then each upsampling's output.
    private let noiseScales: [Tensor]

    /// Builds from `weights` (a loaded file or a seeded fresh store); keys like "down1.conv.weight", "res3.conv2.norm.scale".
    /// Throws the store's error naming a missing or mis-shaped tensor.
    public init(architecture: StylizerArchitecture, output: StylizerOutput = .pixels, upsampling: StylizerUpsampling = .bilinear,
                noise: Bool = false, weights: WeightStore) throws {
        self.architecture = architecture
        self.outputStage = output
        self.upsampling = upsampling
        self.noise = noise
        self.store = weights
        // (in, out, kernel, stride) of the downsampling convs, the residual width and count, the upsampling widths,
        // and the output conv's kernel.
        let downs: [(Int, Int, Int, Int)], blocks: Int, ups: [(Int, Int)], outKernel: Int
        switch architecture {
        case .johnson:
            downs = [(3, 32, 9, 1), (32, 64, 3, 2), (64, 128, 3, 2)]; blocks = 5; ups = [(128, 64), (64, 32)]; outKernel = 9
        case .light:
            downs = [(3, 8, 9, 1), (8, 16, 3, 2), (16, 32, 3, 2), (32, 64, 3, 2)]; blocks = 4; ups = [(64, 32), (32, 16), (16, 8)]
            outKernel = 9
        }
        down = try downs.enumerated().map { i, d in
            try ConvNormBlock(d.0, d.1, kernel: d.2, stride: d.3, weights: weights.scope("down\(i + 1)"))
        }
        let width = downs.last!.1
        residual = try (0..<blocks).map { try ResidualBlock(channels: width, weights: weights.scope("res\($0 + 1)")) }
        up = try ups.enumerated().map { i, u in try ConvNormBlock(u.0, u.1, kernel: 3, weights: weights.scope("up\(i + 1)")) }
        self.output = try ConvNormBlock(ups.last!.1, 3, kernel: outKernel, norm: false, relu: false, weights: weights.scope("out"))
        // Started small but not at zero, so the texture is learnt from the noise from the first steps rather than
        // from the grid's phase.
        noiseScales = noise ? try ([width] + ups.map(\.0)).enumerated().map { i, channels in
            try weights.scope("noise\(i + 1)").tensor("scale", shape: [channels], initializer: .constant(0.2))
        } : []
    }

    /// `.tanh150` output values lie in ±outputRange (VGG space spans about −124…152).
    public static let outputRange: Float = 150

    /// Trainable tensors, for the optimiser.
    public var parameters: [Tensor] { store.trainableParameters }

    /// Number of scalar parameters.
    public var parameterCount: Int { store.parameters.reduce(0) { $0 + $1.tensor.count } }

    /// The network on a VGG-space batch whose sides are multiples of `architecture.sizeMultiple`. `noiseSeed` draws the
    /// noise planes of a `noise` network (training passes a fresh one each step; stylizing uses 0, so a photo always
    /// gets the same result).
    public func callAsFunction(_ x: Tensor, noiseSeed: UInt64 = 0) -> Tensor {
        let m = architecture.sizeMultiple
        precondition(x.rank == 4 && x.shape[1] == 3 && x.shape[2] % m == 0 && x.shape[3] % m == 0,
                     "TransformerNet(\(architecture)) input must be [N, 3, H, W] with H, W multiples of \(m), got \(x.shape)")
        var generator = SeededGenerator(seed: noiseSeed)
        func withNoise(_ h: Tensor, _ i: Int) -> Tensor {
            guard noise else { return h }
            return h.addingNoise(.gaussianNoise(h.shape[0], h.shape[2], h.shape[3], using: &generator), scale: noiseScales[i])
        }
        var h = x
        for block in down { h = block(h) }
        h = withNoise(h, 0)
        for block in residual { h = block(h) }
        for (i, block) in up.enumerated() {
            h = block(withNoise(upsampling == .bilinear ? h.upsampledBilinear2x() : h.upsampledNearest(factor: 2), i + 1))
        }
        // A scaled tanh gives the last conv a large gain, so Adam's small steps reach full contrast within hundreds
        // of steps instead of thousands (Johnson et al.'s reason for 150·tanh).
        switch outputStage {
        case .tanh150:
            return output(h).tanh() * Self.outputRange
        case .pixels:
            let half: Float = 127.5
            return output(h).tanh().affineChannels(scale: [half, half, half],
                                                   shift: VGG16Features.meanBGR.map { half - $0 })
        }
    }

    /// Stylizes one image of any size ≥ 1×1: reflection-pads to a multiple of `sizeMultiple` (edge-replicates
    /// when the image is too small to reflect), runs without recording gradients, crops back.
    public func stylize(_ image: Image) -> Image {
        let m = architecture.sizeMultiple
        let padded = image.rgb().paddedToMultiple(of: m, minimum: 16)
        let y = withoutGradients { self(VGG16Features.preprocess(padded.image)) }
        return VGG16Features.deprocess(y).cropped(x: padded.left, y: padded.top, width: image.width, height: image.height)
    }
}

extension Image {
    /// This image mirrored outwards (`mirrorPadded`) so both sides are multiples of `multiple` and at least `minimum`; returns the offsets of the original.
    public func paddedToMultiple(of multiple: Int, minimum: Int = 1) -> (image: Image, left: Int, top: Int) {
        func target(_ n: Int) -> Int { max((n + multiple - 1) / multiple * multiple, (minimum + multiple - 1) / multiple * multiple) }
        let (tw, th) = (target(width), target(height))
        if tw == width && th == height { return (self, 0, 0) }
        let left = (tw - width) / 2, top = (th - height) / 2
        return (mirrorPadded(width: tw, height: th, left: left, top: top), left, top)
    }
}
