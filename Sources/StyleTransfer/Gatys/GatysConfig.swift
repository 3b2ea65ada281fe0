// Every setting of optimisation-based style transfer, with the defaults the CLI shows in its help.
import Networks

/// How the output image is optimised. L-BFGS converges in fewer iterations; Adam uses less memory.
public enum GatysOptimizer: String, CaseIterable, Codable, Sendable { case lbfgs, adam }

/// Where optimisation starts: the content photo (keeps it recognisable soonest), the style image resized to the
/// output, or Gaussian noise.
public enum GatysInitialization: String, CaseIterable, Codable, Sendable { case content, style, noise }

/// Colour preservation of Gatys et al., "Controlling Perceptual Factors in Neural Style Transfer" (CVPR 2017).
public enum ColorPreservation: String, CaseIterable, Codable, Sendable {
    /// Transfer on luminance only, then put back the content photo's chrominance (YIQ).
    case luminance
    /// Match the style image's colour histogram to the content photo's before transfer.
    case histogram
}

public struct GatysConfig: Codable, Sendable {
    /// Longest side of the output, in pixels.
    public var imageSize = 512
    /// Optimiser iterations (L-BFGS: function evaluations) at each scale.
    public var iterations = 300
    public var optimizer = GatysOptimizer.lbfgs
    /// Step size: Adam's learning rate in pixel units (0–255 scale); L-BFGS's step multiplier.
    public var learningRate: Float? = nil
    public var contentWeight: Float = 1
    public var styleWeight: Float = 5
    /// Weight of total variation, a mean over pixels and channels like the content and style terms, so a weight gives
    /// the same smoothing at every size. (Before 2026-12-03 TV was a sum over pixels: weight w at an output of
    /// W×H pixels is w·3·W·H now; the old default 1e-4 was 33 at 384×288 and 79 at 512×512, which is why it
    /// dominated larger outputs.)
    public var tvWeight: Float = 5
    public var contentLayers: [VGGLayer] = [.relu4_2]
    public var styleLayers: [VGGLayer] = [.relu1_1, .relu2_1, .relu3_1, .relu4_1, .relu5_1]
    public var initialization = GatysInitialization.content
    public var seed: UInt64 = 0
    /// One weight per style image; nil blends them equally.
    public var styleBlend: [Float]? = nil
    /// Style image size as a factor of the output size.
    public var styleScale: Float = 1
    public var preserveColors: ColorPreservation? = nil
    /// Coarse-to-fine scales: optimise at imageSize / 2^(scales−1) first, upsample, continue, up to imageSize.
    public var scales = 1
    /// Report an intermediate image every this many iterations; 0 disables.
    public var saveEvery = 0
    public var pooling = VGGPooling.max
    /// L-BFGS history size (pairs of steps kept).
    public var historySize = 100

    public init() {}

    /// The effective step size: 1 for L-BFGS (as torch.optim.LBFGS and neural-style), 10 pixel units for Adam.
    public var effectiveLearningRate: Float { learningRate ?? (optimizer == .lbfgs ? 1 : 10) }
}

extension GatysConfig {
    /// The settings' own consistency, for `styleCount` style images: what `Gatys.stylize` checks before any work and
    /// `nst stylize` checks before reading any file (one set of rules; messages name the options as the CLI spells
    /// them). Throws `StyleTransferError.badConfig`.
    public func validate(styleCount: Int) throws {
        guard styleCount >= 1 else { throw StyleTransferError.badConfig("give a content image and at least one style image") }
        if let blend = styleBlend {
            guard blend.count == styleCount else {
                throw StyleTransferError.badConfig("give one --style-blend value per style image (got \(blend.count) for \(styleCount))")
            }
            guard blend.allSatisfy({ $0 >= 0 }), blend.reduce(0, +) > 0 else {
                throw StyleTransferError.badConfig("--style-blend weights must be ≥ 0 and not all 0")
            }
        }
        guard iterations >= 1 else { throw StyleTransferError.badConfig("--iterations must be at least 1") }
        guard imageSize >= 16 else { throw StyleTransferError.badConfig("--size must be at least 16 pixels") }
        guard scales >= 1, imageSize >> (scales - 1) >= 16 else {
            throw StyleTransferError.badConfig("--scales \(scales) makes the first scale smaller than 16 pixels at --size \(imageSize)")
        }
    }
}
