// Tests for IDX.swift: header parsing, corrupt headers, gzip inflation.
import Foundation
import Testing
@testable import Classification

@Suite struct IDXTests {
    func idx(_ shape: [Int], payload: [UInt8], type: UInt8 = 0x08) -> Data {
        var bytes: [UInt8] = [0, 0, type, UInt8(shape.count)]
        for s in shape { bytes += [UInt8(s >> 24 & 255), UInt8(s >> 16 & 255), UInt8(s >> 8 & 255), UInt8(s & 255)] }
        return Data(bytes + payload)
    }

    @Test func parsesShapeAndBytes() throws {
        let file = try IDXFile.parse(idx([2, 3], payload: [1, 2, 3, 4, 5, 6]), name: "t")
        #expect(file.shape == [2, 3])
        #expect(file.bytes == [1, 2, 3, 4, 5, 6])
    }

    @Test(arguments: [
        (Data([0, 0]), "too short"),
        (Data([1, 2, 8, 1, 0, 0, 0, 1, 9]), "not an IDX file"),
        (Data([0, 0, 0x0D, 1, 0, 0, 0, 1, 9]), "element type"),
        (Data([0, 0, 8, 0]), "rank 0"),
        (Data([0, 0, 8, 3, 0, 0, 0, 1]), "truncated header"),
        (Data([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]), "header says [5]"),
    ])
    func corruptHeadersGiveOneLineErrors(data: Data, expected: String) {
        do {
            _ = try IDXFile.parse(data, name: "bad.idx")
            Issue.record("parsed a corrupt file")
        } catch let error as IDXError {
            #expect(error.description.hasPrefix("bad.idx: "))
            #expect(error.description.contains(expected))
            #expect(!error.description.contains("\n"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func readsGzippedFilesAndRejectsTruncatedOnes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idx-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = folder.appendingPathComponent("labels-idx1-ubyte")
        let payload = (0..<1000).map { UInt8($0 % 10) }
        try idx([1000], payload: payload).write(to: plain)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", plain.path]
        try gzip.run(); gzip.waitUntilExit()
        let compressed = try Data(contentsOf: URL(fileURLWithPath: plain.path + ".gz"))
        let file = try IDXFile.read(URL(fileURLWithPath: plain.path + ".gz"))
        #expect(file.shape == [1000] && file.bytes == payload)

        let truncated = folder.appendingPathComponent("cut.gz")
        try compressed.prefix(compressed.count / 2).write(to: truncated)
        #expect(throws: IDXError.self) { try IDXFile.read(truncated) }
        #expect(throws: IDXError.self) { try IDXFile.read(folder.appendingPathComponent("missing.gz")) }
    }

    @Test func missingFashionFolderNamesThePackage() {
        do {
            _ = try FashionMNIST.load(.test, from: URL(fileURLWithPath: "/nonexistent/fashion"))
            Issue.record("loaded from a missing folder")
        } catch {
            #expect("\(error)".contains("dataset-fashion-mnist"))
        }
    }
}
