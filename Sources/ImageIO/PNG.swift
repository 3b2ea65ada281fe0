// PNG decode and encode with libpng 1.6's simplified png_image API, which reports errors in
// `warning_or_error` / `message` instead of longjmp. 8- and 16-bit; gray, gray+alpha, RGB, RGBA, palette.
//
// 16-bit files: png_image treats 16-bit data as linear light and converts it if a gAMA/sRGB/iCCP chunk says
// otherwise, and premultiplies alpha. We want the stored values (sRGB-encoded, as with 8-bit), so those
// chunks are dropped before decoding and after encoding, and alpha is (un)premultiplied here.
import CPNG
import Foundation

enum PNG {
    // png.h's PNG_FORMAT_FLAG_* bits (fixed by the libpng 1.6 ABI).
    static let alphaFlag: UInt32 = 0x01, colorFlag: UInt32 = 0x02, linearFlag: UInt32 = 0x04, colormapFlag: UInt32 = 0x08

    /// Decodes `data` (a PNG by magic bytes), checking `limits` from IHDR before any allocation.
    /// Gray+alpha becomes RGBA (Image has 1, 3 or 4 channels); palettes expand to RGB or RGBA.
    static func decode(_ data: Data, url: URL, limits: ImageLimits) throws -> Image {
        let header = try PNGHeader(data, url: url)
        try limits.check(width: header.width, height: header.height, url: url)
        guard PNGChunks.reachesEnd(data) else {
            throw ImageError(url, .corrupt, "truncated or corrupt PNG data (file ends before its IEND chunk)")
        }
        let input = header.bitDepth == 16 ? PNGChunks.removing(PNGChunks.colorimetry, from: data) : data
        return try input.withUnsafeBytes { raw -> Image in
            var image = png_image()
            image.version = UInt32(PNG_IMAGE_VERSION)
            defer { png_image_free(&image) }
            if png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count) == 0 || failed(image) {
                throw corrupt(url, &image)
            }
            guard Int(image.width) == header.width, Int(image.height) == header.height else {
                throw ImageError(url, .corrupt, "truncated or corrupt PNG data (inconsistent header)")
            }
            let hasAlpha = image.format & alphaFlag != 0
            let channels = hasAlpha ? 4 : (image.format & colorFlag != 0 ? 3 : 1)
            let linear = header.bitDepth == 16
            image.format = (channels == 1 ? 0 : colorFlag) | (hasAlpha ? alphaFlag : 0) | (linear ? linearFlag : 0)
            let (w, h) = (header.width, header.height)
            if linear {
                var samples = [UInt16](repeating: 0, count: w * h * channels)
                let ok = samples.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
                if ok == 0 || failed(image) { throw corrupt(url, &image) }
                return planar16(samples, width: w, height: h, channels: channels)
            }
            var samples = [UInt8](repeating: 0, count: w * h * channels)
            let ok = samples.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
            if ok == 0 || failed(image) { throw corrupt(url, &image) }
            return Samples.planar(from: samples, width: w, height: h, channels: channels)
        }
    }

    /// Encodes `image` as an 8- or 16-bit gray, RGB or RGBA PNG.
    static func encode(_ image: Image, bitDepth: Int, url: URL) throws -> Data {
        precondition(bitDepth == 8 || bitDepth == 16, "PNG bit depth must be 8 or 16, got \(bitDepth)")
        let format = (image.channels == 1 ? 0 : colorFlag) | (image.hasAlpha ? alphaFlag : 0)
        if bitDepth == 8 { return try encode8(Samples.interleaved8(image), width: image.width, height: image.height,
                                              channels: image.channels, url: url) }
        let encoded = try encodeRaw(interleaved16(image), width: image.width, height: image.height,
                                    format: format | linearFlag, url: url)
        // png_image labels 16-bit output gAMA 1.0; without the chunk viewers assume sRGB, which our values are.
        return PNGChunks.removing(PNGChunks.colorimetry, from: encoded)
    }

    /// zlib level of 8-bit files: 4 (the lightest of zlib's lazy-matching levels) compresses a 1024×768 result in about
    /// a third of the default 6's time, for a file 0.5 % larger (measured with PIL's encoder, which uses the same zlib;
    /// our writer: 1,234,901 bytes against png_image's 1,229,398 for the same --fast result).
    static let compressionLevel: Int32 = 4

    /// Interleaved 8-bit samples (1–4 channels) as a PNG with an sRGB chunk, through cpng_write8.
    static func encode8(_ samples: [UInt8], width: Int, height: Int, channels: Int, url: URL) throws -> Data {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: 200)
        let ok = samples.withUnsafeBufferPointer { src in
            cpng_write8(src.baseAddress, Int32(width), Int32(height), Int32(channels), compressionLevel, &out, &size,
                        &message, message.count)
        }
        defer { free(out) }
        guard ok != 0, let out else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ImageError(url, .writeFailed, "PNG encoding failed (\(text))")
        }
        return Data(bytes: out, count: size)
    }

    /// Runs png_image_write_to_memory on interleaved samples in `format`, with an optional colour map
    /// (for PNG_FORMAT_FLAG_COLORMAP, where samples are 8-bit indices).
    static func encodeRaw<T>(_ samples: [T], width: Int, height: Int, format: UInt32, colormap: [UInt8]? = nil,
                             url: URL) throws -> Data {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = format
        image.colormap_entries = UInt32((colormap?.count ?? 0) / ((format & alphaFlag != 0) ? 4 : 3))
        defer { png_image_free(&image) }
        // One compression pass into a buffer that fits any result (the raw rows, zlib's stored-block overhead and
        // the chunk headers, with room to spare); png_image_write_to_memory would otherwise be called twice, once
        // just to size the output, which doubled the time of writing a 1024×768 result. If the bound is ever short,
        // the call reports the size it needs and the second pass runs.
        let channels = (format & colorFlag != 0 ? 3 : 1) + (format & alphaFlag != 0 ? 1 : 0)
        let raw = height * (1 + width * channels * MemoryLayout<T>.size)
        var size = png_alloc_size_t(raw + raw / 1024 + 4096 + (colormap?.count ?? 0))
        return try samples.withUnsafeBytes { src -> Data in
            try (colormap ?? []).withUnsafeBytes { map -> Data in
                let mapPointer = colormap == nil ? nil : map.baseAddress
                var out = Data(count: Int(size))
                var ok = out.withUnsafeMutableBytes {
                    png_image_write_to_memory(&image, $0.baseAddress, &size, 0, src.baseAddress, 0, mapPointer)
                }
                if ok == 0 && !failed(image) && Int(size) > out.count {
                    out = Data(count: Int(size))
                    ok = out.withUnsafeMutableBytes {
                        png_image_write_to_memory(&image, $0.baseAddress, &size, 0, src.baseAddress, 0, mapPointer)
                    }
                }
                guard ok != 0, !failed(image) else { throw writeFailed(url, &image) }
                return out.prefix(Int(size))
            }
        }
    }

    private static func failed(_ image: png_image) -> Bool { image.warning_or_error & 0x03 > 1 }

    private static func message(_ image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    private static func corrupt(_ url: URL, _ image: inout png_image) -> ImageError {
        ImageError(url, .corrupt, "truncated or corrupt PNG data (\(message(&image)))")
    }

    private static func writeFailed(_ url: URL, _ image: inout png_image) -> ImageError {
        ImageError(url, .writeFailed, "PNG encoding failed (\(message(&image)))")
    }

    /// Planar Floats from png_image's 16-bit output, undoing its alpha premultiplication.
    private static func planar16(_ samples: [UInt16], width: Int, height: Int, channels: Int) -> Image {
        let n = width * height
        var out = [Float](repeating: 0, count: n * channels)
        samples.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n {
                    let alpha = channels == 4 ? Float(src[i * 4 + 3]) : 65535
                    for c in 0..<channels {
                        let v = Float(src[i * channels + c])
                        dst[c * n + i] = (c == 3 || alpha == 65535) ? v / 65535 : (alpha > 0 ? min(1, v / alpha) : 0)
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: out)
    }

    /// Interleaved 16-bit samples, colour premultiplied by alpha as png_image expects for linear formats.
    private static func interleaved16(_ image: Image) -> [UInt16] {
        let (n, channels) = (image.planeSize, image.channels)
        var out = [UInt16](repeating: 0, count: n * channels)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n {
                    let alpha = channels == 4 ? min(1, max(0, src[3 * n + i])) : 1
                    for c in 0..<channels {
                        var v = src[c * n + i]
                        if c < 3 { v *= alpha }
                        dst[i * channels + c] = v > 0 ? UInt16(min(65535, v * 65535 + 0.5)) : 0
                    }
                }
            }
        }
        return out
    }
}
