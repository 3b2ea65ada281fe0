// EXIF orientation (tag 0x0112): how the stored pixels must be flipped or rotated to display upright.
// Phone photos are stored sideways with orientation 6 or 8; loading applies it by default.

/// The eight EXIF orientations. The raw value is the EXIF tag value.
public enum Orientation: Int, Sendable, Codable, CaseIterable {
    case up = 1, upMirrored = 2, down = 3, downMirrored = 4
    case leftMirrored = 5  // transpose
    case right = 6         // stored rotated; display by rotating 90 degrees clockwise
    case rightMirrored = 7 // transverse
    case left = 8          // display by rotating 90 degrees counter-clockwise

    /// True when displaying swaps width and height.
    public var swapsAxes: Bool { rawValue >= 5 }

    /// Display position of stored pixel (x, y) in a stored image of size w x h.
    @inline(__always)
    func displayPosition(x: Int, y: Int, width w: Int, height h: Int) -> (x: Int, y: Int) {
        switch self {
        case .up: return (x, y)
        case .upMirrored: return (w - 1 - x, y)
        case .down: return (w - 1 - x, h - 1 - y)
        case .downMirrored: return (x, h - 1 - y)
        case .leftMirrored: return (y, x)
        case .right: return (h - 1 - y, x)
        case .rightMirrored: return (h - 1 - y, w - 1 - x)
        case .left: return (y, w - 1 - x)
        }
    }
}

extension Image {
    /// The image as it should be displayed given the EXIF `orientation` it was stored with.
    public func oriented(_ orientation: Orientation) -> Image {
        if orientation == .up { return self }
        let (w, h, n) = (width, height, planeSize)
        let outWidth = orientation.swapsAxes ? h : w
        var out = [Float](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    for x in 0..<w {
                        let d = orientation.displayPosition(x: x, y: y, width: w, height: h)
                        let from = y * w + x, to = d.y * outWidth + d.x
                        for c in 0..<channels { dst[c * n + to] = src[c * n + from] }
                    }
                }
            }
        }
        return Image(width: outWidth, height: orientation.swapsAxes ? w : h, channels: channels, pixels: out)
    }
}
