// Nearest-neighbour upsampling by an integer factor (the resize-convolution of Odena et al. 2016 uses it
// to avoid the checkerboard artefacts of transposed convolutions).

extension Tensor {
    /// [N, C, H, W] → [N, C, H·f, W·f], each pixel repeated f×f times. Gradient: the sum over each f×f block.
    public func upsampledNearest(factor f: Int) -> Tensor {
        require(rank == 4 && f >= 1, "upsampledNearest: needs [N,C,H,W] and factor ≥ 1, got \(shape), \(f)")
        if f == 1 { return reshaped(shape) }
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let oh = h * f, ow = w * f, rows = n * c * h   // one task per input row
        let y = data.withUnsafeBufferPointer { xb in
            let x = xb.baseAddress!
            return [Float](count: rows * f * ow) { out in
                Parallel.chunks(rows, grain: max(1, (1 << 15) / ow)) { range in
                    for r in range {
                        let src = x + r * w, row = out + r * f * ow
                        if f == 2 {
                            for j in 0..<w { let v = src[j]; row[2 * j] = v; row[2 * j + 1] = v }
                        } else {
                            for j in 0..<w { (row + j * f).initialize(repeating: src[j], count: f) }
                        }
                        for k in 1..<f { (row + k * ow).update(from: row, count: ow) }
                    }
                }
            }
        }
        return Tensor(shape: [n, c, oh, ow], data: y).recorded("upsampleNearest", parents: [self]) { _ in
            { dy in
                [dy.withUnsafeBufferPointer { db in
                    let d = db.baseAddress!
                    return [Float](count: rows * w) { gx in
                        Parallel.chunks(rows, grain: max(1, (1 << 15) / ow)) { range in
                            for r in range {
                                let g = gx + r * w, block = d + r * f * ow
                                for j in 0..<w {
                                    var s: Float = 0
                                    for k in 0..<f {
                                        let p = block + k * ow + j * f
                                        for m in 0..<f { s += p[m] }
                                    }
                                    g[j] = s
                                }
                            }
                        }
                    }
                }]
            }
        }
    }
}

// Bilinear ×2 upsampling (half-pixel centres, edges clamped: PyTorch's align_corners=False). Output pixel 2i lies a
// quarter pixel before input pixel i and 2i+1 a quarter after, so each is 3/4 of its own input plus 1/4 of the
// neighbour on its side. Unlike nearest, neighbouring outputs of one input differ wherever the image varies, so a
// conv after it cannot tell the two phases of the grid apart on flat features: nearest lets a stylizer paint the same
// stroke into every cell of its coarsest grid.
extension Tensor {
    /// [N, C, H, W] → [N, C, 2H, 2W] by bilinear interpolation. Gradient: the transposed interpolation.
    public func upsampledBilinear2x() -> Tensor {
        require(rank == 4, "upsampledBilinear2x: needs [N,C,H,W], got \(shape)")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let planes = n * c, plane = h * w, outPlane = 4 * plane
        let y = data.withUnsafeBufferPointer { xb in
            let x = xb.baseAddress!
            return [Float](count: planes * outPlane) { out in
                Parallel.forEach(planes, workPerItem: 3 * outPlane) { p in
                    // Widen every row into `wide`, then mix pairs of wide rows into the output rows.
                    let wide = UnsafeMutablePointer<Float>.allocate(capacity: 2 * plane)
                    defer { wide.deallocate() }
                    for r in 0..<h { Self.widen(x + p * plane + r * w, count: w, into: wide + r * 2 * w) }
                    let o = out + p * outPlane, ow = 2 * w
                    for i in 0..<h {
                        let row = wide + i * ow, above = wide + max(i - 1, 0) * ow, below = wide + min(i + 1, h - 1) * ow
                        let even = o + 2 * i * ow, odd = even + ow
                        for j in 0..<ow {
                            even[j] = 0.75 * row[j] + 0.25 * above[j]
                            odd[j] = 0.75 * row[j] + 0.25 * below[j]
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, c, 2 * h, 2 * w], data: y).recorded("upsampleBilinear2x", parents: [self]) { _ in
            { dy in
                [dy.withUnsafeBufferPointer { db in
                    let d = db.baseAddress!
                    return [Float](count: planes * plane) { gx in
                        Parallel.forEach(planes, workPerItem: 3 * outPlane) { p in
                            // Transpose of the forward: fold output rows back onto `wide` rows, then columns onto pixels.
                            let ow = 2 * w
                            let wide = UnsafeMutablePointer<Float>.allocate(capacity: 2 * plane)
                            defer { wide.deallocate() }
                            wide.initialize(repeating: 0, count: 2 * plane)
                            let g = d + p * outPlane
                            for o in 0..<(2 * h) {
                                let i = o / 2, other = o % 2 == 0 ? max(i - 1, 0) : min(i + 1, h - 1)
                                let src = g + o * ow, mine = wide + i * ow, theirs = wide + other * ow
                                for j in 0..<ow { mine[j] += 0.75 * src[j]; theirs[j] += 0.25 * src[j] }
                            }
                            let dst = gx + p * plane
                            dst.initialize(repeating: 0, count: plane)
                            for r in 0..<h {
                                let src = wide + r * ow, row = dst + r * w
                                for o in 0..<ow {
                                    let i = o / 2, other = o % 2 == 0 ? max(i - 1, 0) : min(i + 1, w - 1)
                                    row[i] += 0.75 * src[o]; row[other] += 0.25 * src[o]
                                }
                            }
                        }
                    }
                }]
            }
        }
    }

    /// One row of `count` values → 2·count bilinearly interpolated values.
    @inline(__always)
    private static func widen(_ src: UnsafePointer<Float>, count: Int, into dst: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let v = src[i], before = src[max(i - 1, 0)], after = src[min(i + 1, count - 1)]
            dst[2 * i] = 0.75 * v + 0.25 * before
            dst[2 * i + 1] = 0.75 * v + 0.25 * after
        }
    }
}
