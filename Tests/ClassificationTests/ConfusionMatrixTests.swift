// Tests for ConfusionMatrix.swift and the augmentation in Augmentation.swift.
import NeuralCore
import Testing
@testable import Classification

@Suite struct ConfusionMatrixTests {
    @Test func precisionRecallAndAccuracyByHand() {
        // truth:      0 0 0 1 1 2
        // predicted:  0 0 1 1 2 2
        let m = ConfusionMatrix(labels: [0, 0, 0, 1, 1, 2], predictions: [0, 0, 1, 1, 2, 2], classNames: ["a", "b", "c"])
        #expect(m[0, 0] == 2 && m[0, 1] == 1 && m[1, 2] == 1)
        #expect(abs(m.accuracy - 4.0 / 6) < 1e-6)
        #expect(m.precision(1) == 0.5 && m.recall(0)! == 2.0 / 3)
        #expect(m.precision(2) == 0.5 && m.recall(2) == 1)
        let text = m.report()
        #expect(text.contains("66.7%") && text.contains("confusion matrix"))
    }

    @Test func emptyClassesHaveNoPrecisionOrRecall() {
        let m = ConfusionMatrix(labels: [0, 0], predictions: [0, 0], classNames: ["a", "b"])
        #expect(m.precision(1) == nil && m.recall(1) == nil && m.accuracy == 1)
    }

    @Test func augmentationFlipsAndShiftsWithZeroFill() {
        // One 1×2×3 sample; find a seed whose draw flips with a known shift by trying the transform on a copy.
        let original: [Float] = [1, 2, 3, 4, 5, 6]
        var sawChange = false
        for seed in 0..<20 as Range<UInt64> {
            var generator = SeededGenerator(seed: seed)
            var batch = original, scratch = [Float](repeating: 0, count: 6)
            batch.withUnsafeMutableBufferPointer { b in
                scratch.withUnsafeMutableBufferPointer { s in
                    Augmentation.apply(to: b.baseAddress!, scratch: s.baseAddress!, n: 1, channels: 1, height: 2, width: 3,
                                       maxShift: 1, generator: &generator)
                }
            }
            // Every output value is 0 or one of the inputs, and the multiset of non-zero values is a subset of the input.
            #expect(batch.allSatisfy { $0 == 0 || original.contains($0) })
            if batch != original { sawChange = true }
        }
        #expect(sawChange)
    }

    @Test func splitIsSeededDisjointAndComplete() {
        let d = LabeledDataset(sampleShape: [1], values: (0..<100).map(Float.init), labels: (0..<100).map { $0 % 2 },
                               classNames: ["even", "odd"])
        let (a, b) = d.split(validationFraction: 0.2, seed: 7)
        let (c, _) = d.split(validationFraction: 0.2, seed: 7)
        #expect(a.count == 80 && b.count == 20 && a.values == c.values)
        #expect(Set(a.values + b.values).count == 100)
        #expect(zip(a.values, a.labels).allSatisfy { Int($0) % 2 == $1 })
    }
}
