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

        @Flag(help: "Print a JSON array on stdout instead of one line per file.")
        var json = false

        @Argument(help: ArgumentHelp("Image files (PNG or JPEG) or model files (.safetensors) to describe.", valueName: "file"))
        var files: [String]

        func run() throws {
            let ok = describeFiles(output: { print($0) }, failure: { message in
                FileHandle.standardError.write(Data("nst: \(message)\n".utf8))
            })
            if !ok { throw ExitCode(1) }
        }

        /// Describes every file, sending text lines (or, with --json, one JSON array at the end) to `output`
        /// and one-line errors to `failure`. Returns false if any file failed.
        func describeFiles(output: (String) -> Void, failure: (String) -> Void) -> Bool {
            var described: [FileDescription] = []
            var ok = true
            for path in files {
                do {
                    let description = try Info.describe(path)
                    if json { described.append(description) } else { output(description.line) }
                } catch {
                    failure(String(describing: error))
                    ok = false
                }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                // Encoding plain structs of strings and integers cannot fail.
                output(String(decoding: (try? encoder.encode(described)) ?? Data("[]".utf8), as: UTF8.self))
            }
            return ok
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
