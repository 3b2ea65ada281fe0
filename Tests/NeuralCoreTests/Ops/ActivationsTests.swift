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
