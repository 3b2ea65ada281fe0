// `nst classify IMAGE…`: top-K labels per image (files or folders) with a saved classifier.
import ArgumentParser
import Classification
import Foundation
import ImageIO

extension Preprocessing.Inversion: ExpressibleByArgument {}

extension NST {
    struct Classify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Label images with a classifier trained by train-classifier.",
            discussion: """
                Any PNG or JPEG of any size is converted as the model's metadata says: 28×28 gray for Fashion-MNIST \
                models (which were trained on light objects on black: images with a light border are inverted unless \
                --invert says otherwise), a centre-cropped RGB square for VGG16 heads. Images smaller than 8×8 pixels \
                and unreadable files are reported and skipped; the exit code is then 1.
                """)

        @Argument(help: ArgumentHelp("Images, or folders searched recursively for .png/.jpg/.jpeg files.", valueName: "image"))
        var images: [String] = []
        @Option(help: ArgumentHelp("Model file written by train-classifier.", valueName: "path")) var model: String
        @Option(help: ArgumentHelp("Labels to print per image, most probable first.", valueName: "k")) var top = 3
        @Option(help: "Invert gray levels: auto (when the border is light), always or never. Default: the model's choice.")
        var invert: Preprocessing.Inversion?
        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard !images.isEmpty else { throw ValidationError("give at least one image or folder") }
            guard top >= 1 else { throw ValidationError("--top must be at least 1") }
        }

        func run() throws {
            let reporter = Reporter(outputOptions)
            let start = Date()
            let classifier = try ClassifierModel(contentsOf: URL(fileURLWithPath: model))
            let files = try ImageFileList.expand(images)
            guard !files.isEmpty else { throw CLIError("\(images.joined(separator: ", ")): no .jpg, .jpeg or .png files found") }
            let predictions = classifier.classify(files, inversion: invert)
            var rows: [[String: Any]] = [], failures = 0
            for prediction in predictions {
                switch prediction.result {
                case .success(let p):
                    let best = classifier.top(top, of: p[...])
                    if !outputOptions.json {
                        print(prediction.file.path + "\t" + best.map { String(format: "%@ %.3f", $0.label, $0.probability) }
                            .joined(separator: "\t"))
                    }
                    rows.append(["file": prediction.file.path,
                                 "top": best.map { ["label": $0.label, "probability": Double($0.probability)] }])
                case .failure(let error):
                    failures += 1
                    reporter.warn("skipped \(error)")
                    rows.append(["file": prediction.file.path, "error": "\(error)"])
                }
            }
            let seconds = Date().timeIntervalSince(start)
            reporter.note(String(format: "classified %d of %d images in %.2f s (%d skipped)", files.count - failures, files.count,
                                 seconds, failures))
            reporter.summary(["model": model, "images": rows, "classified": files.count - failures, "skipped": failures,
                              "seconds": seconds])
            // Every image was reported; the exit code says whether all of them could be classified.
            if failures > 0 { throw ExitCode(1) }
        }
    }
}

/// Command-line image arguments: files kept as given, folders searched recursively (sorted).
enum ImageFileList {
    static func expand(_ arguments: [String]) throws -> [URL] {
        var out: [URL] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                throw CLIError("\(argument): no such file or folder")
            }
            guard isDirectory.boolValue else { out.append(URL(fileURLWithPath: argument)); continue }
            out += try ImageFiles.list(in: URL(fileURLWithPath: argument), recursive: true)
        }
        return out
    }
}
