// Softmax over the last axis, and the fused softmax + cross-entropy loss (log-sum-exp with the max subtracted,
// so large logits neither overflow nor lose precision).
import Foundation

extension Tensor {
    /// Softmax over the last axis (rows of length shape.last). Gradient: y·(dy − Σ dy·y) per row.
    public func softmax() -> Tensor {
        require(rank >= 1 && shape.last! > 0, "softmax: needs a non-empty last axis, got \(shape)")
        let k = shape.last!, rows = count / k
        let y = data.withUnsafeBufferPointer { xb in
            let x = xb.baseAddress!
            return [Float](count: count) { out in
                Parallel.forEach(rows, workPerItem: k * 8) { r in Tensor.softmaxRow(x + r * k, out + r * k, k) }
            }
        }
        return Tensor(shape: shape, data: y).recorded("softmax", parents: [self]) { _ in
            { dy in
                [Elementwise.rowwise(dy, y, rows: rows, k: k) { d, yr, g in
                    let s = Reduce.dot(d, yr, k)
                    for j in 0..<k { g[j] = yr[j] * (d[j] - s) }
                }]
            }
        }
    }

    /// One row of a stable softmax: subtract the max before exponentiating.
    static func softmaxRow(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ k: Int) {
        var m = x[0]
        for j in 1..<max(k, 1) where x[j] > m { m = x[j] }
        var s: Float = 0
        for j in 0..<k { let e = Foundation.exp(x[j] - m); out[j] = e; s += e }
        let inv = 1 / s
        for j in 0..<k { out[j] *= inv }
    }

    /// Logits [N, K] and labels (N values in 0..<K) → scalar mean over N of −log softmax(logits)[label].
    /// Gradient: (softmax − onehot(label)) / N.
    public func softmaxCrossEntropy(labels: [Int]) -> Tensor {
        require(rank == 2 && labels.count == shape[0], "softmaxCrossEntropy: logits \(shape) need one label per row, got \(labels.count)")
        let (n, k) = (shape[0], shape[1])
        require(labels.allSatisfy { (0..<k).contains($0) }, "softmaxCrossEntropy: labels must be in 0..<\(k)")
        var probs = [Float](repeating: 0, count: n * k)
        var loss = 0.0
        data.withUnsafeBufferPointer { xb in
            probs.withUnsafeMutableBufferPointer { pb in
                let x = xb.baseAddress!, p = pb.baseAddress!
                for r in 0..<n {
                    let row = x + r * k
                    var m = row[0]
                    for j in 1..<k where row[j] > m { m = row[j] }
                    var s: Double = 0
                    for j in 0..<k { let e = Foundation.exp(row[j] - m); p[r * k + j] = e; s += Double(e) }
                    let inv = Float(1 / s)
                    for j in 0..<k { p[r * k + j] *= inv }
                    // −log p[label] = log Σ exp(x − m) − (x[label] − m), computed without taking log of a tiny p.
                    loss += Foundation.log(s) - Double(row[labels[r]] - m)
                }
            }
        }
        return Tensor(shape: [], data: [Float(loss / Double(n))]).recorded("softmaxCrossEntropy", parents: [self]) { _ in
            { dy in
                var g = probs
                let scale = dy[0] / Float(n)
                for r in 0..<n { g[r * k + labels[r]] -= 1 }
                for i in 0..<g.count { g[i] *= scale }
                return [g]
            }
        }
    }
}

extension Elementwise {
    /// For each row r of two [rows, k] buffers, calls body(a_r, b_r, out_r).
    static func rowwise(_ a: [Float], _ b: [Float], rows: Int, k: Int,
                        _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                let ap = ab.baseAddress!, bp = bb.baseAddress!
                return [Float](count: rows * k) { out in
                    Parallel.forEach(rows, workPerItem: k * 4) { r in body(ap + r * k, bp + r * k, out + r * k) }
                }
            }
        }
    }
}

extension Tensor {
    /// Index of the largest value in each row of the last axis (first one on ties); not differentiable.
    /// [N, K] → N indices (predicted classes).
    public func argmaxLastAxis() -> [Int] {
        require(rank >= 1 && shape.last! > 0, "argmaxLastAxis: needs a non-empty last axis, got \(shape)")
        let k = shape.last!
        return (0..<(count / k)).map { r in
            var best = 0
            for j in 1..<k where data[r * k + j] > data[r * k + best] { best = j }
            return best
        }
    }
}
