// The optimizer interface and SGD with classical or Nesterov momentum and weight decay (torch.optim.SGD update rule).

/// Updates a fixed list of parameters in place from their `.grad`. Parameters whose grad is nil
/// (frozen, or not reached by backward) are left alone.
public protocol Optimizer: AnyObject {
    var learningRate: Float { get set }
    /// Applies one update from the current gradients.
    func step()
    /// Sets every parameter's grad to nil.
    func zeroGrad()
}

/// Stochastic gradient descent (torch.optim.SGD without dampening): g += weightDecay·p; v = momentum·v + g;
/// p −= learningRate·v, or with Nesterov momentum p −= learningRate·(g + momentum·v).
public final class SGD: StatefulOptimizer {
    /// The tensors updated in place.
    public let parameters: [Tensor]
    public var learningRate: Float
    /// Velocity decay μ (0: plain SGD).
    public var momentum: Float
    /// Nesterov's look-ahead: step along g + μ·v instead of v (no effect without momentum).
    public var nesterov: Bool
    /// L2 penalty coefficient added to the gradient.
    public var weightDecay: Float
    private var velocity: [[Float]?]

    /// SGD over `parameters` (parameters without a grad at `step()` are skipped).
    public init(parameters: [Tensor], learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        self.parameters = parameters; self.learningRate = learningRate
        self.momentum = momentum; self.nesterov = nesterov; self.weightDecay = weightDecay
        velocity = Array(repeating: nil, count: parameters.count)
    }

    /// One update from the parameters' current `.grad`.
    public func step() {
        for (k, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            let lr = learningRate, mu = momentum, wd = weightDecay, lookAhead = nesterov
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
                        d[i] -= lr * (lookAhead ? gi + mu * vb[i] : vb[i])
                    }
                }
            }
            velocity[k] = v
        }
    }

    /// Sets every parameter's grad to nil.
    public func zeroGrad() { for p in parameters { p.grad = nil } }

    /// The velocities as "momentum_buffer.<i>" (zeros before a parameter's first step, which is what a zero buffer
    /// does anyway); nothing without momentum.
    public func stateTensors() -> [String: Tensor] {
        guard momentum != 0 else { return [:] }
        let buffers = parameters.indices.map { velocity[$0] ?? [Float](repeating: 0, count: parameters[$0].count) }
        return SavedState.tensors("momentum_buffer", buffers, parameters: parameters)
    }

    /// Restores velocities written by `stateTensors()`; without momentum there is nothing to restore.
    public func loadState(_ state: [String: Tensor]) throws {
        guard momentum != 0 else { return }
        velocity = try SavedState.buffers("momentum_buffer", state, parameters: parameters, optimizer: "SGD")
    }
}
