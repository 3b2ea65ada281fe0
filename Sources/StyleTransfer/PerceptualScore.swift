// Scores any stylized image with the README's loss terms, so results of different methods (Gatys, a trained stylizer,
// other tools) compare on one scale: content loss against the photo, style loss against the painting.
import ImageIO
import NeuralCore
import Networks

/// The unweighted loss terms of one image.
public struct PerceptualScore: Sendable {
    /// Σ over content layers of mean (F − P)².
    public var content: Float
    /// Σ over style layers of mean over C×C of (G − A)².
    public var style: Float
}

public enum PerceptualScoring {
    /// Resizes `content` to `size` on its longest side, `image` to exactly the same width and height, and `style` to
    /// `size` on its longest side (Gatys' default style scale), then measures the terms at the given layers
    /// (defaults: those of `nst stylize`).
    public static func score(_ image: Image, content: Image, style: Image, size: Int = 512,
                             contentLayers: [VGGLayer] = GatysConfig().contentLayers,
                             styleLayers: [VGGLayer] = GatysConfig().styleLayers, vgg: VGG16Features) -> PerceptualScore {
        let photo = content.rgb().resized(longestSide: size)
        let candidate = image.rgb().resized(width: photo.width, height: photo.height)
        let styleX = VGG16Features.preprocess(style.rgb().resized(longestSide: size))
        return withoutGradients {
            let targets = StyleTargets(styles: [styleX], blend: [1], layers: styleLayers, vgg: vgg)
            let p = vgg.features(VGG16Features.preprocess(photo), at: Set(contentLayers))
            let f = vgg.features(VGG16Features.preprocess(candidate), at: Set(contentLayers + styleLayers))
            return PerceptualScore(content: PerceptualLoss.content(f, targets: p).item(),
                                   style: PerceptualLoss.style(f, targets: targets).item())
        }
    }
}
