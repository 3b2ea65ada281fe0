// JPEG: quality round trip (PSNR bound), progressive decode, 4:4:4, grayscale, CMYK and Adobe-inverted CMYK.
import Foundation
import Testing
@testable import ImageIO

@Suite struct JPEGTests {
    let url = URL(fileURLWithPath: "test.jpg")

    @Test func smoothImageAtQuality95KeepsPSNRAbove35dB() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = smoothImage(width: 64, height: 48)
        let file = folder.appendingPathComponent("smooth.jpeg")
        try image.save(to: file, quality: 95)
        let loaded = try Image.load(file)
        #expect(loaded.width == 64 && loaded.height == 48 && loaded.channels == 3)
        #expect(psnr(loaded, image) >= 35)  // bound: 35 dB at q95, 4:2:0
    }

    @Test func fullChromaIsAtLeastAsGoodOnColourEdges() throws {
        // Hard red/blue stripes one pixel wide: 4:2:0 blurs them, 4:4:4 keeps them.
        var image = Image(width: 32, height: 32, channels: 3)
        for y in 0..<32 { for x in 0..<32 { image[x: x, y: y, c: x % 2 == 0 ? 0 : 2] = 1 } }
        let sub = try Image.decode(image.encoded(as: .jpeg, quality: 90, chroma: .yuv420), name: "a.jpg")
        let full = try Image.decode(image.encoded(as: .jpeg, quality: 90, chroma: .yuv444), name: "b.jpg")
        #expect(psnr(full, image) > psnr(sub, image) + 3)  // at least 3 dB better
    }

    @Test func progressiveDecodesLikeBaseline() throws {
        let image = smoothImage(width: 40, height: 24)
        let samples = Samples.interleaved8(image)
        let progressive = try JPEG.encodeSamples(samples, width: 40, height: 24, components: 3, quality: 95,
                                                 chroma: .yuv420, progressive: true, url: url)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("progressive.jpg")
        try progressive.write(to: file)
        #expect(try ImageInfo.read(file).progressive)
        let decoded = try Image.load(file)
        #expect(psnr(decoded, image) >= 35)
    }

    @Test func grayscaleStaysOneChannel() throws {
        let image = randomImage(width: 16, height: 16, channels: 1, levels: 4)
        let decoded = try Image.decode(image.encoded(as: .jpeg, quality: 100), name: "g.jpg")
        #expect(decoded.channels == 1)
        #expect(psnr(decoded, image) >= 30)  // noise at q100: 30 dB bound
    }

    @Test func rgbaIsFlattenedOntoWhite() throws {
        // Fully transparent black must come out white.
        let image = Image(width: 8, height: 8, channels: 4, value: 0)
        let decoded = try Image.decode(image.encoded(as: .jpeg), name: "a.jpg")
        #expect(decoded.channels == 3)
        #expect(decoded.pixels.allSatisfy { $0 > 0.99 })
    }

    /// 16x16 flat CMYK (0, 0.5, 1, 0.2) written Adobe-inverted, as Photoshop does.
    func cmykFile() throws -> Data {
        let pixel: [UInt8] = [0, 128, 255, 51]
        let samples = Array((0..<256).map { _ in pixel }.joined())
        return try JPEG.encodeSamples(samples, width: 16, height: 16, components: 4, quality: 100,
                                      chroma: .yuv444, progressive: false, url: url)
    }

    @Test func adobeCMYKConvertsToRGB() throws {
        let decoded = try Image.decode(cmykFile(), name: "cmyk.jpg")
        #expect(decoded.channels == 3)
        // R = (1-C)(1-K) = 0.8, G = (1-0.5)(0.8) = 0.4, B = 0; tolerance 3/255 for JPEG rounding.
        let expected: [Float] = [0.8, 128.0 / 255 * 0.8, 0]
        for c in 0..<3 { #expect(abs(decoded[x: 5, y: 9, c: c] - expected[c]) <= 3 / 255) }
    }

    @Test func cmykWithoutAdobeMarkerIsReadAsPlainCMYK() throws {
        // Remove APP14: the stored bytes s = 1 - v are then taken as plain CMYK, so R = (1 - s_c)(1 - s_k) = v_c * v_k.
        var bytes = [UInt8](try cmykFile())
        let app14 = try #require((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xEE })
        let length = Int(bytes[app14 + 2]) << 8 | Int(bytes[app14 + 3])
        bytes.removeSubrange(app14..<(app14 + 2 + length))
        let info = try infoOfBytes(bytes)
        #expect(info.colorType == "cmyk" && info.channels == 4)
        let decoded = try Image.decode(Data(bytes), name: "plain.jpg")
        let expected: [Float] = [0 * 0.2, 128.0 / 255 * 0.2, 1 * 0.2]
        for c in 0..<3 { #expect(abs(decoded[x: 3, y: 3, c: c] - expected[c]) <= 3 / 255) }
    }

    private func infoOfBytes(_ bytes: [UInt8]) throws -> ImageInfo {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("x.jpg")
        try Data(bytes).write(to: file)
        return try ImageInfo.read(file)
    }
}
