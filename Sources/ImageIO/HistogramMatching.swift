// Per-channel histogram matching: each channel's values are mapped so its cumulative distribution follows
// the reference image's. Used to pre-colour a content image with the style's palette.

extension Image {
    /// This image with each channel's CDF matched to the same channel of `reference` (sizes may differ).
    /// A value at quantile q (ties share their mid-rank quantile) becomes the reference's value at q,
    /// interpolated linearly between sorted reference samples. Both images need the same channel count.
    public func histogramMatched(to reference: Image) -> Image {
        precondition(channels == reference.channels,
                     "histogram matching needs equal channel counts, got \(channels) and \(reference.channels)")
        let n = planeSize
        var out = pixels
        var order = [Int](repeating: 0, count: n)
        for c in 0..<channels {
            let sortedReference = reference.plane(c).sorted()
            pixels.withUnsafeBufferPointer { src in
                let plane = src.baseAddress! + c * n
                for i in 0..<n { order[i] = i }
                order.sort { plane[$0] < plane[$1] }
                out.withUnsafeMutableBufferPointer { dst in
                    var start = 0
                    while start < n {
                        // A run of equal source values maps to one output value.
                        var end = start + 1
                        while end < n && plane[order[end]] == plane[order[start]] { end += 1 }
                        let quantile = (Double(start + end) / 2) / Double(n)   // mid-rank, in (0, 1)
                        let value = Image.sampleQuantile(sortedReference, quantile)
                        for k in start..<end { dst[c * n + order[k]] = value }
                        start = end
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: out)
    }

    /// The value at quantile q of sorted samples, sample k sitting at quantile (k + 0.5) / count.
    static func sampleQuantile(_ sorted: [Float], _ q: Double) -> Float {
        let position = q * Double(sorted.count) - 0.5
        if position <= 0 { return sorted[0] }
        if position >= Double(sorted.count - 1) { return sorted[sorted.count - 1] }
        let k = Int(position), t = Float(position - Double(k))
        return sorted[k] + t * (sorted[k + 1] - sorted[k])
    }
}
