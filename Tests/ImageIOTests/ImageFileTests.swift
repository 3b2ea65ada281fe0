// Hostile and broken files, made here: each must throw an ImageError whose description is one line
// naming the file. Never a crash, never a garbage image.
import Foundation
import Testing
@testable import ImageIO

@Suite struct ImageFileTests {
    /// Noise, so the compressed data is long and every cut lands in real data.
    static let png = try! randomImage(width: 48, height: 40, channels: 3, seed: 21).encoded(as: .png)
    static let jpeg = try! randomImage(width: 48, height: 40, channels: 3, seed: 22).encoded(as: .jpeg, quality: 90)
    static let progressiveJPEG = try! JPEG.encodeSamples(
        Samples.interleaved8(randomImage(width: 48, height: 40, channels: 3, seed: 23)), width: 48, height: 40,
        components: 3, quality: 90, chroma: .yuv420, progressive: true, url: URL(fileURLWithPath: "p.jpg"))

    /// Writes `bytes` as `name` in a fresh folder and returns the error loading it throws.
    func loadError(_ bytes: Data, name: String) throws -> ImageError {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(name)
        try bytes.write(to: url)
        return try expectOneLineError(url)
    }

    func expectOneLineError(_ url: URL) throws -> ImageError {
        do {
            let image = try Image.load(url)
            Issue.record("\(url.lastPathComponent) loaded as \(image.width)x\(image.height); expected an error")
            throw ImageError(path: url.path, kind: .corrupt, problem: "unexpectedly loaded")
        } catch let error as ImageError {
            #expect(error.description.hasPrefix(url.path + ": "))
            #expect(error.description.contains(url.lastPathComponent))
            #expect(!error.description.contains("\n"))
            return error
        }
    }

    static func cuts(_ count: Int) -> [Int] { [10, 50, 100, count / 2, count * 9 / 10, count - 1] }

    @Test(arguments: cuts(png.count))
    func truncatedPNG(at length: Int) throws {
        let error = try loadError(Self.png.prefix(length), name: "cut.png")
        #expect(error.kind == .corrupt)
        #expect(error.problem.hasPrefix("truncated or corrupt PNG data ("))
    }

    @Test(arguments: cuts(jpeg.count))
    func truncatedJPEG(at length: Int) throws {
        let error = try loadError(Self.jpeg.prefix(length), name: "cut.jpg")
        #expect(error.kind == .corrupt)
        #expect(error.problem.hasPrefix("truncated or corrupt JPEG data ("))
    }

    @Test(arguments: cuts(progressiveJPEG.count))
    func truncatedProgressiveJPEG(at length: Int) throws {
        #expect(try loadError(Self.progressiveJPEG.prefix(length), name: "cut-progressive.jpg").kind == .corrupt)
    }

    @Test func corruptedScanDataIsAnError() throws {
        // Overwrite the middle of the entropy-coded data with markers: libjpeg warns, we refuse.
        var bytes = [UInt8](Self.jpeg)
        for i in stride(from: bytes.count / 2, to: bytes.count / 2 + 64, by: 2) { bytes[i] = 0xFF; bytes[i + 1] = 0xD9 }
        #expect(try loadError(Data(bytes), name: "bitrot.jpg").kind == .corrupt)
        var png = [UInt8](Self.png)
        png[png.count / 2] ^= 0xFF  // breaks the IDAT CRC
        #expect(try loadError(Data(png), name: "bitrot.png").kind == .corrupt)
    }

    @Test func emptyFile() throws {
        let error = try loadError(Data(), name: "empty.png")
        #expect(error.kind == .empty && error.problem == "file is empty")
    }

    @Test func wrongMagicQuotesTheFirstBytes() throws {
        let error = try loadError(Data("GIF89a....".utf8), name: "style.jpg")
        #expect(error.problem == "not a PNG or JPEG file (starts with 47 49 46 38)")
    }

    @Test func textFileNamedJPG() throws {
        let error = try loadError(Data("just some notes\n".utf8), name: "notes.jpg")
        #expect(error.kind == .unknownFormat)
    }

    @Test func hugePNGHeaderIsRefusedBeforeAllocating() throws {
        let ihdr = bigEndian32(100_000) + bigEndian32(100_000) + [8, 2, 0, 0, 0]
        let bytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + pngChunk("IHDR", ihdr)
            + pngChunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) + pngChunk("IEND", [])
        let error = try loadError(Data(bytes), name: "big.png")
        #expect(error.kind == .tooLarge)
        #expect(error.problem == "100000x100000 pixels exceeds the limit of 100000000")
    }

    @Test func limitsAreConfigurable() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("small.jpg")
        try Self.jpeg.write(to: url)
        #expect(throws: ImageError.self) { try Image.load(url, limits: ImageLimits(maxPixels: 48 * 40 - 1)) }
        #expect(try Image.load(url, limits: ImageLimits(maxPixels: 48 * 40)).width == 48)
        #expect(throws: ImageError.self) { try Image.load(url, limits: ImageLimits(maxFileBytes: 100)) }
    }

    @Test func missingFile() throws {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/missing.jpg")
        #expect(try expectOneLineError(url).problem == "no such file")
    }

    @Test func directory() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("photos.png")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        #expect(try expectOneLineError(url).kind == .isDirectory)
    }

    // Root reads anything, so the permission case can only be observed as another user.
    @Test(.enabled(if: getuid() != 0)) func unreadableFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("locked.png")
        try Self.png.write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: url.path)
        #expect(try expectOneLineError(url).kind == .unreadable)
    }
}
