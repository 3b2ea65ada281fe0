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
        // Along a stored row the display index moves by a constant step (±1 or ±outWidth).
        var starts = [Int](repeating: 0, count: h)
        var step = 1
        for y in 0..<h {
            let first = orientation.displayPosition(x: 0, y: y, width: w, height: h)
            let second = orientation.displayPosition(x: 1, y: y, width: w, height: h)
            starts[y] = first.y * outWidth + first.x
            step = (second.y * outWidth + second.x) - starts[y]
        }
        // 64x64 tiles keep the column-wise writes of the rotations inside the cache.
        let tile = 64
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for c in 0..<channels {
                    for y0 in stride(from: 0, to: h, by: tile) {
                        for x0 in stride(from: 0, to: w, by: tile) {
                            for y in y0..<min(h, y0 + tile) {
                                let from = src.baseAddress! + c * n + y * w
                                let to = dst.baseAddress! + c * n + starts[y]
                                for x in x0..<min(w, x0 + tile) { to[x * step] = from[x] }
                            }
                        }
                    }
                }
            }
        }
        return Image(width: outWidth, height: orientation.swapsAxes ? w : h, channels: channels, pixels: out)
    }
}
