// Bridges ImageIO's planar images and NeuralCore's NCHW tensors. Lives here because ImageIO knows nothing of tensors
// and NeuralCore nothing of images.
import ImageIO
import NeuralCore

extension Tensor {
    /// A [1, C, H, W] tensor holding the image's planar pixels unchanged (0…1).
    public convenience init(image: Image) {
        self.init(shape: [1, image.channels, image.height, image.width], data: image.pixels)
    }

    /// Image `index` of an NCHW batch as a planar image, pixels clamped to 0…1. C must be 1, 3 or 4.
    public func image(at index: Int = 0) -> Image {
        precondition(shape.count == 4 && [1, 3, 4].contains(shape[1]), "image(at:) needs [N, 1|3|4, H, W], got \(shape)")
        let plane = shape[1] * shape[2] * shape[3]
        var pixels = Array(data[index * plane ..< (index + 1) * plane])
        pixels.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = min(max(p[i], 0), 1) }
        }
        return Image(width: shape[3], height: shape[2], channels: shape[1], pixels: pixels)
    }
}
