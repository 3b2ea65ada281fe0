// im2col / col2im over a band of output rows: the unrolled patch matrix that turns a convolution into one GEMM.
// Banding keeps the column buffer bounded whatever the image size.

/// Patch-matrix packing for one image (CHW). Column layout: row `(c·kh + i)·kw + j`, column `(y − y0)·ow + x`.
enum Im2Col {
    /// ⌈a / b⌉ for b > 0 and any sign of a.
    @inline(__always) static func ceilDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? (a + b - 1) / b : -((-a) / b) }

    /// Output columns x whose input column x·s − p + j lies inside 0..<width.
    @inline(__always) static func validX(_ j: Int, _ g: ConvGeometry, _ ow: Int) -> Range<Int> {
        let lo = max(0, ceilDiv(g.padW - j, g.strideW))
        let hi = min(ow, ceilDiv(g.inWidth + g.padW - j, g.strideW))
        return lo < hi ? lo..<hi : 0..<0
    }

    /// Writes the patch rows of `channels` for output rows `rows` into `cols` (channels.count·kh·kw × rows.count·ow).
    static func pack(image: UnsafePointer<Float>, geometry g: ConvGeometry, rows: Range<Int>, channels: Range<Int>,
                     cols: UnsafeMutablePointer<Float>) {
        if g.strideW == 1 && g.strideH == 1 && g.outWidth < narrowWidth {
            packNarrow(image: image, geometry: g, rows: rows, channels: channels, cols: cols)
            return
        }
        let ow = g.outWidth, n = rows.count * ow, sw = g.strideW
        var r = 0
        for c in channels { for i in 0..<g.kernelHeight { for j in 0..<g.kernelWidth {
            let dstRow = cols + r * n
            let xs = validX(j, g, ow)
            for y in rows {
                let dst = dstRow + (y - rows.lowerBound) * ow
                let iy = y * g.strideH - g.padH + i
                if iy < 0 || iy >= g.inHeight || xs.isEmpty { dst.initialize(repeating: 0, count: ow); continue }
                if xs.lowerBound > 0 { dst.initialize(repeating: 0, count: xs.lowerBound) }
                if xs.upperBound < ow { (dst + xs.upperBound).initialize(repeating: 0, count: ow - xs.upperBound) }
                let src = image + (c * g.inHeight + iy) * g.inWidth - g.padW + j
                if sw == 1 {
                    (dst + xs.lowerBound).update(from: src + xs.lowerBound, count: xs.count)
                } else {
                    for x in xs { dst[x] = src[x * sw] }
                }
            }
            r += 1
        } } }
    }

    /// Below this output width, a patch row's segments are too short for memmove/memset calls to pay off.
    static let narrowWidth = 64

    /// `pack` for stride-1 convs on narrow images (the classifier's 28² and 14² maps): the band's input rows are
    /// first copied with their zero padding into a strip, so every segment is one unconditional copy of W′ floats,
    /// done in 8-float vectors (the last vector's overshoot lands on the next segment, written after it).
    static func packNarrow(image: UnsafePointer<Float>, geometry g: ConvGeometry, rows: Range<Int>, channels: Range<Int>,
                           cols: UnsafeMutablePointer<Float>) {
        let ow = g.outWidth, n = rows.count * ow, kh = g.kernelHeight, kw = g.kernelWidth
        let stripRows = rows.count + kh - 1, wp = g.inWidth + 2 * g.padW, plane = stripRows * wp
        let vectors = (ow + 7) / 8, total = n * channels.count * kh * kw
        KernelScratch.with(channels.count * plane + 8) { strip in
            strip.initialize(repeating: 0, count: channels.count * plane + 8)
            for (cc, c) in channels.enumerated() {
                for r in 0..<stripRows {
                    let iy = rows.lowerBound - g.padH + r
                    if iy < 0 || iy >= g.inHeight { continue }
                    (strip + cc * plane + r * wp + g.padW).update(from: image + (c * g.inHeight + iy) * g.inWidth,
                                                                   count: g.inWidth)
                }
            }
            var r = 0
            for cc in 0..<channels.count { for i in 0..<kh { for j in 0..<kw {
                for y in 0..<rows.count {
                    let src = UnsafeRawPointer(strip + cc * plane + (y + i) * wp + j)
                    let offset = r * n + y * ow
                    let dst = UnsafeMutableRawPointer(cols + offset)
                    if offset + 8 * vectors > total {   // the last segments must not write past the buffer
                        for x in 0..<ow { cols[offset + x] = src.load(fromByteOffset: 4 * x, as: Float.self) }
                        continue
                    }
                    for v in 0..<vectors {
                        dst.storeBytes(of: src.loadUnaligned(fromByteOffset: 32 * v, as: SIMD8<Float>.self),
                                       toByteOffset: 32 * v, as: SIMD8<Float>.self)
                    }
                }
                r += 1
            } } }
        }
    }

    /// Adds the patch rows in `cols` (layout as `pack`) back into the image for `channels` and output rows `rows`,
    /// touching only image rows in `inputRows` (so workers owning disjoint row ranges never write the same floats).
    static func unpackAdd(cols: UnsafePointer<Float>, geometry g: ConvGeometry, rows: Range<Int>, channels: Range<Int>,
                          image: UnsafeMutablePointer<Float>, inputRows: Range<Int>) {
        if g.strideW == 1 && g.strideH == 1 && g.outWidth < narrowWidth {
            unpackAddNarrow(cols: cols, geometry: g, rows: rows, channels: channels, image: image, inputRows: inputRows)
            return
        }
        let ow = g.outWidth, n = rows.count * ow, sw = g.strideW
        var r = 0
        for c in channels { for i in 0..<g.kernelHeight { for j in 0..<g.kernelWidth {
            let srcRow = cols + r * n
            let xs = validX(j, g, ow)
            r += 1
            if xs.isEmpty { continue }
            for y in rows {
                let iy = y * g.strideH - g.padH + i
                if !inputRows.contains(iy) { continue }
                let src = srcRow + (y - rows.lowerBound) * ow
                let dst = image + (c * g.inHeight + iy) * g.inWidth - g.padW + j
                if sw == 1 {
                    for x in xs { dst[x] += src[x] }
                } else {
                    for x in xs { dst[x * sw] += src[x] }
                }
            }
        } } }
    }

    /// `unpackAdd` for stride-1 convs on narrow images: segments are summed into a zero-padded strip of the band's
    /// input rows (no per-segment bounds), then the strip's interior is added into the image rows in `inputRows`.
    static func unpackAddNarrow(cols: UnsafePointer<Float>, geometry g: ConvGeometry, rows: Range<Int>,
                                channels: Range<Int>, image: UnsafeMutablePointer<Float>, inputRows: Range<Int>) {
        let ow = g.outWidth, n = rows.count * ow, kh = g.kernelHeight, kw = g.kernelWidth
        let stripRows = rows.count + kh - 1, wp = g.inWidth + 2 * g.padW, plane = stripRows * wp
        let vectors = ow / 4
        KernelScratch.with(channels.count * plane) { strip in
            strip.initialize(repeating: 0, count: channels.count * plane)
            var r = 0
            for cc in 0..<channels.count { for i in 0..<kh { for j in 0..<kw {
                for y in 0..<rows.count {
                    let dst = strip + cc * plane + (y + i) * wp + j, src = cols + r * n + y * ow
                    let d = UnsafeMutableRawPointer(dst), s = UnsafeRawPointer(src)
                    for v in 0..<vectors {
                        let sum = d.loadUnaligned(fromByteOffset: 16 * v, as: SIMD4<Float>.self)
                            + s.loadUnaligned(fromByteOffset: 16 * v, as: SIMD4<Float>.self)
                        d.storeBytes(of: sum, toByteOffset: 16 * v, as: SIMD4<Float>.self)
                    }
                    for x in (4 * vectors)..<ow { dst[x] += src[x] }
                }
                r += 1
            } } }
            for (cc, c) in channels.enumerated() {
                for r in 0..<stripRows {
                    let iy = rows.lowerBound - g.padH + r
                    if !inputRows.contains(iy) { continue }
                    let src = strip + cc * plane + r * wp + g.padW, dst = image + (c * g.inHeight + iy) * g.inWidth
                    for x in 0..<g.inWidth { dst[x] += src[x] }
                }
            }
        }
    }
}
