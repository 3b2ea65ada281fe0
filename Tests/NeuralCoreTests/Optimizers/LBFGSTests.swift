// Tests for Optimizers/LBFGS.swift and LBFGSLineSearch.swift: convergence on Rosenbrock in both modes, and
// agreement with torch.optim.LBFGS(history_size=100, lr=1) trajectories. The reference numbers were produced once
// with PyTorch 2.13 (float32); PyTorch is not needed to run the tests.
import Testing
@testable import NeuralCore

/// f(x, y) = (1 − x)² + 100·(y − x²)², minimum 0 at (1, 1).
func rosenbrock(_ p: [Float], _ g: inout [Float]) -> Float {
    let (x, y) = (p[0], p[1])
    g[0] = -2 * (1 - x) - 400 * x * (y - x * x)
    g[1] = 200 * (y - x * x)
    return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
}

/// f(x) = Σ (i+1)·(x_i − 1)² + 0.1·(Σ x_i²)², a smooth non-quadratic bowl.
func quartic(_ x: [Float], _ g: inout [Float]) -> Float {
    let r = x.reduce(0) { $0 + $1 * $1 }
    var f = 0.1 * r * r
    for i in 0..<x.count {
        f += Float(i + 1) * (x[i] - 1) * (x[i] - 1)
        g[i] = 2 * Float(i + 1) * (x[i] - 1) + 0.4 * r * x[i]
    }
    return f
}

func relativelyClose(_ a: [Float], _ b: [Float], _ tol: Float) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol * max(1, abs($1)) }
}

@Suite struct LBFGSTests {
    // Converges to (1, 1) within 1e-3 from torch's usual start; torch needs 48 (strong Wolfe) and 81 (none) evaluations.
    @Test(arguments: [LineSearch.strongWolfe, .none])
    func rosenbrockConverges(mode: LineSearch) {
        var x: [Float] = [-1.5, 2]
        let r = LBFGS(lineSearch: mode).minimize(&x, maxEvaluations: 200, evaluate: rosenbrock)
        #expect(abs(x[0] - 1) < 1e-3 && abs(x[1] - 1) < 1e-3, "\(mode): x = \(x), loss \(r.loss)")
        #expect(r.evaluations <= 200)
    }

    // torch: LBFGS([x], lr=1, history_size=100, max_iter=12), no line search. Tolerance 1e-3 relative.
    @Test func noLineSearchMatchesTorchOnRosenbrock() {
        var x: [Float] = [-1.5, 2]
        var losses: [Float] = []
        let r = LBFGS(historySize: 100, learningRate: 1, lineSearch: .none)
            .minimize(&x, maxEvaluations: 12, evaluate: rosenbrock) { _, l in losses.append(l) }
        let torchLosses: [Float] = [12.5, 288.8241, 13.92647, 29.51633, 6.028011, 5.832367, 5.826406, 5.824547,
                                    5.800598, 5.757113, 5.645446, 5.490296]
        #expect(r.evaluations == 12)
        #expect(relativelyClose(losses, torchLosses, 1e-3), "\(losses)")
        // As in torch, the 12th step is taken but not evaluated.
        #expect(relativelyClose(x, [-1.218244, 1.427351], 1e-3), "\(x)")
    }

    @Test func noLineSearchMatchesTorchOnQuartic() {
        var x: [Float] = [0.5, -1, 2, 0, -0.5]
        var losses: [Float] = []
        _ = LBFGS(lineSearch: .none).minimize(&x, maxEvaluations: 12, evaluate: quartic) { _, l in losses.append(l) }
        let torchLosses: [Float] = [29.525, 19.12444, 2.876458, 1.549234, 1.498457, 1.497952, 1.497823, 1.49782]
        #expect(relativelyClose(Array(losses.prefix(8)), torchLosses, 1e-4), "\(losses)")
        #expect(relativelyClose(x, [0.6122524, 0.7594994, 0.8256943, 0.8633119, 0.8875768], 1e-4), "\(x)")
    }

    // torch: same with line_search_fn="strong_wolfe" (max_eval = 15). Tolerance 1e-3 relative.
    @Test func strongWolfeMatchesTorchOnRosenbrock() {
        var x: [Float] = [-1.5, 2]
        var losses: [Float] = []
        _ = LBFGS(lineSearch: .strongWolfe).minimize(&x, maxEvaluations: 15, evaluate: rosenbrock) { _, l in losses.append(l) }
        let torchLosses: [Float] = [12.5, 288.8241, 5.87581, 5.863574, 5.861853, 5.851902, 5.831167, 5.774169,
                                    5.660744, 5.494981, 5.205006, 4.546851, 3.866972, 6.671731, 3.590749]
        #expect(relativelyClose(losses, torchLosses, 1e-3), "\(losses)")
        #expect(relativelyClose(x, [-0.8258578, 0.6313466], 1e-3), "\(x)")
    }

    @Test func strongWolfeNeverExceedsBudget() {
        for budget in [1, 2, 3, 7, 20] {
            var x: [Float] = [-1.5, 2]
            var calls = 0
            let r = LBFGS().minimize(&x, maxEvaluations: budget) { p, g in calls += 1; return rosenbrock(p, &g) }
            #expect(calls <= budget && r.evaluations == calls, "budget \(budget): \(calls) calls")
        }
    }

    @Test func cubicInterpolationFindsCubicMinimum() {
        // f(t) = (t − 1)² sampled at 0 and 3: a quadratic, whose minimiser 1 the cubic fit recovers exactly.
        let t = StrongWolfe.cubicInterpolate(0, 1, -2, 3, 4, 4)
        #expect(abs(t - 1) < 1e-12)
    }
}
