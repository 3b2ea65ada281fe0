// Pointwise activations: ReLU, leaky ReLU, sigmoid, tanh. Each pullback needs only the op's output,
// so the input can be freed as soon as nothing else holds it.
import Foundation

extension Tensor {
    /// max(x, 0). Gradient: dy where the output is > 0, zero elsewhere (x == 0 included).
    public func relu() -> Tensor {
        let y = Elementwise.map(data) { $0 > 0 ? $0 : 0 }
        return Tensor(shape: shape, data: y).recorded("relu", parents: [self]) { _ in
            { dy in [Elementwise.zip(dy, y) { $1 > 0 ? $0 : 0 }] }
        }
    }

    /// x for x > 0, slope·x otherwise. Gradient: dy or slope·dy (slope at x == 0).
    public func leakyRelu(slope: Float) -> Tensor {
        let y = Elementwise.map(data) { $0 > 0 ? $0 : slope * $0 }
        // With a positive slope the output's sign equals the input's, so the output suffices for the mask.
        let key = slope > 0 ? y : data
        return Tensor(shape: shape, data: y).recorded("leakyRelu", parents: [self]) { _ in
            { dy in [Elementwise.zip(dy, key) { $1 > 0 ? $0 : slope * $0 }] }
        }
    }

    /// 1 / (1 + e^−x). Gradient: dy·y·(1 − y).
    public func sigmoid() -> Tensor {
        // Two branches so exp never overflows.
        let y = Elementwise.map(data) { x in
            if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
            let e = Foundation.exp(x)
            return e / (1 + e)
        }
        return Tensor(shape: shape, data: y).recorded("sigmoid", parents: [self]) { _ in
            { dy in [Elementwise.zip(dy, y) { $0 * $1 * (1 - $1) }] }
        }
    }

    /// Hyperbolic tangent. Gradient: dy·(1 − y²).
    public func tanh() -> Tensor {
        let y = Elementwise.map(data) { Foundation.tanh($0) }
        return Tensor(shape: shape, data: y).recorded("tanh", parents: [self]) { _ in
            { dy in [Elementwise.zip(dy, y) { $0 * (1 - $1 * $1) }] }
        }
    }
}
