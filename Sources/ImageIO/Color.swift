// Colour conversions on planar images: gray (Rec.601 luma), YIQ (NTSC) and full-range YCbCr (JPEG/JFIF).
// Luminance-only style transfer swaps the Y plane and keeps the content's chroma (I/Q or Cb/Cr).

/// A 3x3 colour matrix plus offset: out = M * in + offset, per pixel.
struct ColorTransform {
    var m: [Float]       // row-major 3x3
    var offset: [Float]  // 3

    /// Rec.601 luma weights, also the first row of YIQ and YCbCr.
    static let luma: [Float] = [0.299, 0.587, 0.114]

    static let rgbToYIQ = ColorTransform(m: luma + [0.595716, -0.274453, -0.321263,
                                                     0.211456, -0.522591, 0.311135], offset: [0, 0, 0])
    static let rgbToYCbCr = ColorTransform(m: luma + [-0.168736, -0.331264, 0.5,
                                                       0.5, -0.418688, -0.081312], offset: [0, 0.5, 0.5])

    /// The exact inverse (computed, not rounded published coefficients, so round trips are tight).
    var inverse: ColorTransform {
        let d = m.map(Double.init)
        func at(_ r: Int, _ c: Int) -> Double { d[3 * r + c] }
        let det = at(0, 0) * (at(1, 1) * at(2, 2) - at(1, 2) * at(2, 1))
            - at(0, 1) * (at(1, 0) * at(2, 2) - at(1, 2) * at(2, 0))
            + at(0, 2) * (at(1, 0) * at(2, 1) - at(1, 1) * at(2, 0))
        var inv = [Double](repeating: 0, count: 9)
        for r in 0..<3 {
            for c in 0..<3 {
                // Adjugate: cofactor of (c, r) divided by the determinant.
                let rows = [0, 1, 2].filter { $0 != c }, cols = [0, 1, 2].filter { $0 != r }
                let minor = at(rows[0], cols[0]) * at(rows[1], cols[1]) - at(rows[0], cols[1]) * at(rows[1], cols[0])
                inv[3 * r + c] = ((r + c) % 2 == 0 ? minor : -minor) / det
            }
        }
        let back = (0..<3).map { r in -(0..<3).reduce(0.0) { $0 + inv[3 * r + $1] * Double(offset[$1]) } }
        return ColorTransform(m: inv.map(Float.init), offset: back.map(Float.init))
    }

    /// Applies to the first three planes; a fourth (alpha) plane is carried over unchanged.
    func apply(_ image: Image) -> Image {
        precondition(image.channels >= 3, "colour transform needs RGB(A), got \(image.channels) channels")
        var out = image.pixels
        let n = image.planeSize
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n {
                    let a = src[i], b = src[n + i], c = src[2 * n + i]
                    for r in 0..<3 {
                        dst[r * n + i] = m[3 * r] * a + m[3 * r + 1] * b + m[3 * r + 2] * c + offset[r]
                    }
                }
            }
        }
        return Image(width: image.width, height: image.height, channels: image.channels, pixels: out)
    }
}

extension Image {
    /// One-channel luma Y = 0.299 R + 0.587 G + 0.114 B (Rec.601); RGBA is flattened onto white first,
    /// gray is returned unchanged.
    public func gray() -> Image {
        if channels == 1 { return self }
        let source = flattenedAlpha()
        let n = planeSize, w = ColorTransform.luma
        var out = [Float](repeating: 0, count: n)
        source.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n { dst[i] = w[0] * src[i] + w[1] * src[n + i] + w[2] * src[2 * n + i] }
            }
        }
        return Image(width: width, height: height, channels: 1, pixels: out)
    }

    /// Planes Y, I, Q (NTSC). Y is in 0...1, I in about ±0.596, Q in about ±0.523. Alpha is kept.
    public func rgbToYIQ() -> Image { ColorTransform.rgbToYIQ.apply(self) }

    /// Inverse of `rgbToYIQ()`; values are not clamped.
    public func yiqToRGB() -> Image { ColorTransform.rgbToYIQ.inverse.apply(self) }

    /// Planes Y, Cb, Cr, full range (JFIF): all in 0...1, chroma centred on 0.5. Alpha is kept.
    public func rgbToYCbCr() -> Image { ColorTransform.rgbToYCbCr.apply(self) }

    /// Inverse of `rgbToYCbCr()`; values are not clamped.
    public func yCbCrToRGB() -> Image { ColorTransform.rgbToYCbCr.inverse.apply(self) }

    /// The same pixels with the planes reordered: plane k of the result is plane `order[k]` of this image (`order` is a
    /// permutation of 0..<channels), so [2, 1, 0] swaps red and blue.
    public func withChannels(in order: [Int]) -> Image {
        precondition(order.sorted() == Array(0..<channels), "channel order must be a permutation of 0..<\(channels), got \(order)")
        let n = planeSize
        var out = [Float](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (k, c) in order.enumerated() { (dst.baseAddress! + k * n).update(from: src.baseAddress! + c * n, count: n) }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: out)
    }
}
