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

    /// Adds the patch rows in `cols` (layout as `pack`) back into the image for `channels` and output rows `rows`,
    /// touching only image rows in `inputRows` (so workers owning disjoint row ranges never write the same floats).
    static func unpackAdd(cols: UnsafePointer<Float>, geometry g: ConvGeometry, rows: Range<Int>, channels: Range<Int>,
                          image: UnsafeMutablePointer<Float>, inputRows: Range<Int>) {
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
}
