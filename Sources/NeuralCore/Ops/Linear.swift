// Fully connected layer y = x·Wᵀ + b (PyTorch's [out, in] weight layout), via cblas_sgemm.

extension Tensor {
    /// x [N, in], weight [out, in], bias [out] → [N, out].
    /// Gradients: dx = dy·W, dW = dyᵀ·x, db = Σ_n dy.
    public func linear(weight: Tensor, bias: Tensor?) -> Tensor {
        require(rank == 2 && weight.rank == 2 && shape[1] == weight.shape[1],
                     "linear: input \(shape) and weight \(weight.shape) must be [N,in] and [out,in]")
        let (n, k, m) = (shape[0], shape[1], weight.shape[0])
        if let bias { require(bias.shape == [m], "linear: bias \(bias.shape) must be [\(m)]") }
        var y = [Float](repeating: 0, count: n * m)
        y.withUnsafeMutableBufferPointer { yb in
            let yp = yb.baseAddress!
            if let bias { for i in 0..<n { for j in 0..<m { yp[i * m + j] = bias.data[j] } } }
            data.withUnsafeBufferPointer { x in
                weight.data.withUnsafeBufferPointer { w in
                    GEMM.multiply(transposeB: true, m: n, n: m, k: k, a: x.baseAddress!, lda: k, b: w.baseAddress!, ldb: k,
                                  beta: bias == nil ? 0 : 1, c: yp, ldc: m)
                }
            }
        }
        let parents = bias.map { [self, weight, $0] } ?? [self, weight]
        return Tensor(shape: [n, m], data: y).recorded("linear", parents: parents) { needs in
            let w = needs[0] ? weight.data : nil, x = needs[1] ? self.data : nil
            let needBias = needs.count > 2 && needs[2]
            return { dy in
                dy.withUnsafeBufferPointer { db in
                    let d = db.baseAddress!
                    let gx = w.map { w in
                        [Float](count: n * k) { g in
                            w.withUnsafeBufferPointer { GEMM.multiply(m: n, n: k, k: m, a: d, lda: m, b: $0.baseAddress!, ldb: k, c: g, ldc: k) }
                        }
                    }
                    let gw = x.map { x in
                        [Float](count: m * k) { g in
                            x.withUnsafeBufferPointer {
                                GEMM.multiply(transposeA: true, m: m, n: k, k: n, a: d, lda: m, b: $0.baseAddress!, ldb: k, c: g, ldc: k)
                            }
                        }
                    }
                    var result: [[Float]?] = [gx, gw]
                    if needs.count > 2 {
                        result.append(needBias ? (0..<m).map { j in (0..<n).reduce(Float(0)) { $0 + d[$1 * m + j] } } : nil)
                    }
                    return result
                }
            }
        }
    }
}
