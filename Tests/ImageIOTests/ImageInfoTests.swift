// ImageInfo: header facts without decoding.
import Foundation
import Testing
@testable import ImageIO

@Suite struct ImageInfoTests {
    @Test func describesPNGAndJPEG() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let png = folder.appendingPathComponent("a.png"), jpeg = folder.appendingPathComponent("b.jpg")
        try randomImage(width: 7, height: 3, channels: 4).save(to: png)
        try randomImage(width: 9, height: 5, channels: 1).save(to: jpeg)
        let pngInfo = try ImageInfo.read(png)
        #expect(pngInfo == ImageInfo(format: .png, width: 7, height: 3, channels: 4, bitDepth: 8, colorType: "rgba",
                                     paletteEntries: nil, progressive: false, orientation: .up))
        let jpegInfo = try ImageInfo.read(jpeg)
        #expect(jpegInfo == ImageInfo(format: .jpeg, width: 9, height: 5, channels: 1, bitDepth: 8, colorType: "gray",
                                      paletteEntries: nil, progressive: false, orientation: .up))
    }

    @Test func headerOnlyReadsTruncatedFiles() throws {
        // Info needs only the header: a JPEG cut in its scan data is still described.
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("cut.jpg")
        let data = try smoothImage(width: 64, height: 64).encoded(as: .jpeg)
        try data.prefix(data.count * 3 / 4).write(to: url)
        #expect(try ImageInfo.read(url).width == 64)
        #expect(throws: ImageError.self) { try Image.load(url) }
    }
}
