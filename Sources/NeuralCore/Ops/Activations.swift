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

    /// Hyperbolic tangent. Gradient: dy·(1 − y²).
    public func tanh() -> Tensor {
        let y = Elementwise.unary(data) { x, y, n in for i in 0..<n { y[i] = Foundation.tanh(x[i]) } }
        return Tensor(shape: shape, data: y).recorded("tanh", parents: [self]) { _ in
            { dy in [Elementwise.binary(dy, y) { d, y, g, n in for i in 0..<n { g[i] = d[i] * (1 - y[i] * y[i]) } }] }
        }
    }
}
