// PNG round trips: 8-bit exact, 16-bit within 1/65535, gray, gray+alpha, RGBA, palette.
import Foundation
import Testing
@testable import ImageIO

@Suite struct PNGTests {
    @Test(arguments: [1, 3, 4])
    func eightBitRoundTripIsExact(channels: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = randomImage(width: 13, height: 7, channels: channels, levels: 255, seed: UInt64(channels))
        let url = folder.appendingPathComponent("a.png")
        try image.save(to: url)
        let loaded = try Image.load(url)
        #expect(loaded.channels == channels)
        // Values are k/255 and come back as k/255: difference only from Float rounding (< 1e-6).
        #expect(maxDifference(loaded.pixels, image.pixels) < 1e-6)
    }

    @Test(arguments: [1, 3])
    func sixteenBitRoundTripWithinOneStep(channels: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = randomImage(width: 11, height: 5, channels: channels, levels: 65535, seed: 7)
        let url = folder.appendingPathComponent("deep.png")
        try image.save(to: url, bitDepth: 16)
        #expect(try ImageInfo.read(url).bitDepth == 16)
        let loaded = try Image.load(url)
        #expect(loaded.channels == channels)
        #expect(maxDifference(loaded.pixels, image.pixels) <= 1 / 65535)
    }

    @Test func sixteenBitRGBAWithinPremultiplicationError() throws {
        // png_image premultiplies 16-bit colour by alpha; with alpha >= 0.5 the colour error stays
        // under 3/65535 (quantisation of c*a, divided by a >= 0.5, plus rounding).
        var image = randomImage(width: 9, height: 6, channels: 4, levels: 65535, seed: 3)
        for i in 0..<image.planeSize { image.pixels[3 * image.planeSize + i] = 0.5 + image.pixels[3 * image.planeSize + i] / 2 }
        let data = try image.encoded(as: .png, bitDepth: 16)
        let loaded = try Image.decode(data, name: "rgba16.png")
        #expect(loaded.channels == 4)
        #expect(maxDifference(loaded.pixels, image.pixels) <= 3 / 65535)
    }

    /// 8-bit files come from cpng_write8 (zlib level 4): every channel count round-trips exactly, and the file says
    /// sRGB, as png_image's files did.
    @Test(arguments: [1, 3, 4])
    func eightBitFilesRoundTripExactlyAndSaySRGB(_ channels: Int) throws {
        let image = randomImage(width: 37, height: 23, channels: channels, levels: 255, seed: UInt64(channels))
        let data = try image.encoded(as: .png, bitDepth: 8)
        #expect(PNGChunks.headerChunks(data).map(\.type).prefix(2) == ["IHDR", "sRGB"])
        let loaded = try Image.decode(data, name: "eight.png")
        #expect(loaded.channels == channels && loaded.width == 37 && loaded.height == 23)
        #expect(maxDifference(loaded.pixels, image.pixels) <= 1e-6)   // the same 8-bit levels back
    }

    @Test func sixteenBitFileHasNoGammaChunk() throws {
        // Without gAMA, viewers treat the values as sRGB, which they are.
        let data = try randomImage(width: 4, height: 4, channels: 3, levels: 65535).encoded(as: .png, bitDepth: 16)
        let types = PNGChunks.headerChunks(data).map(\.type)
        #expect(!types.contains("gAMA") && !types.contains("sRGB"))
        #expect(types.first == "IHDR")
    }

    @Test func grayAlphaLoadsAsRGBA() throws {
        // Gray+alpha written with png_image's GA format; Image has no 2-channel form, so it loads as RGBA.
        let gray: [UInt8] = [0, 50, 100, 150, 200, 255], alpha: [UInt8] = [255, 0, 30, 128, 200, 255]
        let samples = zip(gray, alpha).flatMap { [$0, $1] }
        let data = try PNG.encodeRaw(samples, width: 3, height: 2, format: PNG.alphaFlag, url: URL(fileURLWithPath: "ga.png"))
        let info = try infoOf(data, name: "ga.png")
        #expect(info.colorType == "gray+alpha" && info.channels == 2)
        let image = try Image.decode(data, name: "ga.png")
        #expect(image.channels == 4)
        for i in 0..<6 {
            for c in 0..<3 { #expect(image.pixels[c * 6 + i] == Float(gray[i]) / 255) }
            #expect(image.pixels[18 + i] == Float(alpha[i]) / 255)
        }
    }

    @Test func paletteExpandsToColours() throws {
        let palette: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]
        let indices: [UInt8] = [0, 1, 2, 3, 3, 2, 1, 0]
        let data = try PNG.encodeRaw(indices, width: 4, height: 2, format: PNG.colorFlag | PNG.colormapFlag,
                                     colormap: palette, url: URL(fileURLWithPath: "palette.png"))
        let info = try infoOf(data, name: "palette.png")
        #expect(info.colorType == "palette" && info.paletteEntries == 4)
        let image = try Image.decode(data, name: "palette.png")
        #expect(image.channels == 3)
        for (i, index) in indices.enumerated() {
            for c in 0..<3 { #expect(image.pixels[c * 8 + i] == Float(palette[Int(index) * 3 + c]) / 255) }
        }
    }

    @Test func paletteWithTransparencyLoadsAsRGBA() throws {
        let palette: [UInt8] = [255, 0, 0, 255, 0, 0, 255, 64]
        let indices: [UInt8] = [0, 1, 1, 0]
        let format = PNG.colorFlag | PNG.alphaFlag | PNG.colormapFlag
        let data = try PNG.encodeRaw(indices, width: 2, height: 2, format: format, colormap: palette,
                                     url: URL(fileURLWithPath: "trns.png"))
        let image = try Image.decode(data, name: "trns.png")
        #expect(image.channels == 4)
        #expect(image[x: 1, y: 0, c: 2] == 1 && image[x: 1, y: 0, c: 3] == 64 / 255)
        #expect(image[x: 0, y: 0, c: 0] == 1 && image[x: 0, y: 0, c: 3] == 1)
    }

    private func infoOf(_ data: Data, name: String) throws -> ImageInfo {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(name)
        try data.write(to: url)
        return try ImageInfo.read(url)
    }
}
