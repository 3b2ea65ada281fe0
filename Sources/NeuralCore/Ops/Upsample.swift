// Nearest-neighbour upsampling by an integer factor (the resize-convolution of Odena et al. 2016 uses it
// to avoid the checkerboard artefacts of transposed convolutions).

extension Tensor {
    /// [N, C, H, W] → [N, C, H·f, W·f], each pixel repeated f×f times. Gradient: the sum over each f×f block.
    public func upsampledNearest(factor f: Int) -> Tensor {
        precondition(rank == 4 && f >= 1, "upsampledNearest: needs [N,C,H,W] and factor ≥ 1, got \(shape), \(f)")
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
