// Tests for the safetensors specification rules SafeTensors.swift enforces on untrusted files: byte ranges in order,
// non-overlapping and covering the data area exactly, so decoded tensors are bounded by the file's size.
import Foundation
import Testing
@testable import NeuralCore

@Suite struct SafeTensorsSpecTests {
    /// The bytes of a file with `header` (JSON text) and `data`.
    func file(_ header: String, _ data: [UInt8]) -> Data {
        var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { Array($0) }
        bytes += Array(header.utf8) + data
        return Data(bytes)
    }

    func expectError(_ bytes: Data, containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try SafeTensorsFile.decode(bytes, name: "crafted.safetensors")
            Issue.record("expected an error containing '\(text)'", sourceLocation: sourceLocation)
        } catch let e as SafeTensorsError {
            #expect(e.description.hasPrefix("crafted.safetensors: ") && e.description.contains(text)
                    && !e.description.contains("\n"), "\(e.description)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("wrong error type \(error)", sourceLocation: sourceLocation)
        }
    }

    /// `n` entries that all name the same 4 KB byte range: the issue's aliasing file in miniature. Without the
    /// tiling rule each entry decodes its own copy (n × 4 KB from a 4 KB data area).
    @Test func aliasedRangesAreRefusedBeforeDecoding() {
        let n = 3000
        let entries = (0..<n).map { #""t\#($0)":{"dtype":"F32","shape":[1024],"data_offsets":[0,4096]}"# }
        let bytes = file("{" + entries.joined(separator: ",") + "}", [UInt8](repeating: 0, count: 4096))
        expectError(bytes, containing: "overlap")
    }

    @Test func overlappingRangesAreRefused() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        expectError(file(header, [UInt8](repeating: 0, count: 12)), containing: "overlap tensor a's bytes")
    }

    @Test func aHoleBetweenRangesIsRefused() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        expectError(file(header, [UInt8](repeating: 0, count: 12)), containing: "leave bytes 4..<8 unused")
    }

    @Test func aRangeNotStartingAtZeroIsRefused() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        expectError(file(header, [UInt8](repeating: 0, count: 8)), containing: "leave bytes 0..<4 unused")
    }

    @Test func trailingBytesAreRefused() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        expectError(file(header, [UInt8](repeating: 0, count: 9)), containing: "cover 4 of the data area's 9 bytes")
    }

    @Test func unknownDTypesAreRefused() {
        for dtype in ["F64", "I32", "U8", "BOOL", "F8_E4M3", "f32", ""] {
            let header = #"{"a":{"dtype":"\#(dtype)","shape":[1],"data_offsets":[0,4]}}"#
            expectError(file(header, [0, 0, 0, 0]), containing: "unsupported dtype")
        }
    }

    @Test func malformedHeadersAreRefused() {
        expectError(file("", []), containing: "too short")
        expectError(file(" {}", []), containing: "not a JSON object")
        expectError(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, [0, 0, 0, 0]), containing: "data_offsets")
        expectError(file(#"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]), containing: "shape")
        expectError(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}"#, [0, 0, 0, 0]), containing: "outside")
        expectError(file(#"{"a":7}"#, []), containing: "entry is not an object")
        // Deep nesting must be an error, not a stack overflow in the JSON parser (Foundation's has a depth limit).
        expectError(file("{\"a\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}", []),
                    containing: "header is not valid JSON")
    }

    @Test func emptyTensorsAndAnEmptyFileAreValid() throws {
        let f = try SafeTensorsFile.decode(file(#"{"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"__metadata__":{"k":"v"}}"#, []),
                                           name: "x")
        #expect(f.tensors["e"]?.shape == [0, 3] && f.metadata == ["k": "v"])
        #expect(try SafeTensorsFile.decode(file("{}", []), name: "x").tensors.isEmpty)
    }

    /// What the writer produces is what the reader accepts: ranges in key order, tiling the data area.
    @Test func writtenFilesFollowTheSameRules() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nst-spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("w.safetensors")
        try SafeTensorsFile.write(tensors: ["b": Tensor(shape: [3], data: [1, 2, 3]), "a": Tensor(shape: [0], data: []),
                                           "c": Tensor(scalar: 4)], metadata: ["m": "1"], to: url, dtype: .f16)
        let back = try SafeTensorsFile.read(url)
        #expect(back.tensors["b"]?.data == [1, 2, 3] && back.tensors["c"]?.data == [4] && back.tensors["a"]?.count == 0)
        #expect(throws: SafeTensorsError.self) {
            try SafeTensorsFile.write(tensors: ["__metadata__": Tensor(scalar: 1)], metadata: [:], to: url)
        }
    }
}
