// The optimizer interface and plain SGD with momentum and weight decay (PyTorch's torch.optim.SGD update rule).

/// Updates a fixed list of parameters in place from their `.grad`. Parameters whose grad is nil
/// (frozen, or not reached by backward) are left alone.
public protocol Optimizer: AnyObject {
    var learningRate: Float { get set }
    /// Applies one update from the current gradients.
    func step()
    /// Sets every parameter's grad to nil.
    func zeroGrad()
}

/// Stochastic gradient descent: g += weightDecay·p; v = momentum·v + g; p −= learningRate·v.
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float
    private var velocity: [[Float]?]

    public init(parameters: [Tensor], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters; self.learningRate = learningRate
        self.momentum = momentum; self.weightDecay = weightDecay
        velocity = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        for (k, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            let lr = learningRate, mu = momentum, wd = weightDecay
            if mu == 0 {
                p.data.withUnsafeMutableBufferPointer { d in
                    for i in 0..<d.count { d[i] -= lr * (g[i] + wd * d[i]) }
                }
                continue
            }
            var v = velocity[k] ?? [Float](repeating: 0, count: p.count)
            velocity[k] = nil   // keep v uniquely referenced while mutating it
            p.data.withUnsafeMutableBufferPointer { d in
                v.withUnsafeMutableBufferPointer { vb in
                    for i in 0..<d.count {
                        let gi = g[i] + wd * d[i]
                        // Starting from v = 0 gives PyTorch's first buffer, v = g.
                        vb[i] = mu * vb[i] + gi
                        d[i] -= lr * vb[i]
                    }
                }
            }
            velocity[k] = v
        }
    }

    public func zeroGrad() { for p in parameters { p.grad = nil } }
}
