// JPEG decode and encode through the CJPEG shim (libjpeg-turbo): baseline and progressive, gray, YCbCr,
// CMYK and Adobe-inverted CMYK in; gray or RGB out at a chosen quality with 4:2:0 or 4:4:4 chroma.
import CJPEG
import Foundation

/// Chroma resolution of written JPEGs.
public enum ChromaSubsampling: String, Sendable, CaseIterable {
    /// Chroma at half resolution on both axes: smaller files, the usual choice for photos.
    case yuv420
    /// Full-resolution chroma: sharper colour edges, larger files.
    case yuv444
}

enum JPEG {
    /// Header facts from libjpeg plus our own marker walk (precision, EXIF orientation).
    static func header(_ data: Data, url: URL) throws -> (nst_jpeg_header, JPEGMarkers) {
        var header = nst_jpeg_header()
        var message = [CChar](repeating: 0, count: Int(NST_JPEG_MESSAGE_SIZE))
        let status = data.withUnsafeBytes { raw in
            nst_jpeg_read_header(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, &header, &message)
        }
        if status != 0 { throw corrupt(url, message) }
        return (header, JPEGMarkers(data))
    }

    /// Decodes `data`, checking `limits` from the header before allocating; applies EXIF orientation if asked.
    static func decode(_ data: Data, url: URL, limits: ImageLimits, applyOrientation: Bool) throws -> Image {
        let (header, markers) = try self.header(data, url: url)
        let (w, h) = (Int(header.width), Int(header.height))
        try limits.check(width: w, height: h, url: url)
        let channels = Int(header.color_space) == NST_JPEG_SPACE_GRAY ? 1 : 3
        var interleaved = [UInt8](repeating: 0, count: w * h * channels)
        var message = [CChar](repeating: 0, count: Int(NST_JPEG_MESSAGE_SIZE))
        var decodedChannels: Int32 = 0
        let status = data.withUnsafeBytes { raw in
            interleaved.withUnsafeMutableBufferPointer { out in
                nst_jpeg_decode(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, out.baseAddress, out.count,
                                Int32(clamping: limits.maxProgressiveScans),
                                &decodedChannels, &message)
            }
        }
        if status != 0 { throw corrupt(url, message) }
        let image = Samples.planar(from: interleaved, width: w, height: h, channels: channels)
        guard applyOrientation, let orientation = Orientation(rawValue: markers.orientation) else { return image }
        return image.oriented(orientation)
    }

    /// Encodes gray or RGB `image` (RGBA is flattened onto white first). `quality` is clamped to 1...100.
    static func encode(_ image: Image, quality: Int, chroma: ChromaSubsampling, progressive: Bool = false,
                       url: URL) throws -> Data {
        let source = image.channels == 4 ? image.flattenedAlpha() : image
        let samples = Samples.interleaved8(source)
        return try encodeSamples(samples, width: source.width, height: source.height, components: source.channels,
                                 quality: quality, chroma: chroma, progressive: progressive, url: url)
    }

    /// Encodes interleaved 8-bit samples; components 4 writes Adobe-inverted CMYK (used by tests).
    static func encodeSamples(_ samples: [UInt8], width: Int, height: Int, components: Int, quality: Int,
                              chroma: ChromaSubsampling, progressive: Bool, url: URL) throws -> Data {
        var buffer: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        var message = [CChar](repeating: 0, count: Int(NST_JPEG_MESSAGE_SIZE))
        let status = samples.withUnsafeBufferPointer { src in
            nst_jpeg_encode(src.baseAddress, Int32(width), Int32(height), Int32(components),
                            Int32(min(100, max(1, quality))), chroma == .yuv444 ? 1 : 0, progressive ? 1 : 0,
                            &buffer, &size, &message)
        }
        guard status == 0, let buffer else {
            throw ImageError(url, .writeFailed, "JPEG encoding failed (\(String(cString: message)))")
        }
        defer { nst_jpeg_free(buffer) }
        return Data(bytes: buffer, count: Int(size))
    }

    private static func corrupt(_ url: URL, _ message: [CChar]) -> ImageError {
        ImageError(url, .corrupt, "truncated or corrupt JPEG data (\(String(cString: message)))")
    }
}

/// Conversions between planar Float images and interleaved integer samples.
enum Samples {
    /// k / 255 for every byte k: exact values without a division per sample.
    static let byteToUnit: [Float] = (0...255).map { Float($0) / 255 }

    /// Planar 0...1 Floats from interleaved 8-bit samples.
    static func planar(from samples: [UInt8], width: Int, height: Int, channels: Int) -> Image {
        let n = width * height
        var out = [Float](repeating: 0, count: n * channels)
        samples.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                byteToUnit.withUnsafeBufferPointer { table in
                    let dst = dst
                    // One plane row per task: contiguous writes, strided reads.
                    Image.parallelChunks(channels * height, work: n * channels) { rows in
                        for r in rows {
                            let (c, y) = r.quotientAndRemainder(dividingBy: height)
                            let from = src.baseAddress! + y * width * channels + c
                            let to = dst.baseAddress! + c * n + y * width
                            for x in 0..<width { to[x] = table[Int(from[x * channels])] }
                        }
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: out)
    }

    /// Interleaved 8-bit samples, rounded and clamped to 0...255.
    static func interleaved8(_ image: Image) -> [UInt8] {
        let (n, channels) = (image.planeSize, image.channels)
        var out = [UInt8](repeating: 0, count: n * channels)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n {
                    for c in 0..<channels {
                        let v = src[c * n + i]
                        // NaN compares false both ways, so it lands on 0 rather than trapping.
                        dst[i * channels + c] = v > 0 ? UInt8(min(255, v * 255 + 0.5)) : 0
                    }
                }
            }
        }
        return out
    }
}
