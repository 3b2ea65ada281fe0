// Gram matrix of feature maps (Gatys et al. 2016, eq. 3), the style representation, via cblas_sgemm.

extension Tensor {
    /// [N, C, H, W] → [N, C, C], G = F·Fᵀ / (C·H·W) with F the [C, H·W] features of one image.
    /// Dividing by C·H·W keeps style weights independent of image size and layer width.
    /// Gradient: dF = (dG + dGᵀ)·F / (C·H·W).
    public func gram() -> Tensor {
        require(rank == 4, "gram: needs [N,C,H,W], got \(shape)")
        let (n, c, hw) = (shape[0], shape[1], shape[2] * shape[3])
        let scale = 1 / Float(c * hw)
        let g = data.withUnsafeBufferPointer { xb in
            let x = xb.baseAddress!
            return [Float](count: n * c * c) { out in
                for b in 0..<n {
                    let f = x + b * c * hw
                    GEMM.multiply(transposeB: true, m: c, n: c, k: hw, alpha: scale, a: f, lda: hw, b: f, ldb: hw,
                                  c: out + b * c * c, ldc: c)
                }
            }
        }
        return Tensor(shape: [n, c, c], data: g).recorded("gram", parents: [self]) { _ in
            let x = self.data
            return { dy in
                // Symmetrise dG once, then one GEMM per image.
                var sym = dy
                for b in 0..<n {
                    for i in 0..<c {
                        for j in 0..<c { sym[b * c * c + i * c + j] = dy[b * c * c + i * c + j] + dy[b * c * c + j * c + i] }
                    }
                }
                return [sym.withUnsafeBufferPointer { sb in
                    x.withUnsafeBufferPointer { xb in
                        [Float](count: n * c * hw) { gx in
                            for b in 0..<n {
                                GEMM.multiply(m: c, n: hw, k: c, alpha: scale, a: sb.baseAddress! + b * c * c, lda: c,
                                              b: xb.baseAddress! + b * c * hw, ldb: hw, c: gx + b * c * hw, ldc: hw)
                            }
                        }
                    }
                }]
            }
        }
    }
}
