// Pointwise activations: ReLU, leaky ReLU, sigmoid, tanh. Each pullback needs only the op's output,
// so the input can be freed as soon as nothing else holds it.
import Foundation

extension Tensor {
    /// max(x, 0). Gradient: dy where the output is > 0, zero elsewhere (x == 0 included).
    public func relu() -> Tensor {
        let y = Elementwise.unary(data) { x, y, n in for i in 0..<n { y[i] = x[i] > 0 ? x[i] : 0 } }
        return Tensor(shape: shape, data: y).recorded("relu", parents: [self]) { _ in
            { dy in [Elementwise.gate(dy, by: y, slope: 0)] }
        }
    }

    /// x for x > 0, slope·x otherwise. Gradient: dy or slope·dy (slope at x == 0).
    public func leakyRelu(slope: Float) -> Tensor {
        let y = Elementwise.gate(data, by: data, slope: slope)
        // With a positive slope the output's sign equals the input's, so the output suffices for the mask.
        let key = slope > 0 ? y : data
        return Tensor(shape: shape, data: y).recorded("leakyRelu", parents: [self]) { _ in
            { dy in [Elementwise.gate(dy, by: key, slope: slope)] }
        }
    }

    /// 1 / (1 + e^−x). Gradient: dy·y·(1 − y).
    public func sigmoid() -> Tensor {
        // Two branches so exp never overflows.
        let y = Elementwise.unary(data) { x, y, n in
            for i in 0..<n {
                let v = x[i]
                if v >= 0 { y[i] = 1 / (1 + Foundation.exp(-v)) } else { let e = Foundation.exp(v); y[i] = e / (1 + e) }
            }
        }
        return Tensor(shape: shape, data: y).recorded("sigmoid", parents: [self]) { _ in
            { dy in [Elementwise.binary(dy, y) { d, y, g, n in for i in 0..<n { g[i] = d[i] * y[i] * (1 - y[i]) } }] }
        }
    }

    /// Hyperbolic tangent (`FastTanh`, within 3e-7 of Foundation's, 2.5 Float ulps at ±1). Gradient: dy·(1 − y²).
    public func tanh() -> Tensor {
        let y = Elementwise.unary(data) { x, y, n in FastTanh.apply(x, y, n) }
        return Tensor(shape: shape, data: y).recorded("tanh", parents: [self]) { _ in
            { dy in [Elementwise.binary(dy, y) { d, y, g, n in for i in 0..<n { g[i] = d[i] * (1 - y[i] * y[i]) } }] }
        }
    }
}

/// tanh as a clamped odd rational function, eight lanes at a time: libm's tanhf (through expm1f) was 7 % of a
/// 1024×768 stylize call, for the output stage alone. The form is the classic minimax fit on [−9, 9] (numerator of
/// degree 13, denominator of degree 6 in x; the coefficients Eigen's fast tanh also uses); beyond ±7.905 tanh rounds
/// to ±1 in Float. Tested against Foundation's tanh to 3e-7 absolute over [−12, 12].
enum FastTanh {
    static let clamp: Float = 7.90531110763549805
    static let a: [Float] = [4.89352455891786e-03, 6.37261928875436e-04, 1.48572235717979e-05, 5.12229709037114e-08,
                             -8.60467152213735e-11, 2.00018790482477e-13, -2.76076847742355e-16]
    static let b: [Float] = [4.89352518554385e-03, 2.26843463243900e-03, 1.18534705686654e-04, 1.19825839466702e-06]

    @inline(__always)
    static func value(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let c = x.clamped(lowerBound: SIMD8(repeating: -clamp), upperBound: SIMD8(repeating: clamp))
        let x2 = c * c
        var p = SIMD8<Float>(repeating: a[6])
        for i in stride(from: 5, through: 0, by: -1) { p = p * x2 + SIMD8(repeating: a[i]) }
        var q = SIMD8<Float>(repeating: b[3])
        for i in stride(from: 2, through: 0, by: -1) { q = q * x2 + SIMD8(repeating: b[i]) }
        // Near 0 the ratio loses relative precision; tanh(x) = x to Float precision there.
        return (c * p / q).replacing(with: x, where: (x .< 0.0004) .& (x .> -0.0004))
    }

    static func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 8 <= n {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: value(v), as: SIMD8<Float>.self)
            i += 8
        }
        if i < n {
            var v = SIMD8<Float>(repeating: 0)
            for j in i..<n { v[j - i] = x[j] }
            let r = value(v)
            for j in i..<n { y[j] = r[j - i] }
        }
    }
}
