// IDX files (the MNIST / Fashion-MNIST container): magic 0x0000 type rank, big-endian sizes, then raw data.
// Gzip-compressed files (.gz) are inflated with zlib first. Format: http://yann.lecun.com/exdb/mnist/ (bottom).
import CZlib
import Foundation

/// Problems reading an IDX file. `description` is one line: "<file>: <problem> (<detail>)".
public struct IDXError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let problem: String
    public var description: String { "\(file): \(problem)" }
}

/// One decoded IDX file holding unsigned bytes (the only element type MNIST-style data sets use).
public struct IDXFile: Equatable {
    /// Sizes of each axis, outermost first: [N] for labels, [N, rows, cols] for images.
    public let shape: [Int]
    /// `shape.product` bytes, row-major.
    public let bytes: [UInt8]

    /// Reads and decodes `url`; inflates it first when it starts with the gzip magic (1f 8b).
    /// Throws `IDXError` for a missing file, a broken gzip stream, a bad header or a size mismatch.
    public static func read(_ url: URL) throws -> IDXFile {
        let name = url.path
        guard FileManager.default.fileExists(atPath: name) else { throw IDXError(file: name, problem: "file not found") }
        // An empty file is refused before reading: Foundation's Data(contentsOf:) leaks its 4 KB buffer on one.
        if let size = (try? FileManager.default.attributesOfItem(atPath: name))?[.size] as? Int, size == 0 {
            throw IDXError(file: name, problem: "too short for an IDX header (0 bytes)")
        }
        let raw: Data
        do { raw = try Data(contentsOf: url) } catch {
            throw IDXError(file: name, problem: "cannot read (\(error.localizedDescription))")
        }
        let bytes = raw.starts(with: [0x1f, 0x8b]) ? try Gzip.inflate(raw, name: name) : raw
        return try parse(bytes, name: name)
    }

    /// Largest data set accepted, in bytes (Fashion-MNIST's training images are 47 MB).
    public static let maximumSize = 1 << 30

    /// The whole file's size in bytes as its header declares it, once `prefix` holds the header (nil before).
    /// Throws for a header that is not IDX or declares more than `maximumSize`: what bounds gzip inflation.
    static func declaredSize(_ prefix: Data, name: String) throws -> Int? {
        guard prefix.count >= 4 else { return nil }
        let start = prefix.startIndex
        guard prefix[start] == 0, prefix[start + 1] == 0, prefix[start + 2] == 0x08, (1...4).contains(prefix[start + 3]) else {
            return try parse(prefix.prefix(4), name: name).bytes.count   // throws the parser's error for this header
        }
        let rank = Int(prefix[start + 3])
        guard prefix.count >= 4 + 4 * rank else { return nil }
        var total = 1
        for axis in 0..<rank {
            let o = start + 4 + 4 * axis
            let size = Int(prefix[o]) << 24 | Int(prefix[o + 1]) << 16 | Int(prefix[o + 2]) << 8 | Int(prefix[o + 3])
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            guard !overflow, product <= maximumSize else {
                throw IDXError(file: name, problem: "header declares more than \(maximumSize >> 20) MB of data")
            }
            total = product
        }
        return 4 + 4 * rank + total
    }

    /// Decodes uncompressed IDX bytes; `name` is used in errors.
    public static func parse(_ data: Data, name: String) throws -> IDXFile {
        guard data.count >= 4 else { throw IDXError(file: name, problem: "too short for an IDX header (\(data.count) bytes)") }
        let all = [UInt8](data)
        guard all[0] == 0, all[1] == 0 else {
            throw IDXError(file: name, problem: "not an IDX file (starts with \(hex(Array(all.prefix(4)))))")
        }
        guard all[2] == 0x08 else {
            throw IDXError(file: name, problem: "unsupported IDX element type 0x\(String(all[2], radix: 16)) (only unsigned bytes, 0x08)")
        }
        let rank = Int(all[3])
        guard (1...4).contains(rank) else { throw IDXError(file: name, problem: "unsupported IDX rank \(rank) (1…4)") }
        guard all.count >= 4 + 4 * rank else {
            throw IDXError(file: name, problem: "truncated header (\(all.count) bytes for rank \(rank))")
        }
        var shape: [Int] = []
        var total = 1
        for axis in 0..<rank {
            let o = 4 + 4 * axis
            let size = Int(all[o]) << 24 | Int(all[o + 1]) << 16 | Int(all[o + 2]) << 8 | Int(all[o + 3])
            shape.append(size)
            // Checked at every axis: [4e9, 3e9, 0] must not overflow to "anything" and then multiply back to 0 bytes.
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            guard !overflow, product <= maximumSize else {
                throw IDXError(file: name, problem: "header declares more than \(maximumSize >> 20) MB of data (\(shape.map(String.init).joined(separator: "×"))…)")
            }
            total = product
        }
        let payload = all.count - 4 - 4 * rank
        guard payload == total else {
            throw IDXError(file: name, problem: "header says \(shape) (\(total) bytes) but the file holds \(payload) data bytes")
        }
        return IDXFile(shape: shape, bytes: Array(all[(4 + 4 * rank)...]))
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined(separator: " ") }
}

/// Gzip decompression through zlib (inflate with automatic gzip header detection).
enum Gzip {
    /// Inflates a whole gzip stream (concatenated members are accepted). Throws `IDXError` naming `name`.
    /// Bounded: once the IDX header is out, inflation stops as soon as the output exceeds the size the header
    /// declares, so a small crafted .gz cannot expand into gigabytes (the output never exceeds that size plus
    /// one 1 MB chunk, and the header itself is capped at `IDXFile.maximumSize`).
    static func inflate(_ data: Data, name: String) throws -> Data {
        var stream = z_stream()
        // 15 + 32: maximum window, detect gzip or zlib headers automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw IDXError(file: name, problem: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var limit: Int?
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        var input = [UInt8](data)
        try input.withUnsafeMutableBufferPointer { inp in
            stream.next_in = inp.baseAddress
            stream.avail_in = uInt(inp.count)
            var status: Int32 = Z_OK
            repeat {
                try buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END else {
                        let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                        throw IDXError(file: name, problem: "corrupt gzip data (\(message))")
                    }
                    output.append(out.baseAddress!, count: chunk - Int(stream.avail_out))
                }
                if limit == nil { limit = try IDXFile.declaredSize(output, name: name) }
                if let limit, output.count > limit {
                    throw IDXError(file: name, problem: "gzip data inflates to more than the \(limit) bytes its IDX header declares")
                }
                if status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0 {
                    throw IDXError(file: name, problem: "truncated gzip data")
                }
                // A further gzip member may follow the end of the first one.
                if status == Z_STREAM_END && stream.avail_in > 0 {
                    guard inflateReset(&stream) == Z_OK else { throw IDXError(file: name, problem: "zlib reset failed") }
                    status = Z_OK
                }
            } while status != Z_STREAM_END
        }
        return output
    }
}
