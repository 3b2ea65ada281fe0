// Loading and saving whole images: format from magic bytes on input, from the extension on output.
import Foundation

extension Image {
    /// Decodes the PNG or JPEG at `url` (format detected from its first bytes, not its extension).
    /// JPEG EXIF orientation is applied unless `applyOrientation` is false. Throws `ImageError` naming the
    /// file: missing, directory, unreadable, empty, unknown format, over `limits` (checked from the header
    /// before allocating), truncated or corrupt data.
    public static func load(_ url: URL, limits: ImageLimits = .default, applyOrientation: Bool = true) throws -> Image {
        let data = try ImageFile.read(url, limits: limits)
        switch try ImageFile.format(of: data, url: url) {
        case .png: return try PNG.decode(data, url: url, limits: limits)
        case .jpeg: return try JPEG.decode(data, url: url, limits: limits, applyOrientation: applyOrientation)
        }
    }

    /// Decodes an in-memory PNG or JPEG; `name` is used in error messages.
    public static func decode(_ data: Data, name: String, limits: ImageLimits = .default,
                              applyOrientation: Bool = true) throws -> Image {
        let url = URL(fileURLWithPath: name)
        if data.isEmpty { throw ImageError(url, .empty, "file is empty") }
        switch try ImageFile.format(of: data, url: url) {
        case .png: return try PNG.decode(data, url: url, limits: limits)
        case .jpeg: return try JPEG.decode(data, url: url, limits: limits, applyOrientation: applyOrientation)
        }
    }

    /// Encodes to the format of `url`'s extension (.png, .jpg, .jpeg) and writes it atomically.
    /// - quality: JPEG quality 1...100 (ignored for PNG).
    /// - chroma: JPEG chroma subsampling (ignored for PNG).
    /// - bitDepth: PNG bits per sample, 8 or 16 (JPEG is always 8).
    /// JPEG has no alpha: RGBA is flattened onto white. Throws `ImageError` for an unsupported extension or a
    /// failed write; an existing file at `url` is left untouched on failure.
    public func save(to url: URL, quality: Int = 92, chroma: ChromaSubsampling = .yuv420, bitDepth: Int = 8) throws {
        let data = try encoded(as: ImageFormat.forOutput(url), quality: quality, chroma: chroma, bitDepth: bitDepth,
                               name: url.displayPath)
        do {
            try writeAtomically(data, to: url)
        } catch let error as FileWriteError {
            throw ImageError(path: error.path, kind: .writeFailed, problem: error.problem)
        }
    }

    /// The encoded bytes of this image; `name` is used in error messages.
    public func encoded(as format: ImageFormat, quality: Int = 92, chroma: ChromaSubsampling = .yuv420,
                        bitDepth: Int = 8, name: String = "image") throws -> Data {
        let url = URL(fileURLWithPath: name)
        switch format {
        case .png:
            guard bitDepth == 8 || bitDepth == 16 else {
                throw ImageError(url, .unsupported, "PNG bit depth must be 8 or 16, got \(bitDepth)")
            }
            return try PNG.encode(self, bitDepth: bitDepth, url: url)
        case .jpeg:
            return try JPEG.encode(self, quality: quality, chroma: chroma, url: url)
        }
    }
}
