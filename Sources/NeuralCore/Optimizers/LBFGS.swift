// Limited-memory BFGS (Nocedal 1980) over a flat Float vector, following torch.optim.LBFGS step for step:
// two-loop recursion with H0 = s·y / y·y, first step scaled by min(1, 1/‖g‖₁)·lr, and either no line search
// (fixed step lr, torch's default) or torch's strong-Wolfe search (cubic interpolation + zoom, in LBFGSLineSearch.swift).

/// How L-BFGS picks the step length along its search direction.
public enum LineSearch: Sendable, Equatable {
    /// torch's `line_search_fn="strong_wolfe"`: c1 = 1e-4, c2 = 0.9, at most 25 evaluations per search.
    case strongWolfe
    /// torch's default: step lr (the first step min(1, 1/‖g‖₁)·lr), one evaluation per iteration.
    case none
}

/// L-BFGS minimiser. Vectors are Float; dot products and step scalars are accumulated in Double.
public struct LBFGS: Sendable {
    /// Number of (s, y) curvature pairs kept (torch's history_size).
    public var historySize: Int
    /// Step length scale (torch's lr).
    public var learningRate: Float
    public var lineSearch: LineSearch
    /// Stop when max|g| ≤ toleranceGrad.
    public var toleranceGrad: Float
    /// Stop when the step, or the change in loss, falls below this.
    public var toleranceChange: Float

    /// Defaults match torch.optim.LBFGS except history (100) and line search (strong Wolfe; pass `.none` for torch's default).
    public init(historySize: Int = 100, learningRate: Float = 1, lineSearch: LineSearch = .strongWolfe,
                toleranceGrad: Float = 1e-9, toleranceChange: Float = 1e-12) {
        require(historySize >= 1 && learningRate > 0, "LBFGS: historySize ≥ 1 and learningRate > 0 required")
        self.historySize = historySize; self.learningRate = learningRate; self.lineSearch = lineSearch
        self.toleranceGrad = toleranceGrad; self.toleranceChange = toleranceChange
    }

    /// Minimises `evaluate` starting from `x` (updated in place); `evaluate` returns f(x) and writes ∇f(x) into
    /// `grad` (already sized, contents unspecified). `onIteration` is called after every evaluation with the
    /// 1-based evaluation count and its loss.
    ///
    /// `maxEvaluations` bounds the calls to `evaluate`:
    /// - `.none`: it is torch's `max_iter`. As in torch, that many steps are taken and the last step is not
    ///   evaluated, so `x` ends one step past the last evaluated point (evaluations == maxEvaluations).
    /// - `.strongWolfe`: a hard cap; each line search is limited to min(25, evaluations left).
    /// Returns the last evaluated loss and the number of evaluations.
    public func minimize(_ x: inout [Float], maxEvaluations: Int, evaluate: (_ x: [Float], _ grad: inout [Float]) -> Float,
                         onIteration: ((_ evaluation: Int, _ loss: Float) -> Void)? = nil) -> (loss: Float, evaluations: Int) {
        withoutActuallyEscaping(evaluate) { evaluate in
            run(&x, maxEvaluations: maxEvaluations, evaluate: evaluate, onIteration: onIteration)
        }
    }

