// PNG at the chunk level, without libpng: the IHDR fields (read for limits and `nst info` before decoding)
// and removal of chunks by type (colorimetry chunks around 16-bit coding, see PNG.swift).
import Foundation

/// The IHDR chunk, which the PNG spec requires to come first.
struct PNGHeader {
    var width: Int, height: Int, bitDepth: Int, colorType: Int, interlaced: Bool

    init(_ data: Data, url: URL) throws {
        let b = [UInt8](data.prefix(33))
        guard b.count >= 29 else {
            throw ImageError(url, .corrupt, "truncated or corrupt PNG data (file ends inside the header)")
        }
        guard b[12...15].elementsEqual("IHDR".utf8), PNGChunks.u32(b, 8) == 13 else {
            throw ImageError(url, .corrupt, "truncated or corrupt PNG data (first chunk is not IHDR)")
        }
        width = PNGChunks.u32(b, 16)
        height = PNGChunks.u32(b, 20)
        bitDepth = Int(b[24])
        colorType = Int(b[25])
        interlaced = b[28] != 0
        let depths: [Int: [Int]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard let allowed = depths[colorType], allowed.contains(bitDepth) else {
            throw ImageError(url, .corrupt, "truncated or corrupt PNG data (colour type \(colorType) with bit depth \(bitDepth))")
        }
    }

    /// Channels in the file: gray 1, gray+alpha 2, RGB 3, RGBA 4, palette 3 (4 with a tRNS chunk).
    func fileChannels(hasTransparency: Bool) -> Int {
        switch colorType {
        case 0: return hasTransparency ? 2 : 1
        case 2: return hasTransparency ? 4 : 3
        case 3: return hasTransparency ? 4 : 3
        case 4: return 2
        default: return 4
        }
    }

    var colorTypeName: String {
        ["gray", "", "rgb", "palette", "gray+alpha", "", "rgba"][colorType]
    }
}

enum PNGChunks {
    /// Chunks that make png_image convert 16-bit values between gamma encodings.
    static let colorimetry: Set<String> = ["gAMA", "sRGB", "iCCP", "cHRM"]

    static func u32(_ b: [UInt8], _ at: Int) -> Int {
        Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3])
    }

    /// Type and length of each chunk before the first IDAT (the header part of the file).
    static func headerChunks(_ data: Data) -> [(type: String, length: Int)] {
        let b = [UInt8](data.prefix(1 << 20))
        var chunks: [(String, Int)] = []
        var pos = 8
        while pos + 8 <= b.count {
            let length = u32(b, pos)
            let type = String(decoding: b[(pos + 4)..<(pos + 8)], as: UTF8.self)
            if type == "IDAT" || type == "IEND" { break }
            chunks.append((type, length))
            pos += 12 + length
        }
        return chunks
    }

    /// True when the chunk sequence reaches a complete IEND. libpng stops reading after the image data,
    /// so a file cut inside its last chunks would otherwise load without complaint.
    static func reachesEnd(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            let b = raw.bindMemory(to: UInt8.self)
            var pos = 8
            while pos + 12 <= b.count {
                let length = Int(b[pos]) << 24 | Int(b[pos + 1]) << 16 | Int(b[pos + 2]) << 8 | Int(b[pos + 3])
                guard pos + 12 + length <= b.count else { return false }
                if b[pos + 4] == 0x49, b[pos + 5] == 0x45, b[pos + 6] == 0x4E, b[pos + 7] == 0x44 { return true } // IEND
                pos += 12 + length
            }
            return false
        }
    }

    /// `data` without chunks whose type is in `types`. A truncated tail is kept as is, for libpng to report.
    static func removing(_ types: Set<String>, from data: Data) -> Data {
        let b = [UInt8](data)
        var out = Data(b.prefix(8))
        var pos = 8
        while pos + 8 <= b.count {
            let length = u32(b, pos)
            let end = pos + 12 + length
            guard end <= b.count else { break }
            let type = String(decoding: b[(pos + 4)..<(pos + 8)], as: UTF8.self)
            if !types.contains(type) { out.append(contentsOf: b[pos..<end]) }
            pos = end
        }
        if pos < b.count { out.append(contentsOf: b[pos...]) }
        return out
    }
}
