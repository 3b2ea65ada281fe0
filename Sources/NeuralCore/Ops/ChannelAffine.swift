// Per-channel constant affine maps and clamping, for putting images into a network's input convention inside
// the graph (e.g. VGG's mean subtraction while the pixels themselves are optimised).

extension Tensor {
    /// [N, C, …] → x·scale[c] + shift[c] per channel c (scale, shift: C constants, not differentiated).
    /// Gradient: dy·scale[c].
    public func affineChannels(scale: [Float], shift: [Float]) -> Tensor {
        require(rank >= 2 && scale.count == shape[1] && shift.count == shape[1],
                     "affineChannels: \(shape) needs C = \(rank >= 2 ? shape[1] : 0) scales and shifts, got \(scale.count), \(shift.count)")
        let (outer, channels) = (shape[0], shape[1])
        let inner = count / max(outer * channels, 1)
        func apply(_ src: [Float], withShift: Bool) -> [Float] {
            src.withUnsafeBufferPointer { sb in
                let s = sb.baseAddress!
                return [Float](count: src.count) { out in
                    Parallel.forEach(outer * channels, workPerItem: inner) { g in
                        let c = g % channels, a = scale[c], b = withShift ? shift[c] : 0
                        for i in (g * inner)..<((g + 1) * inner) { out[i] = a * s[i] + b }
                    }
                }
            }
        }
        return Tensor(shape: shape, data: apply(data, withShift: true)).recorded("affineChannels", parents: [self]) { _ in
            { dy in [apply(dy, withShift: false)] }
        }
    }

    /// Each element clamped to [lo, hi]. Gradient: dy where lo < x < hi, zero where clamped.
    public func clamped(min lo: Float, max hi: Float) -> Tensor {
        require(lo <= hi, "clamped: min \(lo) > max \(hi)")
        let y = Elementwise.unary(data) { x, y, n in for i in 0..<n { y[i] = Swift.min(Swift.max(x[i], lo), hi) } }
        let x = data
        return Tensor(shape: shape, data: y).recorded("clamp", parents: [self]) { _ in
            { dy in
                [Elementwise.binary(dy, x) { d, x, g, n in
                    for i in 0..<n { g[i] = (x[i] > lo && x[i] < hi) ? d[i] : 0 }
                }]
            }
        }
    }
}
