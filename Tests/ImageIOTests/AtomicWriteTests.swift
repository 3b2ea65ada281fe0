// Atomic writes: replace in place, leave no temporary files, keep the old file when writing fails.
import Foundation
import Testing
@testable import ImageIO

@Suite struct AtomicWriteTests {
    struct Boom: Error {}

    @Test func writesAndReplaces() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("out.bin")
        try writeAtomically(Data([1, 2, 3]), to: url)
        try writeAtomically(Data([4, 5]), to: url)
        #expect(try Data(contentsOf: url) == Data([4, 5]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.bin"])
    }

    @Test func failedWriterLeavesTheOldFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("keep.bin")
        try writeAtomically(Data([7]), to: url)
        #expect(throws: Boom.self) {
            try writeAtomically(to: url) { temporary in
                try Data([8, 8, 8]).write(to: temporary)
                throw Boom()
            }
        }
        #expect(try Data(contentsOf: url) == Data([7]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["keep.bin"])
    }

    @Test func missingFolderIsAOneLineError() throws {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/x.png")
        do {
            try writeAtomically(Data([1]), to: url)
            Issue.record("expected a FileWriteError")
        } catch let error as FileWriteError {
            #expect(error.description.hasPrefix(url.path + ": "))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func saveRejectsUnknownExtensionsAndKeepsOldFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = Image(width: 2, height: 2, channels: 3, value: 0.5)
        let bad = folder.appendingPathComponent("out.gif")
        #expect(throws: ImageError.self) { try image.save(to: bad) }
        do { try image.save(to: bad) } catch {
            #expect("\(error)" == "\(bad.path): cannot write extension .gif (supported: .png, .jpg, .jpeg)")
        }
        #expect(!FileManager.default.fileExists(atPath: bad.path))
    }
}
