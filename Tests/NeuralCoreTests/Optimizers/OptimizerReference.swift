// Shared by the optimiser tests: a small quadratic, and torch.optim's update rules transcribed from the PyTorch
// documentation's pseudo-code into Double, one weight at a time. They are written independently of the Float
// implementations (no shared code, no buffers, no parallel chunks) so that a trajectory agreeing with them checks the
// formula, not a copy of it.
import Foundation
@testable import NeuralCore

/// f(p) = ½ Σ aᵢ (pᵢ − cᵢ)²: curvatures 1, 4 and 0.25 so that the adaptive rules' per-weight scaling matters.
enum Quadratic {
    static let a: [Double] = [1, 4, 0.25], c: [Double] = [0.5, -1, 2], start: [Double] = [1.5, 1, -1]

    static func gradient(_ p: [Double]) -> [Double] { p.indices.map { a[$0] * (p[$0] - c[$0]) } }
    static func gradient(_ p: [Float]) -> [Float] { p.indices.map { Float(a[$0]) * (p[$0] - Float(c[$0])) } }

    /// The Float parameter after each of `steps` steps of `optimizer` (built over the one tensor it is given).
    static func trajectory(steps: Int, _ make: (Tensor) -> Optimizer) -> [[Float]] {
        let p = Tensor(shape: [3], data: start.map(Float.init), requiresGrad: true)
        let optimizer = make(p)
        return (0..<steps).map { _ in
            p.grad = gradient(p.data)
            optimizer.step()
            return p.data
        }
    }

    /// The Double parameter after each of `steps` steps of a reference rule.
    static func reference(steps: Int, _ rule: inout some ReferenceRule) -> [[Double]] {
        var p = start
        return (0..<steps).map { _ in rule.step(&p, gradient(p)); return p }
    }

    /// Whether every weight of `p` is nearer its minimum than it started (the run went somewhere).
    static func approachedTheMinimum(_ p: [Float]) -> Bool {
        p.indices.allSatisfy { abs(Double(p[$0]) - c[$0]) < abs(start[$0] - c[$0]) }
    }

    /// Largest |Float − Double| over all steps and weights.
    static func largestDifference(_ x: [[Float]], _ y: [[Double]]) -> Double {
        zip(x, y).flatMap { zip($0, $1).map { abs(Double($0) - $1) } }.max() ?? .infinity
    }
}

protocol ReferenceRule { mutating func step(_ p: inout [Double], _ g: [Double]) }

/// torch.optim.SGD, dampening 0: g ← g + λp; b ← g at t = 1, else μb + g; g ← g + μb (Nesterov) or b; p ← p − γg.
struct ReferenceSGD: ReferenceRule {
    var lr: Double, momentum: Double, nesterov: Bool, weightDecay: Double
    var buffer = [Double](repeating: 0, count: 3), t = 0
    mutating func step(_ p: inout [Double], _ grad: [Double]) {
        t += 1
        for i in p.indices {
            var g = grad[i] + weightDecay * p[i]
            if momentum != 0 {
                buffer[i] = t == 1 ? g : momentum * buffer[i] + g
                g = nesterov ? g + momentum * buffer[i] : buffer[i]
            }
            p[i] -= lr * g
        }
    }
}

/// torch.optim.Adagrad: g ← g + λp; γ̃ = γ / (1 + (t − 1)η); s ← s + g²; p ← p − γ̃ g / (√s + ε), s₀ = initial value.
struct ReferenceAdaGrad: ReferenceRule {
    var lr: Double, lrDecay: Double, weightDecay: Double, epsilon: Double
    var sum: [Double], t = 0
    init(lr: Double, lrDecay: Double = 0, weightDecay: Double = 0, initialAccumulator: Double = 0, epsilon: Double = 1e-10) {
        self.lr = lr; self.lrDecay = lrDecay; self.weightDecay = weightDecay; self.epsilon = epsilon
        sum = [Double](repeating: initialAccumulator, count: 3)
    }
    mutating func step(_ p: inout [Double], _ grad: [Double]) {
        t += 1
        let rate = lr / (1 + Double(t - 1) * lrDecay)
        for i in p.indices {
            let g = grad[i] + weightDecay * p[i]
            sum[i] += g * g
            p[i] -= rate * g / (sum[i].squareRoot() + epsilon)
        }
    }
}

/// torch.optim.RMSprop: g ← g + λp; v ← αv + (1 − α)g²; ṽ = v − (g_ave)² with g_ave ← αg_ave + (1 − α)g when
/// centred, else ṽ = v; with μ > 0: b ← μb + g/(√ṽ + ε), p ← p − γb; else p ← p − γg/(√ṽ + ε).
struct ReferenceRMSProp: ReferenceRule {
    var lr: Double, alpha: Double, epsilon: Double, weightDecay: Double, momentum: Double, centered: Bool
    var square = [Double](repeating: 0, count: 3), mean = [Double](repeating: 0, count: 3), buffer = [Double](repeating: 0, count: 3)
    mutating func step(_ p: inout [Double], _ grad: [Double]) {
        for i in p.indices {
            let g = grad[i] + weightDecay * p[i]
            square[i] = alpha * square[i] + (1 - alpha) * g * g
            var v = square[i]
            if centered {
                mean[i] = alpha * mean[i] + (1 - alpha) * g
                v -= mean[i] * mean[i]
            }
            let denominator = v.squareRoot() + epsilon
            if momentum > 0 {
                buffer[i] = momentum * buffer[i] + g / denominator
                p[i] -= lr * buffer[i]
            } else {
                p[i] -= lr * g / denominator
            }
        }
    }
}

/// Steps `optimizer` over `p` with gradients g(s) = p·(s + 1)/4 − 0.3 for the step indices `steps` (gradients
/// that change from step to step, so every buffer matters).
func runVaryingGradients(_ steps: Range<Int>, _ optimizer: Optimizer, _ p: Tensor) {
    for s in steps {
        p.grad = p.data.map { $0 * Float(s + 1) / 4 - 0.3 }
        optimizer.step()
    }
}
