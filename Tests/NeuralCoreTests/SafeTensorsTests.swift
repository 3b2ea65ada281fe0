// Tests for SafeTensors.swift: round trips and every hostile-file case giving its one-line error.
import Testing
import Foundation
import TestSupport
@testable import NeuralCore

@Suite struct SafeTensorsTests {
    let folder: URL = {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("nst-safetensors-\(getpid())-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }()

    /// Writes a file with a raw header string and data bytes.
    func rawFile(_ name: String, header: String, data: [UInt8] = [], headerLength: UInt64? = nil) -> URL {
        let url = folder.appendingPathComponent(name)
        var bytes = withUnsafeBytes(of: (headerLength ?? UInt64(header.utf8.count)).littleEndian) { Array($0) }
        bytes += Array(header.utf8) + data
        try! Data(bytes).write(to: url)
        return url
    }

    @Test func roundTripF32() throws {
        let url = folder.appendingPathComponent("a.safetensors")
        let a = randomTensor([2, 3, 5], seed: 1), b = Tensor(scalar: 7)
        try SafeTensorsFile.write(tensors: ["conv.weight": a, "b": b], metadata: ["style": "mosaic \"1\"", "n": "2"], to: url)
        let f = try SafeTensorsFile.read(url)
        #expect(f.tensors["conv.weight"]?.shape == [2, 3, 5] && f.tensors["conv.weight"]?.data == a.data)
        #expect(f.tensors["b"]?.shape == [] && f.tensors["b"]?.data == [7])
        #expect(f.metadata == ["style": "mosaic \"1\"", "n": "2"])
        // No temporary file left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func roundTripF16() throws {
        let url = folder.appendingPathComponent("h.safetensors")
        let a = Tensor(shape: [5], data: [0, 1, -2.5, 65504, 1e-3])
        try SafeTensorsFile.write(tensors: ["x": a], metadata: [:], to: url, dtype: .f16)
        let back = try SafeTensorsFile.read(url).tensors["x"]!
        // Half precision: relative error ≤ 2⁻¹¹.
        #expect(zip(back.data, a.data).allSatisfy { abs($0 - $1) <= abs($1) * 4.9e-4 })
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
        #expect(size % 8 == 0 || size > 8 + 10)   // header padded, data 10 bytes
    }

    @Test func readsBF16() throws {
        // BF16 1.0 = 0x3F80, −2.0 = 0xC000.
        let url = rawFile("bf.safetensors", header: #"{"t":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}"#,
                          data: [0x80, 0x3F, 0x00, 0xC0])
        #expect(try SafeTensorsFile.read(url).tensors["t"]?.data == [1, -2])
    }

    func expectError(_ url: URL, containing text: String) {
        do {
            _ = try SafeTensorsFile.read(url)
            Issue.record("expected an error containing \(text)")
        } catch let e as SafeTensorsError {
            let message = e.description
            #expect(message.hasPrefix(url.relativePath + ": ") && message.contains(text) && !message.contains("\n"), "\(message)")
        } catch {
            Issue.record("wrong error type \(error)")
        }
    }

    @Test func hostileFiles() throws {
        let good = #"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let eight: [UInt8] = [0, 0, 128, 63, 0, 0, 0, 64]
        expectError(rawFile("short", header: "", data: [1, 2, 3], headerLength: nil).deletingLastPathComponent()
            .appendingPathComponent("missing.safetensors"), containing: "cannot read")
        let tiny = folder.appendingPathComponent("tiny"); try Data([1, 2, 3]).write(to: tiny)
        expectError(tiny, containing: "truncated")
        expectError(rawFile("beyond", header: good, data: eight, headerLength: 1 << 40), containing: "beyond the file")
        expectError(rawFile("json", header: "{\"t\": [1,", data: eight), containing: "not valid JSON")
        expectError(rawFile("notobj", header: "[1, 2]"), containing: "not a JSON object")
        expectError(rawFile("dtype", header: #"{"t":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: eight),
                    containing: "unsupported dtype I64")
        expectError(rawFile("outside", header: #"{"t":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: eight),
                    containing: "outside the data area")
        expectError(rawFile("mismatch", header: #"{"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: eight),
                    containing: "needs 12")
        expectError(rawFile("truncdata", header: good, data: Array(eight.prefix(5))), containing: "outside the data area")
        expectError(rawFile("shape", header: #"{"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,8]}}"#, data: eight),
                    containing: "shape")
        expectError(rawFile("huge", header: #"{"t":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, data: eight),
                    containing: "larger than the file")
        expectError(rawFile("meta", header: #"{"__metadata__":{"a":1}}"#), containing: "__metadata__")
        // And the good one reads.
        #expect(try SafeTensorsFile.read(rawFile("good", header: good, data: eight)).tensors["t"]?.data == [1, 2])
    }

    @Test func writeErrorNamesFile() {
        let url = folder.appendingPathComponent("no/such/dir/x.safetensors")
        #expect(throws: SafeTensorsError.self) { try SafeTensorsFile.write(tensors: [:], metadata: [:], to: url) }
    }
}

/// F16 tensors decode through a 65,536-entry table (HalfPrecision.halfToFloat): it must hold Float(Float16) for every
/// bit pattern, NaNs included (as NaNs), and a decode must agree with it value by value.
@Suite struct HalfPrecisionTableTests {
    @Test func tableIsTheConversionOfEveryHalf() {
        let table = HalfPrecision.halfToFloat
        #expect(table.count == 65536)
        for bits in 0...UInt16.max {
            let exact = Float(Float16(bitPattern: bits)), got = table[Int(bits)]
            #expect(got.bitPattern == exact.bitPattern || (got.isNaN && exact.isNaN), "half \(bits)")
        }
    }

    @Test func decodeMatchesTheTableAcrossChunks() {
        // 200,003 halves: several parallel chunks and a ragged end.
        let halves = (0..<200_003).map { UInt16(truncatingIfNeeded: $0 &* 7919) }
        let decoded = halves.withUnsafeBytes { HalfPrecision.decode($0, dtype: .f16, count: halves.count) }
        #expect(decoded.count == halves.count)
        #expect(zip(decoded, halves).allSatisfy { $0.bitPattern == HalfPrecision.halfToFloat[Int($1)].bitPattern })
    }
}
