// AdaGrad (Duchi, Hazan & Singer 2011) with torch.optim.Adagrad's update rule and defaults: every weight's step is
// the learning rate divided by the root of the sum of all its squared gradients so far, so weights with large or
// frequent gradients slow down and rarely-updated ones keep moving.

/// AdaGrad: g += weightDecay·p; s += g²; p −= lr′·g / (√s + ε), with lr′ = lr / (1 + (t − 1)·learningRateDecay)
/// at step t (1-based).
public final class AdaGrad: StatefulOptimizer {
    /// torch.optim.Adagrad's defaults.
    public static let defaultLearningRate: Float = 0.01, defaultEpsilon: Float = 1e-10
    /// The tensors updated in place.
    public let parameters: [Tensor]
    public var learningRate: Float
    /// Shrinks the rate as 1 / (1 + (t − 1)·decay) (0: constant, PyTorch's default).
    public var learningRateDecay: Float
    /// Denominator guard and L2 penalty coefficient added to the gradient.
    public var epsilon: Float, weightDecay: Float
    /// Number of steps taken so far (drives `learningRateDecay`). PyTorch counts per parameter; one count is the same
    /// whenever every parameter gets a gradient at every step.
    public private(set) var stepCount = 0
    /// Σ g² per weight, starting at the initial accumulator value.
    private var sums: [[Float]]

    /// AdaGrad over `parameters` with every sum starting at `initialAccumulator` (parameters without a grad at
    /// `step()` are skipped).
    public init(parameters: [Tensor], learningRate: Float = AdaGrad.defaultLearningRate, learningRateDecay: Float = 0,
                weightDecay: Float = 0, initialAccumulator: Float = 0, epsilon: Float = AdaGrad.defaultEpsilon) {
        self.parameters = parameters; self.learningRate = learningRate; self.learningRateDecay = learningRateDecay
        self.weightDecay = weightDecay; self.epsilon = epsilon
        sums = parameters.map { [Float](repeating: initialAccumulator, count: $0.count) }
    }

    /// One update from the parameters' current `.grad`; increments `stepCount`.
    public func step() {
        stepCount += 1
        let rate = learningRate / (1 + Float(stepCount - 1) * learningRateDecay), eps = epsilon, wd = weightDecay
        for (k, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            p.data.withUnsafeMutableBufferPointer { d in
                sums[k].withUnsafeMutableBufferPointer { s in
                    g.withUnsafeBufferPointer { gb in
                        let dp = d.baseAddress!, sp = s.baseAddress!, gp = gb.baseAddress!
                        Parallel.chunks(d.count, grain: 1 << 16) { r in
                            AdaGrad.update(r, d: dp, sum: sp, g: gp, rate: rate, wd: wd, eps: eps)
                        }
                    }
                }
            }
        }
    }

    /// The update on elements `r` (element-wise, so the result does not depend on how the range is split).
    @inline(__always)
    static func update(_ r: Range<Int>, d: UnsafeMutablePointer<Float>, sum: UnsafeMutablePointer<Float>,
                       g: UnsafePointer<Float>, rate: Float, wd: Float, eps: Float) {
        for i in r {
            let gi = g[i] + wd * d[i]
            sum[i] += gi * gi
            // (rate·g)/std: the order of PyTorch's addcdiv.
            d[i] -= rate * gi / (sum[i].squareRoot() + eps)
        }
    }

    /// Sets every parameter's grad to nil.
    public func zeroGrad() { for p in parameters { p.grad = nil } }

    /// State as "step" (scalar) and "sum.<i>" for parameter i (same shape as it).
    public func stateTensors() -> [String: Tensor] {
        SavedState.tensors("sum", sums, parameters: parameters).merging(["step": Tensor(scalar: Float(stepCount))]) { $1 }
    }

    /// Restores state written by `stateTensors()`; on error nothing changes.
    public func loadState(_ state: [String: Tensor]) throws {
        let step = try SavedState.stepCount(state, optimizer: "AdaGrad")
        sums = try SavedState.buffers("sum", state, parameters: parameters, optimizer: "AdaGrad")
        stepCount = step
    }
}
