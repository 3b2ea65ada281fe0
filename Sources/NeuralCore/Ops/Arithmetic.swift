// Elementwise add / subtract / multiply of same-shape tensors, scaling, and full reductions (sum, mean).
// Primitives of this file: +, *, scale, sum. Subtraction and mean have their own loops only to avoid temporaries.

extension Tensor {
    /// Elementwise sum of same-shape tensors. Gradient: passed unchanged to both.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        require(a.shape == b.shape, "+: shapes \(a.shape) and \(b.shape) differ")
        return Tensor(shape: a.shape, data: Elementwise.add(a.data, b.data)).recorded("add", parents: [a, b]) { _ in
            { dy in [dy, dy] }
        }
    }

    /// Elementwise difference of same-shape tensors. Gradient: dy to a, −dy to b.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        require(a.shape == b.shape, "-: shapes \(a.shape) and \(b.shape) differ")
        return Tensor(shape: a.shape, data: Elementwise.subtract(a.data, b.data)).recorded("sub", parents: [a, b]) { needs in
            { dy in [dy, needs[1] ? Elementwise.scale(dy, -1) : nil] }
        }
    }

    /// Elementwise (Hadamard) product of same-shape tensors. Gradient: dy·b to a, dy·a to b.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        require(a.shape == b.shape, "*: shapes \(a.shape) and \(b.shape) differ")
        return Tensor(shape: a.shape, data: Elementwise.multiply(a.data, b.data)).recorded("mul", parents: [a, b]) { needs in
            let ad = needs[1] ? a.data : nil, bd = needs[0] ? b.data : nil
            return { dy in [bd.map { Elementwise.multiply(dy, $0) }, ad.map { Elementwise.multiply(dy, $0) }] }
        }
    }

    /// Every element times `s`. Gradient: dy·s.
    public static func * (a: Tensor, s: Float) -> Tensor {
        Tensor(shape: a.shape, data: Elementwise.scale(a.data, s)).recorded("scale", parents: [a]) { _ in
            { dy in [Elementwise.scale(dy, s)] }
        }
    }

    /// Every element times `s`.
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }

    /// Every element divided by `s` (= a · (1/s)).
    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }

    /// Negation (= a · −1).
    public static prefix func - (a: Tensor) -> Tensor { a * -1 }

    /// Every element plus the constant `s`. Gradient: passed unchanged.
    public static func + (a: Tensor, s: Float) -> Tensor {
        Tensor(shape: a.shape, data: Elementwise.offset(a.data, s)).recorded("addScalar", parents: [a]) { _ in
            { dy in [dy] }
        }
    }

    /// Sum of all elements, as a scalar (shape `[]`). Gradient: dy broadcast to every element.
    public func sum() -> Tensor {
        let n = count
        let total = data.withUnsafeBufferPointer { Tensor.parallelSum($0.baseAddress, n) }
        return Tensor(shape: [], data: [total]).recorded("sum", parents: [self]) { _ in
            { dy in [[Float](repeating: dy[0], count: n)] }
        }
    }

    /// Mean of all elements, as a scalar (shape `[]`). Gradient: dy/count to every element.
    public func mean() -> Tensor {
        let n = count
        require(n > 0, "mean(): empty tensor of shape \(shape)")
        let total = data.withUnsafeBufferPointer { Tensor.parallelSum($0.baseAddress, n) }
        return Tensor(shape: [], data: [total / Float(n)]).recorded("mean", parents: [self]) { _ in
            { dy in [[Float](repeating: dy[0] / Float(n), count: n)] }
        }
    }

    /// Sum of `n` floats, split across cores when large (partial sums added in a fixed order). The split does not
    /// depend on the thread count, so neither does the rounding of the result.
    static func parallelSum(_ p: UnsafePointer<Float>?, _ n: Int) -> Float {
        guard let p, n > 0 else { return 0 }
        let pieces = min(8, n / (1 << 16))
        if pieces <= 1 { return Reduce.sum(p, n) }
        var partial = [Float](repeating: 0, count: pieces)
        let size = (n + pieces - 1) / pieces
        partial.withUnsafeMutableBufferPointer { pp in
            let out = pp.baseAddress!
            Parallel.run(pieces) { k in
                let lo = k * size, hi = min(n, lo + size)
                out[k] = lo < hi ? Reduce.sum(p + lo, hi - lo) : 0
            }
        }
        return partial.reduce(0, +)
    }
}

import Foundation
