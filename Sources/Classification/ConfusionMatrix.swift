// Confusion matrix with per-class precision and recall, and its plain-text rendering for `nst evaluate`.
import Foundation

/// counts[true · K + predicted]: how often class `true` was predicted as `predicted`.
public struct ConfusionMatrix: Equatable {
    public let classNames: [String]
    public private(set) var counts: [Int]

    public init(labels: [Int], predictions: [Int], classNames: [String]) {
        precondition(labels.count == predictions.count, "ConfusionMatrix: \(labels.count) labels, \(predictions.count) predictions")
        let k = classNames.count
        self.classNames = classNames
        counts = [Int](repeating: 0, count: k * k)
        for (t, p) in zip(labels, predictions) { counts[t * k + p] += 1 }
    }

    public var classes: Int { classNames.count }
    public var total: Int { counts.reduce(0, +) }
    public subscript(truth: Int, predicted: Int) -> Int { counts[truth * classes + predicted] }

    /// Fraction of all samples on the diagonal (0 for an empty matrix).
    public var accuracy: Float {
        let correct = (0..<classes).reduce(0) { $0 + self[$1, $1] }
        return total == 0 ? 0 : Float(correct) / Float(total)
    }

    /// Of the samples predicted as `c`, the fraction that are `c` (nil when nothing was predicted as `c`).
    public func precision(_ c: Int) -> Float? {
        let predicted = (0..<classes).reduce(0) { $0 + self[$1, c] }
        return predicted == 0 ? nil : Float(self[c, c]) / Float(predicted)
    }

    /// Of the samples of class `c`, the fraction predicted as `c` (nil when the class has no samples).
    public func recall(_ c: Int) -> Float? {
        let actual = (0..<classes).reduce(0) { $0 + self[c, $1] }
        return actual == 0 ? nil : Float(self[c, c]) / Float(actual)
    }

    /// A per-class table (precision, recall, support) followed by the matrix, rows = truth, columns = prediction.
    public func report() -> String {
        let nameWidth = max(5, classNames.map(\.count).max() ?? 0)
        func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        func percent(_ v: Float?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "–" }
        var lines = [pad("class", nameWidth) + "  precision     recall    support"]
        for c in 0..<classes {
            let support = (0..<classes).reduce(0) { $0 + self[c, $1] }
            lines.append(pad(classNames[c], nameWidth) + pad(percent(precision(c)), 11) + pad(percent(recall(c)), 11)
                         + pad("\(support)", 11))
        }
        lines.append("")
        lines.append("confusion matrix (rows: true class, columns: predicted class, in class order)")
        let cell = max(5, String(counts.max() ?? 0).count + 1)
        let rowWidth = nameWidth + 3
        lines.append(pad("", rowWidth) + (0..<classes).map { pad("\($0)", cell) }.joined())
        for t in 0..<classes {
            let name = "\(t) " + classNames[t]
            lines.append(name + String(repeating: " ", count: max(0, rowWidth - name.count)) + (0..<classes).map { pad("\(self[t, $0])", cell) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
