// Reading and writing the safetensors format (huggingface/safetensors): 8-byte little-endian header length,
// a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {string: string}}, then raw little-endian data.
// Every malformed input gives one SafeTensorsError line naming the file; writes are atomic (temp file + rename).
import Foundation

/// Element types read (all three) and written (F32, F16).
public enum SafeTensorsDType: String, Sendable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16"
    /// Bytes per element.
    public var size: Int { self == .f32 ? 4 : 2 }
}

/// A safetensors file is unreadable or malformed, or could not be written. Description: "file: problem".
public struct SafeTensorsError: Error, CustomStringConvertible {
    /// The path as given.
    public let file: String
    /// What is wrong, one line.
    public let problem: String
    public var description: String { "\(file): \(problem)" }
}

/// The tensors and metadata of one safetensors file, as Float32 tensors.
public struct SafeTensorsFile {
    /// Tensors by key, converted to Float32.
    public var tensors: [String: Tensor]
    /// The `__metadata__` string map (empty if absent).
    public var metadata: [String: String]
    /// Where the tensors were read from (nil if built in memory), for error messages.
    public var source: String?

    /// An in-memory file, e.g. to hand to `WeightStore(file:)` or `write`.
    public init(tensors: [String: Tensor], metadata: [String: String] = [:], source: String? = nil) {
        self.tensors = tensors; self.metadata = metadata; self.source = source
    }

    /// Largest header accepted (the format's own limit is 100 MB); checked before anything is allocated.
    static let maxHeaderLength = 100_000_000

    /// Reads every tensor (F32, F16 or BF16, converted to Float32) and the `__metadata__` map.
    /// The file is untrusted: the whole header is validated before any tensor is decoded, by the rules of the
    /// safetensors specification. Throws `SafeTensorsError` for an unreadable or truncated file, a header length
    /// beyond the file, invalid JSON, an unknown dtype, a shape that does not match its byte range, and byte ranges
    /// that leave the data area, overlap, leave gaps or do not end exactly at the end of the file. Because the ranges
    /// tile the data area, the decoded tensors take at most twice the file's size (16-bit types become Float32):
    /// a header whose entries all alias one range is refused before anything is allocated.
    public static func read(_ url: URL) throws -> SafeTensorsFile {
        let name = url.relativePath
        // An empty file is refused before reading: Foundation's Data(contentsOf:) leaks its 4 KB buffer on one.
        if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int, size == 0 {
            throw SafeTensorsError(file: name, problem: "truncated: 0 bytes, too short for the 8-byte header length")
        }
        let bytes: Data
        do { bytes = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw SafeTensorsError(file: name, problem: "cannot read file (\((error as NSError).localizedDescription))")
        }
        return try decode(bytes, name: name)
    }

    /// One tensor's header entry, validated.
    struct Entry {
        let key: String
        let dtype: SafeTensorsDType
        let shape: [Int]
        let count: Int
        let begin: Int, end: Int
    }

