// Reflection padding (as torch.nn.ReflectionPad2d): mirrors the image without repeating the edge pixel.

extension Tensor {
    /// [N, C, H, W] → [N, C, H + 2p, W + 2p], with row −k taken from row k and row H−1+k from row H−1−k.
    /// Precondition: p < H and p < W. Gradient: each output gradient added back to the pixel it was copied from.
    public func reflectionPadded(_ p: Int) -> Tensor {
        require(rank == 4, "reflectionPadded: needs [N,C,H,W], got \(shape)")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        require(p >= 0 && p < h && p < w, "reflectionPadded: padding \(p) needs to be < H and < W of \(shape)")
        if p == 0 { return reshaped(shape) }
        let oh = h + 2 * p, ow = w + 2 * p
        // Source index for each padded row / column.
        let rows = (0..<oh).map { Tensor.reflect($0 - p, h) }, cols = (0..<ow).map { Tensor.reflect($0 - p, w) }
        let planes = n * c
        let y = data.withUnsafeBufferPointer { xb in
            let x = xb.baseAddress!
            return [Float](count: planes * oh * ow) { out in
                Parallel.forEach(planes, workPerItem: oh * ow) { pl in
                    let src = x + pl * h * w, dst = out + pl * oh * ow
                    for i in 0..<oh {
                        let s = src + rows[i] * w, d = dst + i * ow
                        for j in 0..<p { d[j] = s[cols[j]] }
                        (d + p).update(from: s, count: w)
                        for j in (p + w)..<ow { d[j] = s[cols[j]] }
                    }
                }
            }
        }
        return Tensor(shape: [n, c, oh, ow], data: y).recorded("reflectionPad", parents: [self]) { _ in
            { dy in
                [dy.withUnsafeBufferPointer { db in
                    let d0 = db.baseAddress!
                    return [Float](count: planes * h * w) { gx in
                        Parallel.forEach(planes, workPerItem: oh * ow) { pl in
                            let g = gx + pl * h * w, d = d0 + pl * oh * ow
                            g.initialize(repeating: 0, count: h * w)
                            for i in 0..<oh {
                                let gr = g + rows[i] * w, dr = d + i * ow
                                for j in 0..<ow { gr[cols[j]] += dr[j] }
                            }
                        }
                    }
                }]
            }
        }
    }

    /// Reflects index i into 0..<n (valid for −n < i < 2n − 1).
    static func reflect(_ i: Int, _ n: Int) -> Int {
        i < 0 ? -i : (i >= n ? 2 * n - 2 - i : i)
    }
}
