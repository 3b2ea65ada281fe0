// Tests for Ops/Softmax.swift.
import Testing
import Foundation
import TestSupport
@testable import NeuralCore

@Suite struct SoftmaxTests {
    @Test func forwardHandChecked() {
        let y = Tensor(shape: [1, 3], data: [0, log(2), log(5)]).softmax()
        // e^x = 1, 2, 5 → 1/8, 2/8, 5/8; tolerance 1e-6.
        #expect(maxAbsDifference(y.data, [0.125, 0.25, 0.625]) < 1e-6)
        // Stable for huge logits.
        let big = Tensor(shape: [1, 2], data: [1000, 1000]).softmax()
        #expect(big.data == [0.5, 0.5])
    }

    @Test func crossEntropyHandChecked() {
        // Logits [0, log 3] with label 1: p = 3/4, loss = −log(3/4). Second row label 0 with equal logits: log 2.
        let l = Tensor(shape: [2, 2], data: [0, log(3), 7, 7]).softmaxCrossEntropy(labels: [1, 0])
        #expect(abs(l.item() - Float((-log(0.75) + log(2.0)) / 2)) < 1e-6)
        // Stable: logits 1e4 apart give loss 1e4 for the wrong label, not inf/nan.
        let far = Tensor(shape: [1, 2], data: [10_000, 0]).softmaxCrossEntropy(labels: [1])
        #expect(abs(far.item() - 10_000) < 1e-2)
    }

    // ε = 1e-2, relative error ≤ 1e-2. The random linear functional matters: Σ softmax is constant.
    @Test func gradients() {
        let x = randomTensor([3, 5], seed: 71, in: -2..<2)
        let s = checkGradients(of: { $0[0].softmax() }, at: [x], tolerance: 1e-2)
        #expect(s.passed, "\(s)")
        let c = checkGradients(of: { $0[0].softmaxCrossEntropy(labels: [4, 0, 2]) }, at: [x], tolerance: 1e-2)
        #expect(c.passed, "\(c)")
    }
}
