// Tests for Ops/Activations.swift: hand-checked values and finite-difference gradients away from kinks.
import Testing
import Foundation
import TestSupport
@testable import NeuralCore

@Suite struct ActivationsTests {
    @Test func forward() {
        let x = Tensor(shape: [4], data: [-2, -0.5, 0, 3])
        #expect(x.relu().data == [0, 0, 0, 3])
        #expect(x.leakyRelu(slope: 0.1).data == [-0.2, -0.05, 0, 3])
        #expect(abs(x.sigmoid().data[2] - 0.5) < 1e-7)
        #expect(abs(x.sigmoid().data[3] - Float(1 / (1 + exp(-3.0)))) < 1e-6)
        #expect(abs(x.tanh().data[0] - Float(tanh(-2.0))) < 1e-6)
        // Large inputs must not overflow.
        #expect(Tensor(shape: [2], data: [-200, 200]).sigmoid().data == [0, 1])
    }

    /// The rational tanh against Foundation's (Double) over [−12, 12] in steps of 1e-3, plus ±0, tiny values and
    /// ±1e6: absolute error ≤ 3e-7 (2.5 Float ulps at ±1; the worst seen is 2.8e-7), odd, exactly ±1 far out, and lengths that are not multiples of 8.
    @Test func fastTanhMatchesFoundation() {
        var xs = stride(from: -12.0, through: 12.0, by: 1e-3).map(Float.init)
        xs += [0, -0, 1e-5, -3e-4, 1e6, -1e6]
        let y = Tensor(shape: [xs.count], data: xs).tanh().data
        var worst: Double = 0
        for (x, v) in zip(xs, y) { worst = max(worst, abs(Double(v) - tanh(Double(x)))) }
        #expect(worst <= 3e-7, "max |Δ| \(worst)")
        #expect(Tensor(shape: [3], data: [1e6, -1e6, 0]).tanh().data == [1, -1, 0])
        let odd = Tensor(shape: [5], data: [0.3, -0.3, 2.5, -2.5, 0.0001]).tanh().data
        #expect(odd[0] == -odd[1] && odd[2] == -odd[3] && odd[4] == 0.0001)
    }

    // ε = 1e-2 on inputs with |x| ≥ 0.1 (so ReLU's kink is never crossed), relative error ≤ 1e-2.
    @Test(arguments: ["relu", "leaky", "leakyNegative", "sigmoid", "tanh"])
    func gradients(op: String) {
        let x = randomTensorAwayFromZero([1, 3, 5, 7], seed: 11, lo: 0.1, hi: 2)
        let r = checkGradients(of: { t in
            switch op {
            case "relu": return t[0].relu()
            case "leaky": return t[0].leakyRelu(slope: 0.2)
            case "leakyNegative": return t[0].leakyRelu(slope: -0.3)
            case "sigmoid": return t[0].sigmoid()
            default: return t[0].tanh()
            }
        }, at: [x], epsilon: 1e-2, tolerance: 1e-2)
        #expect(r.passed, "\(r)")
    }
}

@Suite struct ActivationsMemoryTests {
    /// Writing to x forces a copy of its storage only if something else (a pullback) still holds it.
    func inputIsKeptAlive(by op: (Tensor) -> Tensor) -> Bool {
        let x = randomTensor([1, 2, 4, 4], seed: 3, requiresGrad: true)
        let y = op(x)
        let before = x.data.withUnsafeBufferPointer { $0.baseAddress }
        x.data[0] += 1
        let after = x.data.withUnsafeBufferPointer { $0.baseAddress }
        withExtendedLifetime(y) {}
        return before != after
    }

    @Test func pullbacksKeepOnlyTheOutput() {
        #expect(!inputIsKeptAlive { $0.relu() })
        #expect(!inputIsKeptAlive { $0.leakyRelu(slope: 0.2) })
        #expect(!inputIsKeptAlive { $0.sigmoid() })
        #expect(!inputIsKeptAlive { $0.tanh() })
        #expect(!inputIsKeptAlive { $0.maxPool2d(size: 2, stride: 2) })
        #expect(inputIsKeptAlive { $0.totalVariation() })   // control: TV needs its input, so the check can fail
    }
}
