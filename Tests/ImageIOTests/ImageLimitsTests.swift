// Decoding limits of untrusted images (ImageError.swift's ImageLimits, JPEG.swift, cjpeg_shim.c, AtomicWrite.swift):
// progressive JPEG scans are capped, and written images are complete files or nothing.
import Foundation
import Testing
@testable import ImageIO

@Suite struct ImageLimitsTests {
    /// libjpeg's default progression writes 10 scans for a colour image: a cap of 5 refuses it, the default accepts it.
    @Test func progressiveScansAreCapped() throws {
        let data = ImageFileTests.progressiveJPEG
        let url = URL(fileURLWithPath: "many-scans.jpg")
        do {
            _ = try JPEG.decode(data, url: url, limits: ImageLimits(maxProgressiveScans: 5), applyOrientation: true)
            Issue.record("a 10-scan JPEG decoded under a 5-scan cap")
        } catch let error as ImageError {
            #expect(error.description == "many-scans.jpg: truncated or corrupt JPEG data (progressive JPEG has more than 5 scans)"
                    || error.description.contains("more than 5 scans"), "\(error)")
        }
        let image = try JPEG.decode(data, url: url, limits: .default, applyOrientation: true)
        #expect(image.width == 48 && image.height == 40)
        // A baseline file has one scan: even a cap of 1 reads it.
        let baseline = try JPEG.decode(ImageFileTests.jpeg, url: url, limits: ImageLimits(maxProgressiveScans: 1), applyOrientation: true)
        #expect(baseline.width == 48)
    }

    @Test func defaultLimits() {
        #expect(ImageLimits.default.maxPixels == 100_000_000 && ImageLimits.default.maxProgressiveScans == 500)
    }

    /// Saving goes through a temporary file that is flushed and renamed: the folder ends with the image only.
    @Test func savedImagesLeaveNoTemporaryFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("out.png")
        try Image(width: 4, height: 3, channels: 3, value: 0.5).save(to: url)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.png"])
        #expect(try Image.load(url).width == 4)
        #expect(throws: ImageError.self) { try Image(width: 4, height: 3, channels: 3, value: 0.5).save(to: folder.appendingPathComponent("out.tif")) }
    }
}
