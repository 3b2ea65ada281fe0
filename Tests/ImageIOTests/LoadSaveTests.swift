// Loading by magic bytes, saving by extension, and the shared data tree loading whole.
import Foundation
import Testing
@testable import ImageIO

@Suite struct LoadSaveTests {
    @Test func formatComesFromMagicNotExtension() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = randomImage(width: 5, height: 4, channels: 3)
        let url = folder.appendingPathComponent("actually-a-png.jpg")
        try image.encoded(as: .png).write(to: url)
        #expect(try ImageInfo.read(url).format == .png)
        #expect(try Image.load(url) == Image.load(url) && maxDifference(try Image.load(url).pixels, image.pixels) < 1e-6)
    }

    @Test(arguments: ["a.png", "b.PNG", "c.jpg", "d.JPEG", "e.jpeg"])
    func outputFormatFromExtension(name: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(name)
        try smoothImage(width: 16, height: 16).save(to: url)
        let expected: ImageFormat = name.lowercased().hasSuffix("png") ? .png : .jpeg
        #expect(try ImageInfo.read(url).format == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [name])  // no temp left
    }

    @Test func defaultJPEGIsQuality92With420() throws {
        let image = smoothImage(width: 64, height: 64)
        #expect(try image.encoded(as: .jpeg) == image.encoded(as: .jpeg, quality: 92, chroma: .yuv420))
        #expect(try image.encoded(as: .jpeg) != image.encoded(as: .jpeg, quality: 50))
    }

    /// /work/shared/data in this checkout's layout: <repo>/../shared/data.
    static let sharedData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sharedData.path)))
    func sharedDataTreeLoads() throws {
        let files = FileManager.default.enumerator(at: Self.sharedData, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }
            .filter { ["png", "jpg", "jpeg"].contains($0.pathExtension.lowercased()) }
        #expect(files.count > 0)
        for url in files {
            let info = try ImageInfo.read(url)
            let image = try Image.load(url)
            #expect(image.width == info.displaySize.width && image.height == info.displaySize.height)
            #expect([1, 3, 4].contains(image.channels))
            #expect(image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
    }
}
