// The one image lister: which files count as images, hidden ones skipped, sorted, recursive on request.
import Foundation
import Testing
@testable import ImageIO

@Suite struct ImageFilesTests {
    @Test func listsImagesSortedSkippingHiddenAndOtherFiles() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nst-list-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let sub = root.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for name in ["b.JPG", "a.png", ".hidden.png", "notes.txt", "c.jpeg", "sub/d.png"] {
            try Data([0]).write(to: root.appendingPathComponent(name))
        }
        // A folder named like an image is not a file.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("e.png"), withIntermediateDirectories: true)
        #expect(try ImageFiles.list(in: root).map(\.lastPathComponent) == ["a.png", "b.JPG", "c.jpeg"])
        #expect(try ImageFiles.list(in: root, recursive: true).map(\.lastPathComponent) == ["a.png", "b.JPG", "c.jpeg", "d.png"])
        #expect(throws: ImageError.self) { try ImageFiles.list(in: root.appendingPathComponent("missing")) }
        #expect(throws: ImageError.self) { try ImageFiles.list(in: root.appendingPathComponent("a.png")) }
    }

    @Test func linksToImagesCountAndLinksToFoldersOrNothingDoNot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nst-links-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let picks = root.appendingPathComponent("picks"), store = root.appendingPathComponent("store")
        try FileManager.default.createDirectory(at: picks, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: store.appendingPathComponent("dir.png"), withIntermediateDirectories: true)
        try Data([0]).write(to: store.appendingPathComponent("x.jpg"))
        let fm = FileManager.default
        try fm.createSymbolicLink(at: picks.appendingPathComponent("x.jpg"), withDestinationURL: store.appendingPathComponent("x.jpg"))
        try fm.createSymbolicLink(at: picks.appendingPathComponent("dir.png"), withDestinationURL: store.appendingPathComponent("dir.png"))
        try fm.createSymbolicLink(at: picks.appendingPathComponent("gone.png"), withDestinationURL: store.appendingPathComponent("gone.png"))
        #expect(try ImageFiles.list(in: picks).map(\.lastPathComponent) == ["x.jpg"])
    }
}
