// Perceptual losses of Gatys et al. (2016) and Johnson et al. (2016) on VGG16 features, in the README's formulation:
// content = mean (F − P)², style = Σ_layers mean over C×C of (G − A)² with G = F·Fᵀ/(C·H·W), TV = Σ squared neighbour differences.
import NeuralCore
import Networks

/// Gram matrices of one or more style images, blended, computed once before optimisation or training.
public struct StyleTargets {
    /// [1, C, C] per style layer.
    public let grams: [VGGLayer: Tensor]

    /// `styles` are VGG-space images [1, 3, H, W] (sizes may differ); `blend` weights are normalised to sum 1.
    public init(styles: [Tensor], blend: [Float], layers: [VGGLayer], vgg: VGG16Features) {
        require(styles.count == blend.count && !styles.isEmpty, "one blend weight per style image")
        // One style's features at a time: only its Gram matrices are kept.
        self.init(count: styles.count, blend: blend, layers: layers) { vgg.features(styles[$0], at: Set(layers)) }
    }

    /// The same from features already taken: `features[i]` holds style i's activations at (at least) `layers`.
    public init(features: [[VGGLayer: Tensor]], blend: [Float], layers: [VGGLayer]) {
        require(features.count == blend.count && !features.isEmpty, "one blend weight per style image")
        self.init(count: features.count, blend: blend, layers: layers) { features[$0] }
    }

    /// Σ over styles of (weight / Σ weights) · Gram, per layer; `featuresOf(i)` gives style i's features.
    private init(count: Int, blend: [Float], layers: [VGGLayer], featuresOf: (Int) -> [VGGLayer: Tensor]) {
        let total = blend.reduce(0, +)
        var grams: [VGGLayer: Tensor] = [:]
        withoutGradients {
            for (i, weight) in blend.enumerated() {
                let features = featuresOf(i)
                for layer in layers {
                    let g = features[layer]!.gram() * (weight / total)
                    grams[layer] = grams[layer].map { $0 + g } ?? g
                }
            }
        }
        self.grams = grams
    }
}

/// The loss terms, each a scalar tensor that can be back-propagated.
public enum PerceptualLoss {
    /// Σ over layers of mean (F − P)².
    public static func content(_ features: [VGGLayer: Tensor], targets: [VGGLayer: Tensor]) -> Tensor {
        sumOfTerms(targets.keys.sorted().map { features[$0]!.mseLoss(targets[$0]!) })
    }

    /// Σ over layers of weight · mean (F − P)² (a layer missing from `weights` weighs 1).
    public static func content(_ features: [VGGLayer: Tensor], targets: [VGGLayer: Tensor], weights: [VGGLayer: Float]) -> Tensor {
        sumOfTerms(targets.keys.sorted().map { layer in
            let term = features[layer]!.mseLoss(targets[layer]!)
            return weights[layer].map { $0 == 1 ? term : term * $0 } ?? term
        })
    }

    /// Σ over layers of mean over the C×C entries of (G − A)². A batch of N images is compared with the same targets.
    public static func style(_ features: [VGGLayer: Tensor], targets: StyleTargets) -> Tensor {
        sumOfTerms(targets.grams.keys.sorted().map { layer in
            let g = features[layer]!.gram()
            let a = targets.grams[layer]!
            let batch = g.shape[0]
            return g.mseLoss(batch == 1 ? a : Tensor.concat(Array(repeating: a, count: batch), axis: 0))
        })
    }

    private static func sumOfTerms(_ terms: [Tensor]) -> Tensor {
        require(!terms.isEmpty, "a loss needs at least one layer")
        return terms.dropFirst().reduce(terms[0], +)
    }
}

/// The colour axes the palette term compares: luminance and two opponent axes (red–green, yellow–blue), the linear
/// cousins of CIE Lab's L*, a* and b* that `nst score`'s palette distance reads. Matching each axis's distribution
/// to the painting's gives the painting's colours in its proportions.
public enum PaletteAxes {
    /// Rows: Y = 0.299 R + 0.587 G + 0.114 B, R − G, (R + G)/2 − B, over VGG16's BGR channel order; as a 1×1 conv.
    static let weight = Tensor(shape: [3, 3, 1, 1], data: [0.114, 0.587, 0.299,  0, -1, 1,  -1, 0.5, 0.5])

    /// VGG-space images [N, 3, H, W] → their values on the three axes [N, 3, H, W] (differentiable).
    public static func project(_ x: Tensor) -> Tensor { x.conv2d(weight: weight, bias: nil) }

    /// The painting's quantiles on the axes, the constant target of `PerceptualLoss.palette`.
    public static func quantiles(ofPainting x: Tensor) -> Tensor { withoutGradients { project(x).channelQuantiles() } }
}

extension PerceptualLoss {
    /// Mean squared 2-Wasserstein distance between the images' values on `PaletteAxes` and the painting's.
    public static func palette(_ x: Tensor, quantiles: Tensor) -> Tensor {
        PaletteAxes.project(x).histogramLoss(quantiles: quantiles)
    }
}
