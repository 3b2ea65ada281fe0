// Running a saved classifier over a labelled test set (Fashion-MNIST's test split or an image folder) and over
// loose image files, in chunks so memory stays bounded for large folders.
import Foundation
import ImageIO
import Networks

/// Per-file outcome of classifying loose images.
public struct FilePrediction {
    public var file: URL
    /// Probabilities per label (model order), or the reason the file was skipped.
    public var result: Result<[Float], Error>
}

extension ClassifierModel {
    /// Accuracy, per-class metrics and confusion matrix on Fashion-MNIST's 10 000 test images (first `limit` if given).
    /// Throws `ModelFileError` if the model is not a Fashion-MNIST CNN with the data set's labels.
    public func evaluateFashionMNIST(dataDirectory: URL, limit: Int? = nil) throws -> EvaluationResult {
        guard metadata.kind == .fashionCNN, labels == FashionMNIST.classNames else {
            throw ModelFileError(file: source, problem: "not a Fashion-MNIST model (labels \(labels.joined(separator: ", ")))")
        }
        let test = try FashionMNIST.load(.test, from: dataDirectory, limit: limit)
        return BatchInference.evaluate(network, on: test)
    }

    /// Evaluates on an image folder whose class sub-folders are named like the model's labels.
    /// Throws `ModelFileError` naming folders that match no label. Unreadable images are skipped and returned.
    public func evaluate(imageFolder url: URL) throws -> (result: EvaluationResult, skipped: [(file: String, reason: String)]) {
        let folder = try ImageFolder.scan(url)
        let unknown = folder.classNames.filter { !labels.contains($0) }
        guard unknown.isEmpty else {
            throw ModelFileError(file: url.path, problem:
                "class folders \(unknown.joined(separator: ", ")) match none of the model's labels (\(labels.joined(separator: ", ")))")
        }
        let predictions = classify(folder.files.map(\.url))
        var truth: [Int] = [], predicted: [Int] = [], skipped: [(String, String)] = [], loss: Double = 0
        for (file, prediction) in zip(folder.files, predictions) {
            switch prediction.result {
            case .success(let p):
                let label = labels.firstIndex(of: folder.classNames[file.label])!
                truth.append(label)
                predicted.append(BatchInference.argmax(p, row: 0, width: p.count))
                loss -= Double(Foundation.log(max(p[label], 1e-12)))
            case .failure(let error):
                skipped.append((file.url.path, "\(error)"))
            }
        }
        let confusion = ConfusionMatrix(labels: truth, predictions: predicted, classNames: labels)
        let result = EvaluationResult(loss: Float(loss / Double(max(truth.count, 1))), accuracy: confusion.accuracy,
                                      predictions: predicted, confusion: confusion)
        return (result, skipped)
    }

    /// Class probabilities for each file, prepared as the metadata says (`inversion` overrides the model's choice).
    /// Decoding runs in parallel; files are processed in chunks of `chunk`. Never throws: failures are per file.
    public func classify(_ files: [URL], inversion: Preprocessing.Inversion? = nil, chunk: Int = 256) -> [FilePrediction] {
        var out: [FilePrediction] = []
        let k = labels.count
        for start in stride(from: 0, to: files.count, by: chunk) {
            let part = Array(files[start..<min(start + chunk, files.count)])
            let prepared = ImageBatchLoader.prepare(part, with: metadata.preprocessing, inversion: inversion)
            var inputs: [Float] = [], okIndices: [Int] = []
            for (i, r) in prepared.enumerated() { if case .success(let v) = r { inputs += v; okIndices.append(i) } }
            let p = okIndices.isEmpty ? [] : probabilities(prepared: inputs, count: okIndices.count)
            var row = 0
            for (i, r) in prepared.enumerated() {
                switch r {
                case .success:
                    out.append(FilePrediction(file: part[i], result: .success(Array(p[(row * k)..<((row + 1) * k)]))))
                    row += 1
                case .failure(let error):
                    out.append(FilePrediction(file: part[i], result: .failure(error)))
                }
            }
        }
        return out
    }
}
