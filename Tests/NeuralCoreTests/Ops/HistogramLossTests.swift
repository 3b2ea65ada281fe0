// Tests for Ops/HistogramLoss.swift.
import Testing
import TestSupport
@testable import NeuralCore

@Suite struct HistogramLossTests {
    // Values 3, 1, 2, 0 sorted are 0, 1, 2, 3; with as many quantiles as values each rank reads its own entry:
    // (0−0)² + (1−10)² + (2−20)² + (3−30)² = 1134, mean 283.5.
    @Test func forwardHandChecked() {
        let x = Tensor(shape: [1, 1, 1, 4], data: [3, 1, 2, 0])
        #expect(x.histogramLoss(quantiles: Tensor(shape: [1, 4], data: [0, 10, 20, 30])).item() == 283.5)
        // Two quantiles for four values: ranks at 1/8, 3/8, 5/8, 7/8 of the table read 0, 2.5, 7.5, 10 (clamped ends).
        #expect(x.histogramLoss(quantiles: Tensor(shape: [1, 2], data: [0, 10])).item() == (0 + 2.25 + 30.25 + 49) / 4)
    }

    @Test func aSampleMatchingItsOwnQuantilesCostsNothing() {
        let x = randomTensor([1, 3, 6, 5], seed: 3)
        #expect(x.histogramLoss(quantiles: x.channelQuantiles(30)).item() < 1e-10)
    }

    // Values well apart (a shuffled ramp with small noise), so ±ε never swaps two ranks; ε = 1e-2, relative error ≤ 1e-2.
    @Test func gradients() {
        var gen = SeededGenerator(seed: 7)
        let ramp = (0..<(2 * 3 * 4 * 5)).map { Float($0) * 0.1 }.shuffled(using: &gen).map { $0 + gen.nextFloat(in: 0..<0.02) }
        let x = Tensor(shape: [2, 3, 4, 5], data: ramp)
        let target = randomTensor([3, 7], seed: 9)
        let sortedTarget = Tensor(shape: [3, 7], data: (0..<3).flatMap { Array(target.data[($0 * 7)..<($0 * 7 + 7)]).sorted() })
        let check = checkGradients(of: { $0[0].histogramLoss(quantiles: sortedTarget) }, at: [x], tolerance: 1e-2)
        #expect(check.passed, "\(check)")
    }

    // Mean TV is the TV sum over the element count: 18 (LossesTests' hand-checked 2×2 case) / 4.
    @Test func meanTotalVariation() {
        let a = Tensor(shape: [1, 1, 2, 2], data: [1, 2, 3, 5])
        #expect(a.meanTotalVariation().item() == 4.5)
        let check = checkGradients(of: { $0[0].meanTotalVariation() }, at: [randomTensor([2, 3, 5, 7], seed: 93)], tolerance: 1e-2)
        #expect(check.passed, "\(check)")
    }
}
