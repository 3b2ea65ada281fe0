// Inference over a whole data set in batches (no gradients, inference mode): probabilities, loss and accuracy.
import Foundation
import Networks
import NeuralCore

/// Results of running a network over a labelled data set.
public struct EvaluationResult {
    /// Mean softmax cross-entropy.
    public var loss: Float
    /// Fraction of samples whose top class is the label.
    public var accuracy: Float
    /// Top class per sample.
    public var predictions: [Int]
    public var confusion: ConfusionMatrix
}

public enum BatchInference {
    /// Softmax probabilities [N, K] (row-major) for `count` samples of `sampleShape` in `values`, in batches.
    public static func probabilities(_ network: ClassifierNetwork, values: [Float], sampleShape: [Int], count: Int,
                                     batchSize: Int = 256) -> [Float] {
        let size = sampleShape.reduce(1, *), k = network.classes
        precondition(values.count == count * size, "probabilities: \(count) samples of \(sampleShape) need \(count * size) values")
        var out = [Float](repeating: 0, count: count * k)
        var generator = SeededGenerator(seed: 0)   // unused in inference mode (no dropout)
        withoutGradients {
            var lower = 0
            while lower < count {
                let n = min(batchSize, count - lower)
                let x = Tensor(shape: [n] + sampleShape, data: Array(values[(lower * size)..<((lower + n) * size)]))
                let p = network.logits(x, mode: .inference, generator: &generator).softmax()
                out.replaceSubrange((lower * k)..<((lower + n) * k), with: p.data)
                lower += n
            }
        }
        return out
    }

    /// Loss, accuracy, predictions and confusion matrix of `network` on `data`.
    public static func evaluate(_ network: ClassifierNetwork, on data: LabeledDataset, batchSize: Int = 256) -> EvaluationResult {
        let k = network.classes
        let p = probabilities(network, values: data.values, sampleShape: data.sampleShape, count: data.count, batchSize: batchSize)
        var loss: Double = 0
        var predictions = [Int](repeating: 0, count: data.count)
        for i in 0..<data.count {
            predictions[i] = argmax(p, row: i, width: k)
            loss -= Double(Foundation.log(max(p[i * k + data.labels[i]], 1e-12)))
        }
        let confusion = ConfusionMatrix(labels: data.labels, predictions: predictions, classNames: data.classNames)
        return EvaluationResult(loss: Float(loss / Double(max(data.count, 1))), accuracy: confusion.accuracy,
                                predictions: predictions, confusion: confusion)
    }

    /// How many rows of `logits` [N, K] have their maximum at the label.
    static func correctCount(logits: [Float], classes k: Int, labels: [Int]) -> Int {
        var correct = 0
        for (i, label) in labels.enumerated() where argmax(logits, row: i, width: k) == label { correct += 1 }
        return correct
    }

    /// Index of the largest of `values[row·width ..< (row+1)·width]` (first one on ties).
    static func argmax(_ values: [Float], row: Int, width: Int) -> Int {
        var best = 0, bestValue = -Float.infinity
        for j in 0..<width where values[row * width + j] > bestValue { best = j; bestValue = values[row * width + j] }
        return best
    }
}
