// Fused losses used by style transfer: mean squared error against a constant target, and total variation
// (the smoothness prior of Mahendran & Vedaldi 2015, squared form as in Johnson et al.).

extension Tensor {
    /// Scalar mean over elements of (self − target)². The target is treated as a constant.
    /// Gradient: 2·(self − target)/count.
    public func mseLoss(_ target: Tensor) -> Tensor {
        require(shape == target.shape, "mseLoss: shapes \(shape) and \(target.shape) differ")
        let n = count
        require(n > 0, "mseLoss: empty tensors")
        let diff = Elementwise.subtract(data, target.data)
        let total = diff.withUnsafeBufferPointer { Reduce.dot($0.baseAddress!, $0.baseAddress!, n) }
        return Tensor(shape: [], data: [total / Float(n)]).recorded("mse", parents: [self]) { _ in
            { dy in
                let s = 2 * dy[0] / Float(n)
                return [Elementwise.scale(diff, s)]
            }
        }
    }

    /// Scalar Σ over images, channels and pixels of (x[i+1, j] − x[i, j])² + (x[i, j+1] − x[i, j])² (NCHW).
    /// Gradient: 2·(differences) scattered back to both ends of each pair.
    public func totalVariation() -> Tensor {
        require(rank == 4, "totalVariation: needs [N,C,H,W], got \(shape)")
        let (planes, h, w) = (shape[0] * shape[1], shape[2], shape[3])
        var partial = [Float](repeating: 0, count: planes)
        data.withUnsafeBufferPointer { xb in
            partial.withUnsafeMutableBufferPointer { pb in
                let x = xb.baseAddress!, p = pb.baseAddress!
                Parallel.forEach(planes, workPerItem: h * w * 4) { pl in
                    let s = x + pl * h * w
                    var acc: Float = 0
                    for i in 0..<h {
                        for j in 0..<w {
                            let v = s[i * w + j]
                            if i + 1 < h { let d = s[(i + 1) * w + j] - v; acc += d * d }
                            if j + 1 < w { let d = s[i * w + j + 1] - v; acc += d * d }
                        }
                    }
                    p[pl] = acc
                }
            }
        }
        return Tensor(shape: [], data: [partial.reduce(0, +)]).recorded("totalVariation", parents: [self]) { _ in
            let x = self.data
            return { dy in
                let s2 = 2 * dy[0]
                return [x.withUnsafeBufferPointer { xb in
                    [Float](count: planes * h * w) { g0 in
                        Parallel.forEach(planes, workPerItem: h * w * 4) { pl in
                            let s = xb.baseAddress! + pl * h * w, g = g0 + pl * h * w
                            g.initialize(repeating: 0, count: h * w)
                            for i in 0..<h {
                                for j in 0..<w {
                                    let v = s[i * w + j]
                                    if i + 1 < h {
                                        let d = s2 * (s[(i + 1) * w + j] - v)
                                        g[(i + 1) * w + j] += d; g[i * w + j] -= d
                                    }
                                    if j + 1 < w {
                                        let d = s2 * (s[i * w + j + 1] - v)
                                        g[i * w + j + 1] += d; g[i * w + j] -= d
                                    }
                                }
                            }
                        }
                    }
                }]
            }
        }
    }
}
