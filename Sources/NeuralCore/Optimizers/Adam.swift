// Adam (Kingma & Ba 2015) with bias correction and L2 weight decay added to the gradient (torch.optim.Adam),
// plus export/import of its moment buffers so a training run can resume from a checkpoint.
import Foundation

/// Adam: m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr · m̂ / (√v̂ + ε) with m̂, v̂ bias-corrected.
public final class Adam: StatefulOptimizer {
    /// torch.optim.Adam's denominator guard ε.
    public static let defaultEpsilon: Float = 1e-8
    /// The tensors updated in place.
    public let parameters: [Tensor]
    public var learningRate: Float
    /// Moment decay rates, denominator guard, and L2 penalty coefficient (torch.optim.Adam's meanings).
    public var beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    /// Number of steps taken so far (drives bias correction).
    public var stepCount: Int = 0
    private var m: [[Float]], v: [[Float]]

    /// Adam over `parameters` with zeroed moments (parameters without a grad at `step()` are skipped).
    public init(parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = Adam.defaultEpsilon, weightDecay: Float = 0) {
        self.parameters = parameters; self.learningRate = learningRate
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.weightDecay = weightDecay
        m = parameters.map { [Float](repeating: 0, count: $0.count) }
        v = m
    }

    /// One update from the parameters' current `.grad`; increments `stepCount`.
    public func step() {
        stepCount += 1
        let b1 = beta1, b2 = beta2, eps = epsilon, wd = weightDecay
        let c1 = 1 - Float(Foundation.pow(Double(b1), Double(stepCount)))
        let c2 = 1 - Float(Foundation.pow(Double(b2), Double(stepCount)))
        let stepSize = learningRate / c1, rootC2 = c2.squareRoot()
        for (k, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            p.data.withUnsafeMutableBufferPointer { d in
                m[k].withUnsafeMutableBufferPointer { mb in
                    v[k].withUnsafeMutableBufferPointer { vb in
                        g.withUnsafeBufferPointer { gb in
                            let dp = d.baseAddress!, mp = mb.baseAddress!, vp = vb.baseAddress!, gp = gb.baseAddress!
                            Parallel.chunks(d.count, grain: 1 << 16) { r in
                                Adam.update(r, d: dp, m: mp, v: vp, g: gp, b1: b1, b2: b2, wd: wd, eps: eps,
                                            stepSize: stepSize, rootC2: rootC2)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The update on elements `r`, eight lanes at a time. Same operations in the same order as the scalar tail
    /// (IEEE sqrt and division are exact per lane), so results do not depend on where a chunk starts.
    @inline(__always)
    static func update(_ r: Range<Int>, d: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>,
                       v: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, b1: Float, b2: Float, wd: Float,
                       eps: Float, stepSize: Float, rootC2: Float) {
        typealias V8 = SIMD8<Float>
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> V8 { UnsafeRawPointer(p).loadUnaligned(as: V8.self) }
        @inline(__always) func store(_ x: V8, _ p: UnsafeMutablePointer<Float>) {
            UnsafeMutableRawPointer(p).storeBytes(of: x, as: V8.self)
        }
        let b1v = V8(repeating: b1), b2v = V8(repeating: b2), a1 = V8(repeating: 1 - b1), a2 = V8(repeating: 1 - b2)
        let wdv = V8(repeating: wd), epsv = V8(repeating: eps), sv = V8(repeating: stepSize), rv = V8(repeating: rootC2)
        var i = r.lowerBound
        while i + 8 <= r.upperBound {
            let di = load(d + i), gi = load(g + i) + wdv * di
            let mi = b1v * load(m + i) + a1 * gi
            let vi = b2v * load(v + i) + a2 * gi * gi
            store(mi, m + i); store(vi, v + i)
            store(di - sv * mi / (vi.squareRoot() / rv + epsv), d + i)
            i += 8
        }
        while i < r.upperBound {
            let gi = g[i] + wd * d[i]
            m[i] = b1 * m[i] + (1 - b1) * gi
            v[i] = b2 * v[i] + (1 - b2) * gi * gi
            d[i] -= stepSize * m[i] / (v[i].squareRoot() / rootC2 + eps)
            i += 1
        }
    }

    /// Sets every parameter's grad to nil.
    public func zeroGrad() { for p in parameters { p.grad = nil } }

    /// State as named tensors: "step" (scalar), "m.<i>" and "v.<i>" for parameter i (same shape as it).
    public func stateTensors() -> [String: Tensor] {
        var s: [String: Tensor] = ["step": Tensor(scalar: Float(stepCount))]
        for (i, p) in parameters.enumerated() {
            s["m.\(i)"] = Tensor(shape: p.shape, data: m[i])
            s["v.\(i)"] = Tensor(shape: p.shape, data: v[i])
        }
        return s
    }

    /// Restores state written by `stateTensors()`. Throws if a key is missing or a shape differs; on error nothing changes.
    public func loadState(_ s: [String: Tensor]) throws {
        // The step becomes an Int: it must be a finite whole number in range (Int(inf) would trap, or worse under -Ounchecked).
        guard let step = s["step"], step.count == 1, step.item() >= 0, step.item() < 1e12, step.item() == step.item().rounded() else {
            throw OptimizerStateError(problem: "missing or invalid Adam step count")
        }
        var newM: [[Float]] = [], newV: [[Float]] = []
        for (i, p) in parameters.enumerated() {
            for (key, into) in [("m.\(i)", 0), ("v.\(i)", 1)] {
                guard let t = s[key] else { throw OptimizerStateError(problem: "missing Adam tensor \(key)") }
                guard t.count == p.count else {
                    throw OptimizerStateError(problem: "Adam tensor \(key) has shape \(t.shape), expected \(p.shape)")
                }
                if into == 0 { newM.append(t.data) } else { newV.append(t.data) }
            }
        }
        if s.keys.contains("m.\(parameters.count)") {
            throw OptimizerStateError(problem: "state has more parameters than the \(parameters.count) being optimised")
        }
        m = newM; v = newV; stepCount = Int(step.item())
    }
}
