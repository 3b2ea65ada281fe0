// Tests for OptimizerComparison.swift: the stretch means of the loss curve, and the five rules end to end on a tiny
// synthetic data set (figure size, table rows, identical starting points).
import Foundation
import ImageIO
import Networks
import NeuralCore
import Testing
@testable import Classification

@Suite struct OptimizerComparisonTests {
    @Test func lossCurveRecoversTheMeanOfEachStretch() {
        // 10 samples in batches of 2 (5 batches), losses 1…5 per batch; two stretches end at batches 3 (rounded 2.5)
        // and 5: means (1+2+3)/3 = 2 and (4+5)/2 = 4.5. Tolerance 1e-6.
        var curve = LossCurve(samples: 10, batchSize: 2, points: 2)
        var sum = 0.0
        for batch in 1...5 {
            sum += Double(batch) * 2
            curve.add(epoch: 2, batch: batch, batches: 5, runningMean: Float(sum / Double(batch * 2)))
        }
        #expect(curve.points.count == 2)
        #expect(abs(curve.points[0].epoch - 1.6) < 1e-9 && abs(curve.points[0].loss - 2) < 1e-6)
        #expect(abs(curve.points[1].epoch - 2) < 1e-9 && abs(curve.points[1].loss - 4.5) < 1e-6)
    }

    @Test func lectureRulesAreTheFiveAtTheirUsualRates() {
        var base = TrainingConfig()
        base.epochs = 2; base.seed = 7
        let rules = OptimizerComparison.lectureRules(base: base)
        #expect(rules.map(\.name) == ["sgd", "momentum", "adagrad", "rmsprop", "adam"])
        #expect(rules.map(\.training.learningRate) == [0.01, 0.01, 0.01, 0.001, 0.001])
        #expect(rules[0].training.momentum == 0 && rules[1].training.momentum == 0.9)
        #expect(rules.allSatisfy { $0.training.epochs == 2 && $0.training.seed == 7 })
    }

    @Test func fiveRulesTrainTheSameNetworkAndAreDrawnAndTabulated() throws {
        // 120 random 8×8 images in 3 classes told apart by brightness.
        var generator = SeededGenerator(seed: 5)
        var values: [Float] = [], labels: [Int] = []
        for i in 0..<120 {
            labels.append(i % 3)
            values += (0..<64).map { _ in min(1, Float(i % 3) * 0.3 + generator.nextFloat(in: 0..<0.4)) }
        }
        let data = LabeledDataset(sampleShape: [1, 8, 8], values: values, labels: labels, classNames: ["a", "b", "c"])
        var base = TrainingConfig()
        base.epochs = 2; base.batchSize = 8; base.validationSplit = 0.25
        let network = FashionCNNConfig(architecture: .seeds, classes: 3, side: 8, hidden: 16)
        var started: [String] = [], firstLosses: [Float] = []
        let runs = try OptimizerComparison.run(
            OptimizerComparison.lectureRules(base: base), data: data, test: data.prefix(30), lossPoints: 4,
            metadata: ModelMetadata(fashion: network, labels: data.classNames),
            build: { try FashionCNN(config: network, weights: WeightStore(seed: 3)) }) { name, event in
            if case .batch(1, 1, _, let loss, _) = event { started.append(name); firstLosses.append(loss) }
        }
        #expect(started == ["sgd", "momentum", "adagrad", "rmsprop", "adam"])
        #expect(runs.allSatisfy { $0.history.count == 2 && $0.lossCurve.count == 8 && $0.testAccuracy != nil })
        // Same initial weights, batches and dropout: the first batch's loss (before any update) is the same for all,
        // and after that the rules part ways.
        #expect(Set(firstLosses).count == 1)
        #expect(Set(runs.map { $0.history.last!.trainLoss }).count == 5)

        let figure = OptimizerComparison.render(runs, classes: 3)
        #expect(figure.width == 800 && figure.height == 760)
        let table = OptimizerComparison.table(runs).split(separator: "\n")
        #expect(table.count == 7)
        #expect(table[0].contains("val. accuracy, epoch 2") && table[0].contains("test accuracy"))
        #expect(table[4].hasPrefix("| adagrad | adagrad (lr 0.01, eps 1e-10) | "))
    }
}