    /// Parses and validates the whole file held in `bytes` (see `read`); `name` is used in errors.
    public static func decode(_ bytes: Data, name: String) throws -> SafeTensorsFile {
        func fail(_ problem: String) -> SafeTensorsError { SafeTensorsError(file: name, problem: problem) }
        guard bytes.count >= 8 else { throw fail("truncated: \(bytes.count) bytes, too short for the 8-byte header length") }
        let headerLength = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw fail("header length \(headerLength) goes beyond the file (\(bytes.count) bytes)")
        }
        guard headerLength <= UInt64(maxHeaderLength) else { throw fail("header length \(headerLength) exceeds 100 MB") }
        guard headerLength >= 2 else { throw fail("header length \(headerLength) is too short for a JSON object") }
        let dataStart = 8 + Int(headerLength), dataSize = bytes.count - dataStart
        let headerBytes = bytes.subdata(in: (bytes.startIndex + 8)..<(bytes.startIndex + dataStart))
        // The specification: the header starts with '{' (and may be padded with trailing spaces).
        guard headerBytes.first == UInt8(ascii: "{") else { throw fail("header is not a JSON object (it does not start with '{')") }
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: headerBytes) } catch {
            throw fail("header is not valid JSON")
        }
        guard let header = json as? [String: Any] else { throw fail("header is not a JSON object") }

        var result = SafeTensorsFile(tensors: [:], metadata: [:], source: name)
        var entries: [Entry] = []
        entries.reserveCapacity(header.count)
        for (key, value) in header {
            if key == "__metadata__" {
                guard let map = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
                for (k, v) in map {
                    guard let s = v as? String else { throw fail("__metadata__ value for \(k) is not a string") }
                    result.metadata[k] = s
                }
                continue
            }
            entries.append(try entry(key, value, dataSize: dataSize, fail: fail))
        }
        try checkTiling(entries, dataSize: dataSize, fail: fail)
        for e in entries {
            let values = bytes.withUnsafeBytes { raw in
                HalfPrecision.decode(UnsafeRawBufferPointer(rebasing: raw[(dataStart + e.begin)..<(dataStart + e.end)]),
                                     dtype: e.dtype, count: e.count)
            }
            result.tensors[e.key] = Tensor(shape: e.shape, data: values)
        }
        return result
    }

    /// Validates one tensor entry: known dtype, non-negative shape, offsets inside the data area that span exactly
    /// the shape's bytes.
    static func entry(_ key: String, _ value: Any, dataSize: Int, fail: (String) -> SafeTensorsError) throws -> Entry {
        guard let entry = value as? [String: Any] else { throw fail("tensor \(key): entry is not an object") }
        guard let dtypeName = entry["dtype"] as? String else { throw fail("tensor \(key): missing dtype") }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw fail("tensor \(key): unsupported dtype \(dtypeName.prefix(40)) (expected F32, F16 or BF16)")
        }
        guard let shape = integers(entry["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
            throw fail("tensor \(key): shape is not a list of non-negative integers")
        }
        guard let offsets = integers(entry["data_offsets"]), offsets.count == 2 else {
            throw fail("tensor \(key): data_offsets is not a pair of integers")
        }
        var count = 1
        for s in shape {
            let (p, overflow) = count.multipliedReportingOverflow(by: s)
            guard !overflow, p <= dataSize else { throw fail("tensor \(key): shape \(shape) is larger than the file") }
            count = p
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, begin <= end, end <= dataSize else {
            throw fail("tensor \(key): data_offsets [\(begin), \(end)] lie outside the data area (\(dataSize) bytes)")
        }
        guard end - begin == count * dtype.size else {
            throw fail("tensor \(key): data_offsets span \(end - begin) bytes, shape \(shape) as \(dtype.rawValue) needs \(count * dtype.size)")
        }
        return Entry(key: key, dtype: dtype, shape: shape, count: count, begin: begin, end: end)
    }

    /// The specification's rule for the data area: the byte ranges, in order, are contiguous and non-overlapping
    /// and cover it exactly (no hole, nothing after the last tensor). Empty tensors have empty ranges anywhere.
    static func checkTiling(_ entries: [Entry], dataSize: Int, fail: (String) -> SafeTensorsError) throws {
        let ordered = entries.filter { $0.end > $0.begin }.sorted { $0.begin < $1.begin || ($0.begin == $1.begin && $0.key < $1.key) }
        var position = 0, previous = ""
        for e in ordered {
            if e.begin < position {
                throw fail("tensor \(e.key): data_offsets [\(e.begin), \(e.end)] overlap tensor \(previous)'s bytes")
            }
            if e.begin > position {
                throw fail("tensor \(e.key): data_offsets [\(e.begin), \(e.end)] leave bytes \(position)..<\(e.begin) unused")
            }
            position = e.end
            previous = e.key
        }
        guard position == dataSize else {
            throw fail("the tensors cover \(position) of the data area's \(dataSize) bytes (trailing bytes after the last tensor)")
        }
    }

    /// Integers from a JSON array (rejecting fractions, strings and huge values).
    private static func integers(_ any: Any?) -> [Int]? {
        guard let list = any as? [Any] else { return nil }
        var out: [Int] = []
        for v in list {
            guard let number = v as? NSNumber else { return nil }
            let d = number.doubleValue
            guard d.rounded() == d, abs(d) < 9e15 else { return nil }
            out.append(Int(d))
        }
        return out
    }

    /// Writes `tensors` (keys sorted) and `metadata` to `url` as `dtype` (F32 or F16). Atomic: the bytes go to
    /// "<name>.tmp-<pid>" in the same folder, which is then renamed over `url`. Throws `SafeTensorsError`.
    public static func write(tensors: [String: Tensor], metadata: [String: String], to url: URL,
                             dtype: SafeTensorsDType = .f32) throws {
        let name = url.relativePath
        guard dtype != .bf16 else { throw SafeTensorsError(file: name, problem: "writing BF16 is not supported (use F32 or F16)") }
        let keys = tensors.keys.sorted()
        // The same rules as on read: every tensor's data matches its shape, and no key collides with the metadata.
        for key in keys {
            let t = tensors[key]!
            guard key != "__metadata__", !key.isEmpty else {
                throw SafeTensorsError(file: name, problem: "invalid tensor name '\(key)'")
            }
            guard t.shape.allSatisfy({ $0 >= 0 }), t.data.count == t.shape.reduce(1, *) else {
                throw SafeTensorsError(file: name, problem: "tensor \(key) holds \(t.data.count) values for shape \(t.shape)")
            }
        }
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for key in keys {
            let t = tensors[key]!
            let size = t.count * dtype.size
            entries.append("\(jsonString(key)):{\"dtype\":\"\(dtype.rawValue)\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        // Pad with spaces so the data area starts 8-byte aligned, as the reference writer does.
        while (header.count % 8) != 0 { header.append(0x20) }

        let temp = url.deletingLastPathComponent().appendingPathComponent("\(url.lastPathComponent).tmp-\(getpid())")
        do {
            guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
                throw SafeTensorsError(file: name, problem: "cannot create temporary file \(temp.lastPathComponent)")
            }
            let handle = try FileHandle(forWritingTo: temp)
            defer { try? handle.close() }
            var length = UInt64(header.count).littleEndian
            try handle.write(contentsOf: Data(bytes: &length, count: 8))
            try handle.write(contentsOf: Data(header))
            for key in keys {
                try handle.write(contentsOf: HalfPrecision.encode(tensors[key]!.data, dtype: dtype))
            }
            try handle.synchronize()
            try handle.close()
            if rename(temp.path, url.path) != 0 {
                throw SafeTensorsError(file: name, problem: "cannot rename temporary file into place (\(String(cString: strerror(errno))))")
            }
        } catch let error as SafeTensorsError {
            try? FileManager.default.removeItem(at: temp)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw SafeTensorsError(file: name, problem: "cannot write (\((error as NSError).localizedDescription))")
        }
    }

    /// A JSON string literal.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
