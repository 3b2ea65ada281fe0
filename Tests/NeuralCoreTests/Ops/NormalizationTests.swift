// Tests for Ops/Normalization.swift: instance norm and batch norm (training and inference).
import Testing
import TestSupport
@testable import NeuralCore

@Suite struct NormalizationTests {
    @Test func instanceNormHandChecked() {
        // Plane [1, 3]: mean 2, biased variance 1 → [−1, 1] (up to ε = 1e-5); scale 2, shift 1 → [−1, 3].
        let x = Tensor(shape: [1, 1, 1, 2], data: [1, 3])
        let y = x.instanceNorm(scale: Tensor(shape: [1], data: [2]), shift: Tensor(shape: [1], data: [1]))
        #expect(maxAbsDifference(y.data, [-1, 3]) < 1e-4)
        #expect(maxAbsDifference(x.instanceNorm(scale: nil, shift: nil).data, [-1, 1]) < 1e-4)
    }

    @Test func batchNormTrainingUpdatesStatsAndInferenceUsesThem() {
        // Channel 0 values over N = 2: [1, 3] → mean 2, unbiased variance 2.
        let x = Tensor(shape: [2, 1], data: [1, 3])
        let stats = BatchNormStats(channels: 1)
        let one = Tensor(shape: [1], data: [1]), zero = Tensor(shape: [1], data: [0])
        let y = x.batchNorm(scale: one, shift: zero, stats: stats, mode: .training, momentum: 0.5)
        #expect(maxAbsDifference(y.data, [-1, 1]) < 1e-4)
        #expect(stats.mean == [1] && stats.variance == [1.5])   // 0.5·0 + 0.5·2, 0.5·1 + 0.5·2
        let z = Tensor(shape: [1, 1], data: [2.5]).batchNorm(scale: one, shift: zero, stats: stats, mode: .inference)
        #expect(abs(z.data[0] - 1.5 / Float(1.5 + 1e-5).squareRoot()) < 1e-5)
    }

    // ε = 1e-2, relative error ≤ 2e-2 (normalisation divides by σ, which amplifies Float32 noise).
    @Test(arguments: [true, false])
    func instanceNormGradients(affine: Bool) {
        let x = randomTensor([2, 3, 5, 7], seed: 101, in: -2..<2)
        let s = randomTensor([3], seed: 102, in: 0.5..<1.5), b = randomTensor([3], seed: 103)
        let r = checkGradients(of: { t in t[0].instanceNorm(scale: affine ? t[1] : nil, shift: affine ? t[2] : nil) },
                               at: affine ? [x, s, b] : [x], epsilon: 1e-2, tolerance: 2e-2)
        #expect(r.passed, "\(r)")
    }

    @Test(arguments: [[4, 3], [2, 3, 5, 7]])
    func batchNormGradients(shape: [Int]) {
        let x = randomTensor(shape, seed: 111, in: -2..<2)
        let s = randomTensor([3], seed: 112, in: 0.5..<1.5), b = randomTensor([3], seed: 113)
        for mode in [Mode.training, .inference] {
            let stats = BatchNormStats(channels: 3)
            stats.mean = [0.1, -0.2, 0.3]; stats.variance = [0.5, 1.5, 2]
            let r = checkGradients(of: { t in
                // Fresh stats copy per call so the training update doesn't drift between evaluations.
                let st = BatchNormStats(channels: 3); st.mean = stats.mean; st.variance = stats.variance
                return t[0].batchNorm(scale: t[1], shift: t[2], stats: st, mode: mode)
            }, at: [x, s, b], epsilon: 1e-2, tolerance: 2e-2)
            #expect(r.passed, "\(mode) \(shape): \(r)")
        }
    }
}
