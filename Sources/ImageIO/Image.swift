// `Image`: a planar Float image in 0...1, the one pixel type every other module sees.
// Planar (channel-major) because tensors are NCHW: channel c is one contiguous plane.

/// A decoded image: `channels` planes of `width * height` Floats each, values in 0...1.
///
/// Layout is PLANAR (channel-major): `pixels[c * width * height + y * width + x]`, so all red values come
/// first, then all green, then all blue, then alpha. Channels are 1 (gray), 3 (RGB) or 4 (RGBA, straight
/// i.e. not premultiplied alpha). Values are as stored in the file (sRGB-encoded for typical files).
public struct Image: Equatable, Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// 1 (gray), 3 (RGB) or 4 (RGBA).
    public let channels: Int
    /// `channels * height * width` values, planar (see the type's documentation). Keep the count unchanged.
    public var pixels: [Float]

    /// Wraps planar `pixels`; the count must be `channels * height * width`.
    public init(width: Int, height: Int, channels: Int, pixels: [Float]) {
        precondition(width > 0 && height > 0, "Image size must be positive, got \(width)x\(height)")
        precondition([1, 3, 4].contains(channels), "Image channels must be 1, 3 or 4, got \(channels)")
        precondition(pixels.count == width * height * channels,
                     "Image \(width)x\(height)x\(channels) needs \(width * height * channels) values, got \(pixels.count)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// An image with every value set to `value`.
    public init(width: Int, height: Int, channels: Int, value: Float = 0) {
        self.init(width: width, height: height, channels: channels,
                  pixels: [Float](repeating: value, count: max(0, width * height * channels)))
    }

    /// Pixels per plane.
    public var planeSize: Int { width * height }
    /// True for RGBA.
    public var hasAlpha: Bool { channels == 4 }

    /// The value of channel `c` at column `x`, row `y`.
    public subscript(x x: Int, y y: Int, c c: Int) -> Float {
        get {
            precondition(x >= 0 && x < width && y >= 0 && y < height && c >= 0 && c < channels,
                         "pixel (\(x), \(y), \(c)) outside \(width)x\(height)x\(channels)")
            return pixels[c * planeSize + y * width + x]
        }
        set {
            precondition(x >= 0 && x < width && y >= 0 && y < height && c >= 0 && c < channels,
                         "pixel (\(x), \(y), \(c)) outside \(width)x\(height)x\(channels)")
            pixels[c * planeSize + y * width + x] = newValue
        }
    }

    /// Channel `c` as one contiguous plane (row-major).
    public func plane(_ c: Int) -> ArraySlice<Float> {
        precondition(c >= 0 && c < channels, "channel \(c) outside 0..<\(channels)")
        return pixels[c * planeSize ..< (c + 1) * planeSize]
    }

    /// RGB with alpha composited over a solid colour (straight alpha: c * a + background * (1 - a)).
    /// Images without alpha are returned unchanged; gray images stay gray.
    public func flattenedAlpha(onto background: RGBColor = .white) -> Image {
        guard channels == 4 else { return self }
        let n = planeSize
        var out = [Float](repeating: 0, count: 3 * n)
        let bg = [background.red, background.green, background.blue]
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for c in 0..<3 {
                    let b = bg[c]
                    for i in 0..<n {
                        let a = src[3 * n + i]
                        dst[c * n + i] = src[c * n + i] * a + b * (1 - a)
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: 3, pixels: out)
    }

    /// Three-channel RGB: gray is replicated, RGBA is flattened onto white, RGB is returned unchanged.
    public func rgb() -> Image {
        switch channels {
        case 1: return Image(width: width, height: height, channels: 3, pixels: pixels + pixels + pixels)
        case 4: return flattenedAlpha()
        default: return self
        }
    }
}

/// A colour with components in 0...1, used as a background for alpha flattening.
public struct RGBColor: Equatable, Sendable {
    /// Components in 0...1.
    public var red: Float, green: Float, blue: Float
    /// A colour from components in 0...1.
    public init(red: Float, green: Float, blue: Float) {
        self.red = red
        self.green = green
        self.blue = blue
    }
    /// (1, 1, 1).
    public static let white = RGBColor(red: 1, green: 1, blue: 1)
    /// (0, 0, 0).
    public static let black = RGBColor(red: 0, green: 0, blue: 0)
}
