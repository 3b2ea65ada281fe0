// `nst evaluate`: test accuracy, per-class precision/recall and the confusion matrix (text and PNG) of a classifier.
import ArgumentParser
import Classification
import Foundation
import ImageIO

extension NST {
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure a classifier's accuracy on Fashion-MNIST's test split or on a folder of labelled images.")

        @Option(help: ArgumentHelp("Model file written by train-classifier.", valueName: "path")) var model: String
        @Option(help: "Built-in data set whose test split to use (default: none; give this or --image-folder).") var dataset: TrainClassifier.Dataset?
        @Option(help: ArgumentHelp("Folder with one sub-folder of images per class, named like the model's labels (default: none; give this or --dataset).", valueName: "dir"))
        var imageFolder: String?
        @Option(help: ArgumentHelp("Folder holding the Fashion-MNIST IDX files.", valueName: "dir"))
        var dataDir = FashionMNIST.defaultDirectory.path
        @Option(help: ArgumentHelp("Use only the first N test images (default: all).", valueName: "n")) var limit: Int?
        @Option(help: ArgumentHelp("Confusion-matrix PNG to write (default: <model without extension>-confusion.png).", valueName: "path"))
        var confusionImage: String?
        @Flag(help: "Draw no confusion matrix.") var noConfusionImage = false
        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard (dataset == nil) != (imageFolder == nil) else {
                throw ValidationError("give exactly one of --dataset fashion-mnist or --image-folder <dir>")
            }
            guard limit.map({ $0 >= 1 }) ?? true else { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            let reporter = Reporter(outputOptions)
            let imageURL = try sideOutput(confusionImage, off: noConfusionImage, option: "--confusion-image", beside: model,
                                          suffix: "-confusion.png")
            if let imageURL { try checkImageOutput(imageURL.path) }
            let classifier = try ClassifierModel(contentsOf: URL(fileURLWithPath: model))
            let start = Date()
            var skipped: [(file: String, reason: String)] = []
            let result: EvaluationResult
            if let imageFolder {
                (result, skipped) = try classifier.evaluate(imageFolder: URL(fileURLWithPath: imageFolder))
                for s in skipped { reporter.warn("skipped \(s.file): \(s.reason)") }
            } else {
                result = try classifier.evaluateFashionMNIST(dataDirectory: URL(fileURLWithPath: dataDir), limit: limit)
            }
            let seconds = Date().timeIntervalSince(start)
            if !outputOptions.json {
                print(String(format: "accuracy %.2f%% on %d images (loss %.4f, %.1f s)", result.accuracy * 100,
                             result.confusion.total, result.loss, seconds))
                print(result.confusion.report())
            }
            if let imageURL, result.confusion.total > 0 {
                try ConfusionChart.render(counts: result.confusion.counts, labels: classifier.labels).save(to: imageURL)
                reporter.note("wrote \(imageURL.path)")
            }
            let c = result.confusion
            reporter.summary([
                "model": model, "images": c.total, "accuracy": Double(result.accuracy), "loss": Double(result.loss),
                "seconds": seconds, "skipped": skipped.count,
                "classes": (0..<c.classes).map { i -> [String: Any] in
                    ["label": c.classNames[i], "precision": c.precision(i).map { Double($0) } ?? NSNull(),
                     "recall": c.recall(i).map { Double($0) } ?? NSNull()]
                },
                "confusion": (0..<c.classes).map { t in (0..<c.classes).map { c[t, $0] } },
            ])
            // The figures cover the images that could be read; the exit code says that some could not.
            if !skipped.isEmpty { throw ExitCode(1) }
        }
    }
}
