// Reading a file whole with errors that say why (missing, directory, unreadable, empty, too big),
// and recognising PNG and JPEG from their magic bytes rather than the extension.
import Foundation

/// The encodings ImageIO reads and writes.
public enum ImageFormat: String, Sendable, Codable, CaseIterable {
    /// PNG, read and written through libpng's png_image API.
    case png
    /// JPEG (JFIF/EXIF), read and written through libjpeg-turbo.
    case jpeg

    /// Extensions `Image.save(to:)` accepts, lowercase, without the dot.
    public static let writableExtensions = ["png", "jpg", "jpeg"]

    /// The format whose magic bytes start `data`, or nil.
    public static func detect(_ data: Data) -> ImageFormat? {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        if data.count >= 8, data.prefix(8).elementsEqual(png) { return .png }
        if data.count >= 3, data.prefix(3).elementsEqual([0xFF, 0xD8, 0xFF]) { return .jpeg }
        return nil
    }

    /// The output format chosen from `url`'s extension; throws naming the file otherwise.
    public static func forOutput(_ url: URL) throws -> ImageFormat {
        switch url.pathExtension.lowercased() {
        case "png": return .png
        case "jpg", "jpeg": return .jpeg
        case let other:
            let shown = other.isEmpty ? "no extension" : "extension .\(other)"
            throw ImageError(url, .unsupported, "cannot write \(shown) (supported: .png, .jpg, .jpeg)")
        }
    }
}

enum ImageFile {
    /// The whole file, after checks that turn every filesystem problem into a one-line ImageError.
    static func read(_ url: URL, limits: ImageLimits) throws -> Data {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImageError(url, .noSuchFile, "no such file")
        }
        if isDirectory.boolValue { throw ImageError(url, .isDirectory, "is a directory, not an image file") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ImageError(url, .unreadable, "permission denied")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if let size, size > limits.maxFileBytes {
            throw ImageError(url, .tooLarge, "file of \(size) bytes exceeds the limit of \(limits.maxFileBytes)")
        }
        // Checked before reading: Foundation's Data(contentsOf:) leaks its 4 KB buffer on an empty file.
        if size == 0 { throw ImageError(url, .empty, "file is empty") }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ImageError(url, .unreadable, "cannot read (\(error.localizedDescription))")
        }
        if data.isEmpty { throw ImageError(url, .empty, "file is empty") }
        return data
    }

    /// The format of `data`, or an error quoting its first bytes.
    static func format(of data: Data, url: URL) throws -> ImageFormat {
        if let format = ImageFormat.detect(data) { return format }
        let head = data.prefix(4).map { String(format: "%02X", $0) }.joined(separator: " ")
        throw ImageError(url, .unknownFormat, "not a PNG or JPEG file (starts with \(head))")
    }
}
