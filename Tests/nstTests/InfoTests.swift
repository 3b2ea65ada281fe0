// `nst info`: parsing through NST.parseAsRoot, one line per file, JSON output, bad files reported and skipped.
import ArgumentParser
import Foundation
import ImageIO
import Testing
@testable import nst

@Suite struct InfoTests {
    func folderWithImages() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nst-info-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Image(width: 6, height: 4, channels: 3, value: 0.5).save(to: folder.appendingPathComponent("a.jpg"))
        try Image(width: 3, height: 2, channels: 1, value: 0.5).save(to: folder.appendingPathComponent("b.png"))
        try Data("not an image".utf8).write(to: folder.appendingPathComponent("c.jpg"))
        return folder
    }

    func parse(_ arguments: [String]) throws -> NST.Info {
        try #require(try NST.parseAsRoot(arguments) as? NST.Info)
    }

    @Test func oneLinePerFileAndErrorsSeparately() throws {
        let folder = try folderWithImages()
        defer { try? FileManager.default.removeItem(at: folder) }
        let paths = ["a.jpg", "c.jpg", "b.png"].map { folder.appendingPathComponent($0).path }
        let command = try parse(["info"] + paths)
        let (described, errors) = command.describeFiles()
        #expect(described.map(\.line) == ["\(paths[0]): JPEG 6x4, 3 channels (ycbcr), 8-bit, orientation 1",
                          "\(paths[2]): PNG 3x2, 1 channel (gray), 8-bit, orientation 1"])
        #expect(errors == ["\(paths[1]): not a PNG or JPEG file (starts with 6E 6F 74 20)"])
    }

    @Test func jsonIsAnArray() throws {
        let folder = try folderWithImages()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.jpg").path
        let command = try parse(["info", "--json", path])
        #expect(command.outputOptions.json)
        let (described, errors) = command.describeFiles()
        #expect(errors.isEmpty)
        let json = try JSONSerialization.data(withJSONObject: NST.Info.jsonArray(described))
        let array = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        #expect(array.count == 1)
        #expect(array[0]["path"] as? String == path && array[0]["kind"] as? String == "image")
        #expect(array[0]["format"] as? String == "jpeg" && array[0]["width"] as? Int == 6)
        #expect(array[0]["orientation"] as? Int == 1 && array[0]["bitDepth"] as? Int == 8)
    }

    @Test func runExitsWithOneWhenAFileFails() throws {
        let folder = try folderWithImages()
        defer { try? FileManager.default.removeItem(at: folder) }
        try parse(["info", folder.appendingPathComponent("b.png").path]).run()
        #expect(throws: ExitCode(1)) {
            try parse(["info", folder.appendingPathComponent("missing.png").path]).run()
        }
    }

    @Test func needsAtLeastOneFile() {
        #expect(throws: (any Error).self) { try NST.parseAsRoot(["info"]) }
    }
}
