// Colour preservation by luminance-only transfer (Gatys et al., "Controlling Perceptual Factors in Neural Style
// Transfer", CVPR 2017, section 5.1): style transfer sees only luminance; the content photo's chrominance is put back.
import ImageIO
import NeuralCore

enum ColorTransfer {
    /// Gray (luminance replicated to RGB) versions of content and styles; each style's luminance is shifted and scaled
    /// to the content's mean and standard deviation, so the transfer doesn't change overall brightness.
    static func luminanceOnly(content: Image, styles: [Image]) -> (Image, [Image]) {
        let contentY = content.gray()
        let (mean, std) = statistics(contentY.pixels)
        let matched = styles.map { style -> Image in
            var y = style.gray()
            let (m, s) = statistics(y.pixels)
            let scale = s > 1e-6 ? std / s : 1
            y.pixels = y.pixels.map { min(max(($0 - m) * scale + mean, 0), 1) }
            return y.rgb()
        }
        return (contentY.rgb(), matched)
    }

    /// The luminance (Y of YIQ) of `luminance` with the chrominance (I, Q) of `colors`; both must have the same size.
    static func combine(luminanceOf luminance: Image, colorsOf colors: Image) -> Image {
        require(luminance.width == colors.width && luminance.height == colors.height, "combine needs equal sizes")
        let y = luminance.rgbToYIQ(), c = colors.rgbToYIQ()
        let plane = y.width * y.height
        var pixels = c.pixels
        for i in 0..<plane { pixels[i] = y.pixels[i] }
        return Image(width: c.width, height: c.height, channels: 3, pixels: pixels).yiqToRGB()
    }

    static func statistics(_ values: [Float]) -> (mean: Float, std: Float) {
        let n = Float(max(values.count, 1))
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        return (mean, variance.squareRoot())
    }
}
