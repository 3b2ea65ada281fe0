// Finite-difference gradient checks for ops: central differences of a fixed random linear functional
// L(x) = Σ f(x)·w, accumulated in Double, compared with the gradient backward() produces.
import NeuralCore

/// Outcome of `checkGradients`: one error per input, measured as
/// max|analytic − numeric| / max(max|numeric|, floor) (so it is relative to the gradient's own scale).
public struct GradientCheck: CustomStringConvertible {
    public var errors: [Float]
    public var tolerance: Float
    public var worst: [(index: Int, analytic: Float, numeric: Float)]
    public var passed: Bool { errors.allSatisfy { $0 <= tolerance } }
    public var description: String {
        zip(errors, worst).enumerated().map { i, e in
            "input \(i): error \(e.0) (tolerance \(tolerance)) worst at \(e.1.index): analytic \(e.1.analytic) numeric \(e.1.numeric)"
        }.joined(separator: "; ")
    }
}

/// Checks the gradient of `f` with respect to every tensor in `inputs` (they get requiresGrad = true).
/// `f` must be deterministic (re-seed any randomness inside it). Float32 forward passes, Double sums.
public func checkGradients(of f: ([Tensor]) -> Tensor, at inputs: [Tensor], epsilon: Float = 1e-2,
                           tolerance: Float = 1e-2, floor: Float = 1e-2, seed: UInt64 = 12345) -> GradientCheck {
    for t in inputs { t.requiresGrad = true; t.grad = nil }
    let y = f(inputs)
    var gen = SeededGenerator(seed: seed)
    let w = (0..<y.count).map { _ in gen.nextFloat(in: -1..<1) }
    (y * Tensor(shape: y.shape, data: w)).sum().backward()

    func functional() -> Double {
        let out = withoutGradients { f(inputs) }
        var s = 0.0
        for i in 0..<out.count { s += Double(out.data[i]) * Double(w[i]) }
        return s
    }

    var errors: [Float] = [], worst: [(index: Int, analytic: Float, numeric: Float)] = []
    for t in inputs {
        let analytic = t.grad ?? [Float](repeating: 0, count: t.count)
        var numeric = [Float](repeating: 0, count: t.count)
        for i in 0..<t.count {
            let saved = t.data[i]
            t.data[i] = saved + epsilon
            let plus = functional()
            t.data[i] = saved - epsilon
            let minus = functional()
            t.data[i] = saved
            numeric[i] = Float((plus - minus) / (2 * Double(epsilon)))
        }
        let scale = max(numeric.map(abs).max() ?? 0, floor)
        var err: Float = 0, at = 0
        for i in 0..<t.count where abs(analytic[i] - numeric[i]) / scale > err {
            err = abs(analytic[i] - numeric[i]) / scale; at = i
        }
        errors.append(err)
        worst.append((at, analytic.isEmpty ? 0 : analytic[at], numeric.isEmpty ? 0 : numeric[at]))
    }
    return GradientCheck(errors: errors, tolerance: tolerance, worst: worst)
}

/// A tensor of seeded values uniform in `range`.
public func randomTensor(_ shape: [Int], seed: UInt64, in range: Range<Float> = -1..<1, requiresGrad: Bool = false) -> Tensor {
    var gen = SeededGenerator(seed: seed)
    return Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in gen.nextFloat(in: range) }, requiresGrad: requiresGrad)
}

/// A tensor of seeded values with magnitudes in [lo, hi) and random sign, so kinks at 0 (ReLU) stay further than ε.
public func randomTensorAwayFromZero(_ shape: [Int], seed: UInt64, lo: Float = 0.1, hi: Float = 1) -> Tensor {
    var gen = SeededGenerator(seed: seed)
    return Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in
        let m = gen.nextFloat(in: lo..<hi)
        return gen.next() & 1 == 0 ? m : -m
    })
}

/// Largest |a[i] − b[i]|.
public func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "maxAbsDifference: \(a.count) vs \(b.count)")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
