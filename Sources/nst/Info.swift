// `nst info FILE...`: what the image I/O layer sees in each file, one line each or a JSON array.
// Thin: ImageIO reads the headers; this file only formats. A new file kind (safetensors) adds a case to
// `FileDescription` and a branch in `describe(_:)`.
import ArgumentParser
import Foundation
import ImageIO

extension NST {
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show format, size, channels, bit depth and orientation of images.",
            discussion: "Unreadable files are reported on stderr and skipped; the exit code is 1 if any failed.")

        @Flag(help: "Print a JSON array on stdout instead of one line per file.")
        var json = false

        @Argument(help: ArgumentHelp("Image files to describe (PNG or JPEG).", valueName: "file"))
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
            .image(path: path, info: try ImageInfo.read(URL(fileURLWithPath: path)))
        }
    }
}

/// One described file: a kind plus its facts, printable as a line or as a JSON object.
enum FileDescription: Encodable {
    case image(path: String, info: ImageInfo)

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
        }
    }
}
