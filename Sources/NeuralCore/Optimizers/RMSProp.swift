// RMSProp (Tieleman & Hinton 2012) with torch.optim.RMSprop's update rule and defaults: like AdaGrad, each weight's
// step is divided by the root of its squared gradients, but by a moving average of them rather than their sum, so the
// step size does not shrink for ever. Optionally centred (divide by an estimate of the gradient's variance instead)
// and with momentum.

/// RMSProp: g += weightDecay·p; s = α·s + (1−α)·g²; with `centered`, m = m + (1−α)·(g − m) and a = √(s − m²) + ε,
/// else a = √s + ε; then p −= lr·g/a, or with momentum μ > 0: b = μ·b + g/a; p −= lr·b.
public final class RMSProp: StatefulOptimizer {
    /// torch.optim.RMSprop's defaults.
    public static let defaultLearningRate: Float = 0.01, defaultAlpha: Float = 0.99, defaultEpsilon: Float = 1e-8
    /// The tensors updated in place.
    public let parameters: [Tensor]
    public var learningRate: Float
    /// Smoothing constant α of the moving averages, denominator guard ε, and L2 penalty coefficient.
    public var alpha: Float, epsilon: Float, weightDecay: Float
    /// Momentum μ of the buffered step (0: none, PyTorch's default). Fixed, because it decides which buffers exist.
    public let momentum: Float
    /// Whether the gradient's running mean is subtracted (the variance, not the raw second moment, scales the step).
    public let centered: Bool
    /// Number of steps taken so far (not used by the rule; kept so a checkpoint says how far the run got).
    public private(set) var stepCount = 0
    /// Moving averages of g² and (centred only) of g, and (momentum only) the momentum buffers.
    private var squareAverage: [[Float]], gradientAverage: [[Float]], momentumBuffer: [[Float]]

    /// RMSProp over `parameters` with zeroed averages (parameters without a grad at `step()` are skipped).
    public init(parameters: [Tensor], learningRate: Float = RMSProp.defaultLearningRate, alpha: Float = RMSProp.defaultAlpha,
                epsilon: Float = RMSProp.defaultEpsilon, weightDecay: Float = 0, momentum: Float = 0, centered: Bool = false) {
        self.parameters = parameters; self.learningRate = learningRate; self.alpha = alpha; self.epsilon = epsilon
        self.weightDecay = weightDecay; self.momentum = momentum; self.centered = centered
        let zeros = parameters.map { [Float](repeating: 0, count: $0.count) }
        squareAverage = zeros
        gradientAverage = centered ? zeros : []
        momentumBuffer = momentum > 0 ? zeros : []
    }

    /// One update from the parameters' current `.grad`; increments `stepCount`.
    public func step() {
        stepCount += 1
        let settings = Settings(rate: learningRate, alpha: alpha, eps: epsilon, wd: weightDecay, mu: momentum)
        for (k, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            // Unused buffers are not allocated; a one-element dummy stands in so the pointers below exist.
            var mean = centered ? gradientAverage[k] : [0], buffer = momentum > 0 ? momentumBuffer[k] : [0]
            if centered { gradientAverage[k] = [] }   // keep the copies uniquely referenced while mutating them
            if momentum > 0 { momentumBuffer[k] = [] }
            p.data.withUnsafeMutableBufferPointer { d in
                squareAverage[k].withUnsafeMutableBufferPointer { s in
                    mean.withUnsafeMutableBufferPointer { m in
                        buffer.withUnsafeMutableBufferPointer { b in
                            g.withUnsafeBufferPointer { gb in
                                let pointers = Pointers(d: d.baseAddress!, square: s.baseAddress!,
                                                        mean: centered ? m.baseAddress! : nil,
                                                        buffer: momentum > 0 ? b.baseAddress! : nil, g: gb.baseAddress!)
                                Parallel.chunks(d.count, grain: 1 << 16) { r in RMSProp.update(r, pointers, settings) }
                            }
                        }
                    }
                }
            }
            if centered { gradientAverage[k] = mean }
            if momentum > 0 { momentumBuffer[k] = buffer }
        }
    }

    struct Settings { var rate: Float, alpha: Float, eps: Float, wd: Float, mu: Float }
    /// Element 0 of each buffer; `mean` is nil unless centred, `buffer` nil without momentum.
    struct Pointers {
        var d: UnsafeMutablePointer<Float>, square: UnsafeMutablePointer<Float>
        var mean: UnsafeMutablePointer<Float>?, buffer: UnsafeMutablePointer<Float>?
        var g: UnsafePointer<Float>
    }

    /// The update on elements `r`, with PyTorch's operations in PyTorch's order (element-wise, so the result does not
    /// depend on how the range is split).
    @inline(__always)
    static func update(_ r: Range<Int>, _ p: Pointers, _ c: Settings) {
        let d = p.d, s = p.square, g = p.g
        for i in r {
            let gi = g[i] + c.wd * d[i]
            s[i] = c.alpha * s[i] + (1 - c.alpha) * gi * gi
            var variance = s[i]
            if let m = p.mean {
                m[i] += (1 - c.alpha) * (gi - m[i])   // torch's lerp
                // s ≥ m² holds exactly; rounding can put the difference a hair below zero, where √ would give NaN.
                variance = max(0, s[i] - m[i] * m[i])
            }
            let a = variance.squareRoot() + c.eps
            if let b = p.buffer {
                b[i] = c.mu * b[i] + gi / a
                d[i] -= c.rate * b[i]
            } else {
                d[i] -= c.rate * gi / a
            }
        }
    }

    /// Sets every parameter's grad to nil.
    public func zeroGrad() { for p in parameters { p.grad = nil } }

    /// State as "step" (scalar) and, per parameter i (same shape as it), "square_avg.<i>", plus "grad_avg.<i>" when
    /// centred and "momentum_buffer.<i>" with momentum (PyTorch's names).
    public func stateTensors() -> [String: Tensor] {
        var out = SavedState.tensors("square_avg", squareAverage, parameters: parameters)
        if centered { out.merge(SavedState.tensors("grad_avg", gradientAverage, parameters: parameters)) { $1 } }
        if momentum > 0 { out.merge(SavedState.tensors("momentum_buffer", momentumBuffer, parameters: parameters)) { $1 } }
        out["step"] = Tensor(scalar: Float(stepCount))
        return out
    }

    /// Restores state written by `stateTensors()` of an RMSProp with the same `centered` and momentum; on error
    /// nothing changes.
    public func loadState(_ state: [String: Tensor]) throws {
        let step = try SavedState.stepCount(state, optimizer: "RMSProp")
        let square = try SavedState.buffers("square_avg", state, parameters: parameters, optimizer: "RMSProp")
        let mean = centered ? try SavedState.buffers("grad_avg", state, parameters: parameters, optimizer: "RMSProp") : []
        let buffer = momentum > 0 ? try SavedState.buffers("momentum_buffer", state, parameters: parameters, optimizer: "RMSProp") : []
        squareAverage = square; gradientAverage = mean; momentumBuffer = buffer; stepCount = step
    }
}
