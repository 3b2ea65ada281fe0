// `ImageInfo`: what a file's headers say (format, size, channels, depth, colour type, progressive, EXIF
// orientation), read without decoding pixels. Backs `nst info`.
import CJPEG
import Foundation

/// Header facts of a PNG or JPEG file. Width and height are as stored, before EXIF orientation.
public struct ImageInfo: Equatable, Sendable, Codable {
    /// PNG or JPEG, from the magic bytes.
    public var format: ImageFormat
    /// Stored width and height in pixels.
    public var width: Int, height: Int
    /// Channels in the file: 1 gray, 2 gray+alpha, 3 RGB/YCbCr/palette, 4 RGBA/CMYK (palette with tRNS: 4).
    public var channels: Int
    /// Bits per sample (PNG 1, 2, 4, 8 or 16; JPEG 8 or 12).
    public var bitDepth: Int
    /// PNG: gray, gray+alpha, rgb, rgba, palette. JPEG: gray, ycbcr, rgb, cmyk, ycck.
    public var colorType: String
    /// Palette entries (PNG palette images only).
    public var paletteEntries: Int?
    /// Progressive JPEG or Adam7-interlaced PNG.
    public var progressive: Bool
    /// EXIF orientation (JPEG); `.up` when absent. `Image.load` applies it by default.
    public var orientation: Orientation

    /// Width and height once orientation is applied (what `Image.load` returns).
    public var displaySize: (width: Int, height: Int) {
        orientation.swapsAxes ? (height, width) : (width, height)
    }

    /// Reads the headers of the file at `url`. Throws `ImageError` (missing, unreadable, empty, not PNG or
    /// JPEG, corrupt header). Pixel data is not checked; loading it may still fail.
    public static func read(_ url: URL) throws -> ImageInfo {
        let data = try ImageFile.read(url, limits: .default)
        switch try ImageFile.format(of: data, url: url) {
        case .png: return try png(data, url: url)
        case .jpeg: return try jpeg(data, url: url)
        }
    }

    private static func png(_ data: Data, url: URL) throws -> ImageInfo {
        let header = try PNGHeader(data, url: url)
        let chunks = PNGChunks.headerChunks(data)
        let hasTransparency = chunks.contains { $0.type == "tRNS" }
        let palette = chunks.first { $0.type == "PLTE" }.map { $0.length / 3 }
        return ImageInfo(format: .png, width: header.width, height: header.height,
                         channels: header.fileChannels(hasTransparency: hasTransparency), bitDepth: header.bitDepth,
                         colorType: header.colorTypeName, paletteEntries: header.colorType == 3 ? palette : nil,
                         progressive: header.interlaced, orientation: .up)
    }

    private static func jpeg(_ data: Data, url: URL) throws -> ImageInfo {
        let (header, markers) = try JPEG.header(data, url: url)
        let spaces = [NST_JPEG_SPACE_GRAY: "gray", NST_JPEG_SPACE_YCBCR: "ycbcr", NST_JPEG_SPACE_RGB: "rgb",
                      NST_JPEG_SPACE_CMYK: "cmyk", NST_JPEG_SPACE_YCCK: "ycck"]
        return ImageInfo(format: .jpeg, width: Int(header.width), height: Int(header.height),
                         channels: Int(header.components), bitDepth: markers.precision,
                         colorType: spaces[Int(header.color_space)] ?? "unknown", paletteEntries: nil,
                         progressive: header.progressive != 0,
                         orientation: Orientation(rawValue: markers.orientation) ?? .up)
    }
}
