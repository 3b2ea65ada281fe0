// `nst info FILE...`: what each file is — an image (format, size, channels, depth, orientation) or an nst model
// (what it does and how it was trained) — one line each or a JSON array.
// Thin: ImageIO reads image headers, the libraries read model metadata; this file only formats.
import ArgumentParser
import Foundation
import ImageIO
import NeuralCore

extension NST {
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Describe images (format, size, depth, orientation) and nst model files (kind, training settings).",
            discussion: "Unreadable files are reported on stderr and skipped; the exit code is 1 if any failed.")

        @Argument(help: ArgumentHelp("Image files (PNG or JPEG) or model files (.safetensors) to describe.", valueName: "file"))
        var files: [String]

        @OptionGroup var outputOptions: OutputOptions

        func run() throws {
            let reporter = Reporter(outputOptions)
            let (described, failures) = describeFiles { outcome in
                switch outcome {
                case .success(let description): reporter.result(description.line)
                case .failure(let error): reporter.error(String(describing: error))
                }
            }
            reporter.summary(Self.jsonArray(described))
            if !failures.isEmpty { throw ExitCode(1) }
        }

        /// Every file described, in order, and a one-line error for each file that could not be; `each` sees every
        /// outcome as it comes, so a long list reports as it goes.
        func describeFiles(each: (Result<FileDescription, Error>) -> Void = { _ in }) -> (described: [FileDescription], failures: [String]) {
            var described: [FileDescription] = [], failures: [String] = []
            for path in files {
                let outcome = Result { try Info.describe(path) }
                each(outcome)
                switch outcome {
                case .success(let description): described.append(description)
                case .failure(let error): failures.append(String(describing: error))
                }
            }
            return (described, failures)
        }

        /// The descriptions as the JSON array `--json` prints (objects of strings, numbers and the file's metadata).
        static func jsonArray(_ described: [FileDescription]) -> Any {
            // Encoding plain structs of strings and integers cannot fail.
            let data = (try? JSONEncoder().encode(described)) ?? Data("[]".utf8)
            return (try? JSONSerialization.jsonObject(with: data)) ?? []
        }

        /// The description of one file, chosen by what the file is.
        static func describe(_ path: String) throws -> FileDescription {
            let url = URL(fileURLWithPath: path)
            if ["safetensors", "checkpoint"].contains(url.pathExtension.lowercased()) {
                return .model(path: path, info: try ModelInfo.read(url))
            }
            let info = try ImageInfo.read(url)
            // The headers alone would describe a truncated or corrupt file as fine: decode every pixel, as
            // ImageMagick's identify does, so the exit code says whether the image can actually be used.
            let image = try Image.load(url, applyOrientation: false)
            guard image.width > 0, image.height > 0 else { throw CLIError("\(path): image has no pixels (\(image.width)x\(image.height))") }
            return .image(path: path, info: info)
        }
    }
}

/// One described file: a kind plus its facts, printable as a line or as a JSON object.
enum FileDescription: Encodable {
    case image(path: String, info: ImageInfo)
    case model(path: String, info: ModelInfo)

    /// e.g. "photo.jpg: JPEG 4032x3024, 3 channels (ycbcr), 8-bit, progressive, orientation 6 (shown 3024x4032)"
    var line: String {
        switch self {
        case let .image(path, info):
            var parts = ["\(info.format == .png ? "PNG" : "JPEG") \(info.width)x\(info.height)",
                         "\(info.channels) channel\(info.channels == 1 ? "" : "s") (\(info.colorType))",
                         "\(info.bitDepth)-bit"]
            if let entries = info.paletteEntries { parts.append("\(entries) palette entries") }
            if info.progressive { parts.append(info.format == .png ? "interlaced" : "progressive") }
            let shown = info.displaySize
            parts.append(info.orientation == .up ? "orientation 1"
                         : "orientation \(info.orientation.rawValue) (shown \(shown.width)x\(shown.height))")
            return "\(path): " + parts.joined(separator: ", ")
        case let .model(path, info):
            return "\(path): " + info.line
        }
    }

    private enum Keys: String, CodingKey { case path, kind }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case let .image(path, info):
            try container.encode(path, forKey: .path)
            try container.encode("image", forKey: .kind)
            try info.encode(to: encoder)
        case let .model(path, info):
            try container.encode(path, forKey: .path)
            try container.encode("model", forKey: .kind)
            try info.encode(to: encoder)
        }
    }
}
