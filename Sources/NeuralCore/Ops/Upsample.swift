// Nearest-neighbour upsampling by an integer factor (the resize-convolution of Odena et al. 2016 uses it
// to avoid the checkerboard artefacts of transposed convolutions).

extension Tensor {
    /// [N, C, H, W] → [N, C, H·f, W·f], each pixel repeated f×f times. Gradient: the sum over each f×f block.
    public func upsampledNearest(factor f: Int) -> Tensor {
        precondition(rank == 4 && f >= 1, "upsampledNearest: needs [N,C,H,W] and factor ≥ 1, got \(shape), \(f)")
        if f == 1 { return reshaped(shape) }
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let oh = h * f, ow = w * f, planes = n * c
        let y = data.withUnsafeBufferPointer { xb in
            let x = xb.baseAddress!
            return [Float](count: planes * oh * ow) { out in
                Parallel.forEach(planes, workPerItem: oh * ow) { pl in
                    let src = x + pl * h * w, dst = out + pl * oh * ow
                    for i in 0..<h {
                        let row = dst + i * f * ow
                        for j in 0..<w {
                            let v = src[i * w + j]
                            for k in 0..<f { row[j * f + k] = v }
                        }
                        for r in 1..<f { (row + r * ow).update(from: row, count: ow) }
                    }
                }
            }
        }
        return Tensor(shape: [n, c, oh, ow], data: y).recorded("upsampleNearest", parents: [self]) { _ in
            { dy in
                [dy.withUnsafeBufferPointer { db in
                    let d = db.baseAddress!
                    return [Float](count: planes * h * w) { gx in
                        Parallel.forEach(planes, workPerItem: oh * ow) { pl in
                            let g = gx + pl * h * w, dp = d + pl * oh * ow
                            g.initialize(repeating: 0, count: h * w)
                            for i in 0..<oh {
                                let gr = g + (i / f) * w, dr = dp + i * ow
                                for j in 0..<ow { gr[j / f] += dr[j] }
                            }
                        }
                    }
                }]
            }
        }
    }
}
