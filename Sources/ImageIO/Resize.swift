// Separable high-quality resize. Each axis is resampled on its own: exact box-filter integration (area
// averaging) when it shrinks, Keys cubic convolution (a = -0.5) when it grows, a copy when unchanged.
import Foundation

/// Per-output-sample taps along one axis: output i reads `counts[i]` inputs from `starts[i]`, with weights
/// `weights[offsets[i] ..< offsets[i] + counts[i]]` that sum to 1.
struct AxisWeights {
    var starts: [Int] = [], counts: [Int] = [], offsets: [Int] = [], weights: [Float] = []

    init(from source: Int, to target: Int) {
        precondition(source > 0 && target > 0, "resize sizes must be positive, got \(source) -> \(target)")
        for i in 0..<target {
            let taps: (start: Int, weights: [Double])
            if target < source {
                taps = AxisWeights.area(i, source: source, target: target)
            } else if target > source {
                taps = AxisWeights.cubic(i, source: source, target: target)
            } else {
                taps = (i, [1])
            }
            starts.append(taps.start)
            counts.append(taps.weights.count)
            offsets.append(weights.count)
            let sum = taps.weights.reduce(0, +)
            weights += taps.weights.map { Float($0 / sum) }
        }
    }

    /// Output i covers source interval [i*s, (i+1)*s) with s = source/target; each source pixel weighs by
    /// its overlap with that interval (exact box integration, also for non-integer ratios).
    static func area(_ i: Int, source: Int, target: Int) -> (start: Int, weights: [Double]) {
        // Work in units of 1/target so the interval ends are exact integers: [i*source, (i+1)*source).
        let lo = i * source, hi = (i + 1) * source
        let first = lo / target, last = (hi - 1) / target
        let weights = (first...last).map { j -> Double in
            Double(min(hi, (j + 1) * target) - max(lo, j * target))
        }
        return (first, weights)
    }

    /// Keys cubic around the source position of output i's centre, edge samples repeated.
    static func cubic(_ i: Int, source: Int, target: Int) -> (start: Int, weights: [Double]) {
        let x = (Double(i) + 0.5) * Double(source) / Double(target) - 0.5
        let base = Int(x.rounded(.down))
        let first = max(0, base - 1), last = min(source - 1, base + 2)
        var weights = [Double](repeating: 0, count: last - first + 1)
        for j in (base - 1)...(base + 2) {
            weights[min(last, max(first, j)) - first] += keys(x - Double(j))
        }
        return (first, weights)
    }

    /// Keys (1981) cubic convolution kernel with a = -0.5: 1 at 0, 0 at other integers, support (-2, 2).
    static func keys(_ t: Double) -> Double {
        let a = -0.5, t = abs(t)
        if t <= 1 { return ((a + 2) * t - (a + 3)) * t * t + 1 }
        if t < 2 { return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a }
        return 0
    }
}

extension Image {
    /// This image resampled to `width` x `height` pixels (see the file header for the filters).
    /// Cubic enlargement may overshoot 0...1 slightly near sharp edges; values are not clamped.
    public func resized(width newWidth: Int, height newHeight: Int) -> Image {
        precondition(newWidth > 0 && newHeight > 0, "resize target must be positive, got \(newWidth)x\(newHeight)")
        if newWidth == width && newHeight == height { return self }
        let horizontal = AxisWeights(from: width, to: newWidth)
        let vertical = AxisWeights(from: height, to: newHeight)
        let rows = Image.resampleRows(pixels, rows: channels * height, width: width, newWidth: newWidth, horizontal)
        let out = Image.resampleColumns(rows, channels: channels, height: height, width: newWidth,
                                        newHeight: newHeight, vertical)
        return Image(width: newWidth, height: newHeight, channels: channels, pixels: out)
    }

    /// This image scaled so its longer side is `longestSide` pixels, aspect ratio kept (shorter side rounded,
    /// at least 1).
    public func resized(longestSide: Int) -> Image {
        precondition(longestSide > 0, "longestSide must be positive, got \(longestSide)")
        let scale = Double(longestSide) / Double(max(width, height))
        let w = width >= height ? longestSide : max(1, Int((Double(width) * scale).rounded()))
        let h = height > width ? longestSide : max(1, Int((Double(height) * scale).rounded()))
        return resized(width: w, height: h)
    }

    /// Horizontal pass: each of `rows` rows of `width` becomes a row of `newWidth`.
    static func resampleRows(_ input: [Float], rows: Int, width: Int, newWidth: Int, _ axis: AxisWeights) -> [Float] {
        if width == newWidth { return input }
        var out = [Float](repeating: 0, count: rows * newWidth)
        input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                axis.starts.withUnsafeBufferPointer { starts in
                    axis.counts.withUnsafeBufferPointer { counts in
                        axis.offsets.withUnsafeBufferPointer { offsets in
                            axis.weights.withUnsafeBufferPointer { weights in
                                let dst = dst  // captured by value: the closure below runs concurrently
                                parallelChunks(rows, work: rows * newWidth) { range in
                                    for r in range {
                                        let row = src.baseAddress! + r * width
                                        for x in 0..<newWidth {
                                            let taps = row + starts[x], w = weights.baseAddress! + offsets[x]
                                            var sum: Float = 0
                                            for k in 0..<counts[x] { sum += w[k] * taps[k] }
                                            dst[r * newWidth + x] = sum
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Vertical pass: each output row is a weighted sum of whole input rows (contiguous, vectorisable).
    static func resampleColumns(_ input: [Float], channels: Int, height: Int, width: Int, newHeight: Int,
                                _ axis: AxisWeights) -> [Float] {
        if height == newHeight { return input }
        var out = [Float](repeating: 0, count: channels * newHeight * width)
        input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let dst = dst
                parallelChunks(channels * newHeight, work: channels * newHeight * width) { range in
                    for r in range {
                        let (c, y) = r.quotientAndRemainder(dividingBy: newHeight)
                        let target = dst.baseAddress! + r * width
                        let plane = src.baseAddress! + c * height * width
                        for k in 0..<axis.counts[y] {
                            let w = axis.weights[axis.offsets[y] + k]
                            let row = plane + (axis.starts[y] + k) * width
                            for x in 0..<width { target[x] += w * row[x] }
                        }
                    }
                }
            }
        }
        return out
    }
}
