// Instance normalisation (Ulyanov et al. 2016) and batch normalisation (Ioffe & Szegedy 2015) over NCHW.
// Both store only the input plus per-plane/channel mean and 1/σ for the backward pass, and share one
// backward formula: dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)).

/// Running mean and (unbiased) variance of batch norm, updated in training mode, used in inference mode.
public final class BatchNormStats {
    /// Running mean per channel.
    public var mean: [Float]
    /// Running unbiased variance per channel.
    public var variance: [Float]
    /// Mean 0 and variance 1 per channel (PyTorch's initial running stats).
    public init(channels: Int) {
        mean = [Float](repeating: 0, count: channels)
        variance = [Float](repeating: 1, count: channels)
    }
}

extension Tensor {
    /// Normalises each (n, c) plane of [N, C, H, W] over H·W to mean 0, variance 1 (biased variance, as
    /// PyTorch), then applies scale·x̂ + shift per channel (each [C], either may be nil).
    public func instanceNorm(scale: Tensor?, shift: Tensor?, epsilon: Float = 1e-5) -> Tensor {
        require(rank == 4 && shape[2] * shape[3] > 0, "instanceNorm: needs non-empty [N,C,H,W], got \(shape)")
        let (batch, channels) = (shape[0], shape[1])
        if let scale { require(scale.shape == [channels], "instanceNorm: scale \(scale.shape) must be [\(channels)]") }
        if let shift { require(shift.shape == [channels], "instanceNorm: shift \(shift.shape) must be [\(channels)]") }
        let layout = NormLayout(outer: batch, channels: channels, inner: shape[2] * shape[3], perPlane: true)
        return normalize(layout: layout, scale: scale, shift: shift, statistics: nil, epsilon: epsilon, op: "instanceNorm")
    }

    /// Batch norm over [N, C] or [N, C, H, W], per channel over N (and H·W). Training mode normalises with
    /// the batch statistics and updates `stats` (running = (1 − momentum)·running + momentum·batch, variance
    /// unbiased); inference mode normalises with `stats`. scale and shift are [C].
    public func batchNorm(scale: Tensor, shift: Tensor, stats: BatchNormStats, mode: Mode,
                          momentum: Float = 0.1, epsilon: Float = 1e-5) -> Tensor {
        require(rank == 2 || rank == 4, "batchNorm: needs [N,C] or [N,C,H,W], got \(shape)")
        let channels = shape[1]
        require(scale.shape == [channels] && shift.shape == [channels] && stats.mean.count == channels,
                     "batchNorm: scale \(scale.shape), shift \(shift.shape), stats \(stats.mean.count) must match C=\(channels)")
        let layout = NormLayout(outer: shape[0], channels: channels, inner: rank == 4 ? shape[2] * shape[3] : 1, perPlane: false)
        switch mode {
        case .training:
            require(layout.groupSize > 1, "batchNorm: training needs more than one value per channel, got \(shape)")
            return normalize(layout: layout, scale: scale, shift: shift, statistics: nil, epsilon: epsilon, op: "batchNorm",
                             update: (stats, momentum))
        case .inference:
            let inv = stats.variance.map { 1 / ($0 + epsilon).squareRoot() }
            return normalize(layout: layout, scale: scale, shift: shift, statistics: (stats.mean, inv), epsilon: epsilon, op: "batchNorm")
        }
    }
}

/// Element (o, c, s) of a normalised tensor sits at (o·C + c)·inner + s. Instance norm has one group per (o, c)
/// plane; batch norm one group per channel c spanning all o.
struct NormLayout {
    var outer: Int, channels: Int, inner: Int, perPlane: Bool
    var groups: Int { perPlane ? outer * channels : channels }
    var groupSize: Int { perPlane ? inner : outer * inner }
    /// Channel of group g.
    func channel(_ g: Int) -> Int { perPlane ? g % channels : g }
    /// Calls body(offset) for each contiguous run of `inner` elements of group g.
    @inline(__always) func forEachRun(_ g: Int, _ body: (Int) -> Void) {
        if perPlane { body(g * inner) } else { for o in 0..<outer { body((o * channels + g) * inner) } }
    }
}