    private func run(_ x: inout [Float], maxEvaluations: Int, evaluate: @escaping (_ x: [Float], _ grad: inout [Float]) -> Float,
                     onIteration: ((_ evaluation: Int, _ loss: Float) -> Void)?) -> (loss: Float, evaluations: Int) {
        let n = x.count
        var evaluations = 0
        var evaluator = Evaluator(count: n) { point, grad in
            let f = evaluate(point, &grad)
            evaluations += 1
            onIteration?(evaluations, f)
            return f
        }
        guard maxEvaluations > 0 else { return (.nan, 0) }
        var (loss, grad) = evaluator.at(x)
        if Vector.maxAbs(grad) <= Double(toleranceGrad) { return (loss, evaluations) }

        var d = [Float](), t: Double = 0
        var prevGrad = [Float](), prevLoss: Float = 0
        var dirs: [[Float]] = [], steps: [[Float]] = [], ro: [Double] = []
        var hDiag: Double = 1
        var iteration = 0
        while true {
            iteration += 1
            if iteration == 1 {
                d = grad.map { -$0 }
                hDiag = 1
            } else {
                let y = Vector.difference(grad, prevGrad)
                let s = Vector.scaled(d, t)
                let ys = Vector.dot(y, s)
                if ys > 1e-10 {   // keep the curvature pair only if it is positive (H stays positive definite)
                    if dirs.count == historySize { dirs.removeFirst(); steps.removeFirst(); ro.removeFirst() }
                    dirs.append(y); steps.append(s); ro.append(1 / ys)
                    hDiag = ys / Vector.dot(y, y)
                }
                d = twoLoop(grad: grad, dirs: dirs, steps: steps, ro: ro, hDiag: hDiag)
            }
            prevGrad = grad; prevLoss = loss
            t = iteration == 1 ? min(1, 1 / Vector.sumAbs(grad)) * Double(learningRate) : Double(learningRate)
            let gtd = Vector.dot(grad, d)
            if gtd > -Double(toleranceChange) { break }   // not a descent direction any more

            switch lineSearch {
            case .strongWolfe:
                let left = maxEvaluations - evaluations
                if left <= 0 { return (loss, evaluations) }
                let result = StrongWolfe.search(evaluator: &evaluator, x: x, t: t, d: d, f: loss, g: grad, gtd: gtd,
                                                maxEvaluations: min(25, left))
                loss = result.f; grad = result.g; t = result.t
                Vector.addScaled(&x, d, t)
            case .none:
                Vector.addScaled(&x, d, t)
                if iteration == maxEvaluations { return (loss, evaluations) }   // torch: the last step is not evaluated
                (loss, grad) = evaluator.at(x)
            }
            // In `.none` mode the iteration count alone bounds the run (torch's max_eval = 1.25·max_iter never binds).
            if lineSearch == .strongWolfe && evaluations >= maxEvaluations { break }
            if Vector.maxAbs(grad) <= Double(toleranceGrad) { break }
            if Vector.maxAbs(d) * abs(t) <= Double(toleranceChange) { break }
            if abs(Double(loss) - Double(prevLoss)) < Double(toleranceChange) { break }
        }
        return (loss, evaluations)
    }

    /// Two-loop recursion: d = −H·g with H built from the (s, y) pairs over H0 = hDiag·I.
    private func twoLoop(grad: [Float], dirs: [[Float]], steps: [[Float]], ro: [Double], hDiag: Double) -> [Float] {
        var q = grad.map { -$0 }
        var alpha = [Double](repeating: 0, count: dirs.count)
        for i in stride(from: dirs.count - 1, through: 0, by: -1) {
            alpha[i] = Vector.dot(steps[i], q) * ro[i]
            Vector.addScaled(&q, dirs[i], -alpha[i])
        }
        var r = Vector.scaled(q, hDiag)
        for i in 0..<dirs.count {
            let beta = Vector.dot(dirs[i], r) * ro[i]
            Vector.addScaled(&r, steps[i], alpha[i] - beta)
        }
        return r
    }
}

/// Evaluates f and ∇f at a point, reusing one gradient buffer.
struct Evaluator {
    let count: Int
    let body: (_ x: [Float], _ grad: inout [Float]) -> Float
    init(count: Int, _ body: @escaping (_ x: [Float], _ grad: inout [Float]) -> Float) { self.count = count; self.body = body }
    mutating func at(_ x: [Float]) -> (Float, [Float]) {
        var g = [Float](repeating: 0, count: count)
        let f = body(x, &g)
        return (f, g)
    }
}

/// Flat-vector helpers for the optimisers (Double accumulation).
enum Vector {
    static func dot(_ a: [Float], _ b: [Float]) -> Double {
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                var s = 0.0, i = 0
                let n = ap.count
                // Blocks of 256 in Float (vectorised), accumulated in Double.
                while i < n {
                    let m = min(256, n - i)
                    s += Double(Reduce.dot(ap.baseAddress! + i, bp.baseAddress! + i, m))
                    i += m
                }
                return s
            }
        }
    }
    static func maxAbs(_ a: [Float]) -> Double { Double(a.reduce(Float(0)) { max($0, abs($1)) }) }
    static func sumAbs(_ a: [Float]) -> Double { a.reduce(0.0) { $0 + Double(abs($1)) } }
    static func difference(_ a: [Float], _ b: [Float]) -> [Float] { Elementwise.subtract(a, b) }
    static func scaled(_ a: [Float], _ s: Double) -> [Float] { let f = Float(s); return Elementwise.scale(a, f) }
    static func addScaled(_ x: inout [Float], _ d: [Float], _ s: Double) {
        let f = Float(s)
        x.withUnsafeMutableBufferPointer { xp in
            d.withUnsafeBufferPointer { dp in for i in 0..<xp.count { xp[i] += f * dp[i] } }
        }
    }
}
