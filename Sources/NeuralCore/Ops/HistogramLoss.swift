// Histogram matching as a loss (Risser et al. 2017, "Stable and controllable neural texture synthesis"): the 1-D
// optimal transport between each plane's values and a target distribution. Sorting both sides pairs the k-th smallest
// value with the target's k-th quantile; the squared distance of those pairs is the squared 2-Wasserstein distance,
// and its gradient moves each value towards the quantile of its own rank. Gram matrices only see second moments of
// the colours, so a network trained on them alone can miss a painting's palette; this term sees the whole distribution.

extension Tensor {
    /// Scalar mean over planes and values of (sorted(self[n, k]) − quantiles_k)², for self [N, K, H, W] and `quantiles`
    /// [K, Q]: each row sorted ascending, read by linear interpolation at the centre of each of the H·W ranks.
    /// `quantiles` is a constant. Gradient: 2·(value − its rank's quantile)/count, at each value's own position
    /// (ties keep one fixed order, so the gradient is that of the function sorting in that order).
    public func histogramLoss(quantiles: Tensor) -> Tensor {
        require(rank == 4 && quantiles.rank == 2 && quantiles.shape[0] == shape[1] && quantiles.shape[1] >= 1,
                     "histogramLoss: needs [N,K,H,W] and [K,Q], got \(shape) and \(quantiles.shape)")
        let (n, k, p, q) = (shape[0], shape[1], shape[2] * shape[3], quantiles.shape[1])
        let planes = n * k
        // diff[i] = value − its rank's target, at the value's own position.
        var diff = [Float](repeating: 0, count: count)
        var partial = [Float](repeating: 0, count: planes)
        data.withUnsafeBufferPointer { xb in
            quantiles.data.withUnsafeBufferPointer { tb in
                diff.withUnsafeMutableBufferPointer { db in
                    partial.withUnsafeMutableBufferPointer { pb in
                        let x = xb.baseAddress!, t = tb.baseAddress!, d = db.baseAddress!, part = pb.baseAddress!
                        Parallel.forEach(planes, workPerItem: p * 20) { plane in
                            let values = x + plane * p, row = t + (plane % k) * q
                            let order = (0..<p).sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
                            var acc: Float = 0
                            for (r, i) in order.enumerated() {
                                let e = values[i] - Self.quantile(row, count: q, at: (Float(r) + 0.5) / Float(p))
                                d[plane * p + i] = e
                                acc += e * e
                            }
                            part[plane] = acc
                        }
                    }
                }
            }
        }
        let total = Float(count)
        return Tensor(shape: [], data: [partial.reduce(0, +) / total]).recorded("histogramLoss", parents: [self]) { _ in
            { dy in [Elementwise.scale(diff, 2 * dy[0] / total)] }
        }
    }

    /// The sorted table `row` of `count` values read at fraction `f` of its length (centres of its entries at
    /// (i + 0.5)/count), linearly interpolated and clamped at both ends.
    @inline(__always)
    static func quantile(_ row: UnsafePointer<Float>, count: Int, at f: Float) -> Float {
        let pos = min(max(f * Float(count) - 0.5, 0), Float(count - 1))
        let i = Int(pos), frac = pos - Float(i)
        return i + 1 < count ? row[i] + frac * (row[i + 1] - row[i]) : row[i]
    }

    /// `quantileCount` evenly spaced quantiles of each channel of self [1, K, H, W] (or [K, H, W]) as [K, Q], the
    /// target `histogramLoss` takes.
    public func channelQuantiles(_ quantileCount: Int = 256) -> Tensor {
        require(rank >= 3 && (rank == 3 || shape[0] == 1), "channelQuantiles: needs [1,K,H,W], got \(shape)")
        let k = shape[rank - 3], p = shape[rank - 2] * shape[rank - 1]
        var out = [Float](repeating: 0, count: k * quantileCount)
        for c in 0..<k {
            let sorted = Array(data[(c * p)..<((c + 1) * p)]).sorted()
            sorted.withUnsafeBufferPointer { s in
                for j in 0..<quantileCount {
                    out[c * quantileCount + j] = Self.quantile(s.baseAddress!, count: p, at: (Float(j) + 0.5) / Float(quantileCount))
                }
            }
        }
        return Tensor(shape: [k, quantileCount], data: out)
    }

    /// Scalar: total variation (Σ squared neighbour differences) divided by the number of elements, so its weight
    /// means the same at every image size and batch size, as the content and style terms (both means) do.
    public func meanTotalVariation() -> Tensor { totalVariation() * (1 / Float(count)) }
}