extension Tensor {
    /// Shared forward/backward. `statistics` given: fixed (mean, 1/σ) per group (batch norm inference);
    /// nil: computed from the data (and the batch statistics folded into `update` when given).
    fileprivate func normalize(layout L: NormLayout, scale: Tensor?, shift: Tensor?, statistics: ([Float], [Float])?,
                               epsilon: Float, op: String, update: (BatchNormStats, Float)? = nil) -> Tensor {
        let groups = L.groups, m = L.groupSize, inner = L.inner
        var mean = [Float](repeating: 0, count: groups), invStd = [Float](repeating: 0, count: groups)
        var variance = [Float](repeating: 0, count: groups)
        let gamma = scale?.data, beta = shift?.data
        let y = data.withUnsafeBufferPointer { xb in
            let x = xb.baseAddress!
            return [Float](count: count) { out in
                mean.withUnsafeMutableBufferPointer { mb in
                    invStd.withUnsafeMutableBufferPointer { ib in
                        variance.withUnsafeMutableBufferPointer { vb in
                            Parallel.forEach(groups, workPerItem: m * 3) { g in
                                let mu: Float, inv: Float
                                if let statistics {
                                    mu = statistics.0[g]; inv = statistics.1[g]
                                } else {
                                    var s: Float = 0
                                    L.forEachRun(g) { s += Reduce.sum(x + $0, inner) }
                                    mu = s / Float(m)
                                    var q: Float = 0
                                    L.forEachRun(g) { q += Reduce.sumSquaredDeviation(x + $0, inner, from: mu) }
                                    vb[g] = q / Float(m)
                                    inv = 1 / (vb[g] + epsilon).squareRoot()
                                }
                                mb[g] = mu; ib[g] = inv
                                let c = L.channel(g)
                                let a = inv * (gamma?[c] ?? 1), b = (beta?[c] ?? 0) - mu * a
                                L.forEachRun(g) { off in for i in off..<(off + inner) { out[i] = a * x[i] + b } }
                            }
                        }
                    }
                }
            }
        }
        if let (stats, momentum) = update {
            for c in 0..<groups {
                stats.mean[c] = (1 - momentum) * stats.mean[c] + momentum * mean[c]
                let unbiased = variance[c] * Float(m) / Float(m - 1)
                stats.variance[c] = (1 - momentum) * stats.variance[c] + momentum * unbiased
            }
        }
        let fixedStatistics = statistics != nil
        var parents = [self]
        if let scale { parents.append(scale) }
        if let shift { parents.append(shift) }
        return Tensor(shape: shape, data: y).recorded(op, parents: parents) { needs in
            let needX = needs[0]
            let needScale = scale != nil && needs[1]
            let needShift = shift != nil && needs[scale != nil ? 2 : 1]
            let x = (needX || needScale) ? self.data : nil
            let channels = L.channels
            return { dy in
                // Per group: Σ dy and Σ dy·x̂.
                var sumDy = [Float](repeating: 0, count: groups), sumDyXhat = [Float](repeating: 0, count: groups)
                var gx: [Float]? = nil
                dy.withUnsafeBufferPointer { db in
                    let d = db.baseAddress!
                    sumDy.withUnsafeMutableBufferPointer { sd in
                        sumDyXhat.withUnsafeMutableBufferPointer { sx in
                            Parallel.forEach(groups, workPerItem: m * 2) { g in
                                var s: Float = 0, t: Float = 0
                                L.forEachRun(g) { off in
                                    s += Reduce.sum(d + off, inner)
                                    if let x { t += x.withUnsafeBufferPointer { Reduce.dotCentered(d + off, $0.baseAddress! + off, inner, mean[g]) } }
                                }
                                sd[g] = s; sx[g] = t * invStd[g]
                            }
                        }
                    }
                    if needX, let x {
                        gx = x.withUnsafeBufferPointer { xb in
                            let xp = xb.baseAddress!
                            return [Float](count: dy.count) { out in
                                Parallel.forEach(groups, workPerItem: m * 2) { g in
                                    let c = L.channel(g)
                                    let k = invStd[g] * (gamma?[c] ?? 1)
                                    if fixedStatistics {
                                        // Statistics are constants: the op is affine in x.
                                        L.forEachRun(g) { off in for i in off..<(off + inner) { out[i] = k * d[i] } }
                                    } else {
                                        let mdy = sumDy[g] / Float(m), mdx = sumDyXhat[g] / Float(m), mu = mean[g], inv = invStd[g]
                                        L.forEachRun(g) { off in
                                            for i in off..<(off + inner) { out[i] = k * (d[i] - mdy - (xp[i] - mu) * inv * mdx) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                func perChannel(_ v: [Float]) -> [Float] {
                    guard L.perPlane else { return v }
                    var r = [Float](repeating: 0, count: channels)
                    for g in 0..<groups { r[g % channels] += v[g] }
                    return r
                }
                var result: [[Float]?] = [gx]
                if scale != nil { result.append(needScale ? perChannel(sumDyXhat) : nil) }
                if shift != nil { result.append(needShift ? perChannel(sumDy) : nil) }
                return result
            }
        }
    }
}
