// Errors and limits of the image I/O layer: every failure names the file and fits on one line.
import Foundation

/// A failure to read, decode, encode or write an image file. `description` is one line,
/// "<path>: <problem>", e.g. "photo.jpg: truncated or corrupt JPEG data (Premature end of JPEG file)".
public struct ImageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, for callers that want to branch on it.
    public enum Kind: Equatable, Sendable {
        case noSuchFile, isDirectory, unreadable, empty, tooLarge, unknownFormat, corrupt, unsupported, writeFailed
    }
    /// The path as the caller gave it (relative paths stay relative).
    public let path: String
    /// The category of failure.
    public let kind: Kind
    /// The problem without the path, one line.
    public let problem: String

    /// An error for `path`; newlines in `problem` are folded so the description stays one line.
    public init(path: String, kind: Kind, problem: String) {
        self.path = path
        self.kind = kind
        // Library messages (libpng, libjpeg) may carry newlines; the contract is one line.
        self.problem = problem.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    init(_ url: URL, _ kind: Kind, _ problem: String) {
        self.init(path: url.displayPath, kind: kind, problem: problem)
    }

    /// "<path>: <problem>", one line.
    public var description: String { "\(path): \(problem)" }
}

/// Bounds checked against a file's header before any pixel buffer is allocated, so a hostile
/// 100000x100000 header costs nothing.
public struct ImageLimits: Equatable, Sendable {
    /// Largest width x height accepted.
    public var maxPixels: Int
    /// Largest file accepted, in bytes (files are read whole into memory).
    public var maxFileBytes: Int

    /// Most scans a progressive JPEG may have: each is a pass over the whole image, so thousands of tiny scans
    /// would make a small file cost minutes. libjpeg's default progression writes 10; libjpeg-turbo's tools cap at 500.
    public var maxProgressiveScans: Int

    /// Limits with the given bounds (defaults: 100 million pixels, 1 GiB, 500 scans).
    public init(maxPixels: Int = 100_000_000, maxFileBytes: Int = 1 << 30, maxProgressiveScans: Int = 500) {
        self.maxPixels = maxPixels
        self.maxFileBytes = maxFileBytes
        self.maxProgressiveScans = maxProgressiveScans
    }

    /// 100 million pixels, 1 GiB files.
    public static let `default` = ImageLimits()

    func check(width: Int, height: Int, url: URL) throws {
        guard width > 0, height > 0 else {
            throw ImageError(url, .corrupt, "invalid image size \(width)x\(height)")
        }
        // Multiply in a way that cannot overflow for hostile 32-bit sizes.
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || pixels > maxPixels {
            throw ImageError(url, .tooLarge, "\(width)x\(height) pixels exceeds the limit of \(maxPixels)")
        }
    }
}

extension URL {
    /// The path as typed: relative file URLs keep their relative form in messages.
    var displayPath: String { isFileURL ? relativePath : absoluteString }
}
