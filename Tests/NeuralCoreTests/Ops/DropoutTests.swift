// Tests for Ops/Dropout.swift.
import Testing
import TestSupport
@testable import NeuralCore

@Suite struct DropoutTests {
    @Test func trainingZeroesAndScalesInferenceIsIdentity() {
        let x = Tensor(repeating: 1, shape: [10_000])
        var gen = SeededGenerator(seed: 1)
        let y = x.dropout(probability: 0.25, mode: .training, generator: &gen)
        let kept = y.data.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 4.0 / 3.0) < 1e-6 })
        // Keep fraction 0.75 ± 0.02 (≈ 4.6 standard deviations for n = 10 000).
        #expect(abs(Float(kept.count) / 10_000 - 0.75) < 0.02)
        #expect(x.dropout(probability: 0.25, mode: .inference, generator: &gen) === x)
    }

    // ε = 1e-2, relative error ≤ 1e-2; the same seed inside f reproduces the mask.
    @Test func gradients() {
        let r = checkGradients(of: { t in
            var gen = SeededGenerator(seed: 9)
            return t[0].dropout(probability: 0.4, mode: .training, generator: &gen)
        }, at: [randomTensor([1, 3, 5, 7], seed: 121)], tolerance: 1e-2)
        #expect(r.passed, "\(r)")
    }
}
