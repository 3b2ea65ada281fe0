// An in-memory labelled data set: samples of one shape in one contiguous Float buffer, plus integer labels.
// Fashion-MNIST images ([1, 28, 28]) and cached VGG feature vectors ([D]) both use it.

import NeuralCore

/// `count` samples of `sampleShape`, stored back to back in `values`, with a class index per sample.
public struct LabeledDataset {
    /// Shape of one sample, e.g. [1, 28, 28] (C, H, W) or [512] (a feature vector).
    public let sampleShape: [Int]
    /// `count * sampleShape.product` values, sample after sample.
    public var values: [Float]
    /// Class index per sample, each in 0..<classNames.count.
    public var labels: [Int]
    /// Human-readable class names, index = label.
    public let classNames: [String]

    public init(sampleShape: [Int], values: [Float], labels: [Int], classNames: [String]) {
        let size = sampleShape.reduce(1, *)
        precondition(values.count == labels.count * size,
                     "LabeledDataset: \(labels.count) samples of \(sampleShape) need \(labels.count * size) values, got \(values.count)")
        precondition(labels.allSatisfy { $0 >= 0 && $0 < classNames.count }, "LabeledDataset: label outside 0..<\(classNames.count)")
        self.sampleShape = sampleShape
        self.values = values
        self.labels = labels
        self.classNames = classNames
    }

    /// Number of samples.
    public var count: Int { labels.count }
    /// Values per sample.
    public var sampleSize: Int { sampleShape.reduce(1, *) }

    /// The samples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> LabeledDataset {
        let size = sampleSize
        var out = [Float](repeating: 0, count: indices.count * size)
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (k, i) in indices.enumerated() {
                    precondition(i >= 0 && i < count, "subset: index \(i) outside 0..<\(count)")
                    (dst.baseAddress! + k * size).update(from: src.baseAddress! + i * size, count: size)
                }
            }
        }
        return LabeledDataset(sampleShape: sampleShape, values: out, labels: indices.map { labels[$0] }, classNames: classNames)
    }

    /// The first `n` samples (all when n ≥ count).
    public func prefix(_ n: Int) -> LabeledDataset { subset(Array(0..<min(max(n, 0), count))) }

    /// A seeded split: the last `fraction` of a shuffled order becomes the validation set.
    /// Both parts keep the data set's class names. A fraction of 0 gives an empty validation set.
    public func split(validationFraction fraction: Double, seed: UInt64) -> (train: LabeledDataset, validation: LabeledDataset) {
        // Its own stream (seed mixed with a constant), so the split does not depend on the generator used in training.
        var generator = SeededGenerator(seed: seed ^ 0x5851_F42D_4C95_7F2D)
        var order = Array(0..<count)
        order.shuffle(using: &generator)
        let validationCount = min(count, Int((Double(count) * fraction).rounded()))
        let cut = count - validationCount
        return (subset(Array(order[..<cut]).sorted()), subset(Array(order[cut...]).sorted()))
    }
}

