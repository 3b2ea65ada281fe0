// A JPEG marker walk (SOI up to SOS) for what libjpeg's header does not expose simply: the EXIF orientation
// (APP1 "Exif", TIFF IFD0 tag 0x0112, either byte order). Every read is bounds-checked: hostile input gives nil.
import Foundation

struct JPEGMarkers {
    /// SOF marker byte (0xC0 baseline, 0xC1 extended, 0xC2 progressive, ...), if one was found.
    var frameMarker: UInt8?
    /// Sample precision in bits from the SOF segment.
    var precision = 8
    /// EXIF orientation 1...8; 1 when absent or malformed.
    var orientation = 1

    init(_ data: Data) {
        let bytes = [UInt8](data.prefix(1 << 20))  // headers live in the first megabyte; scans are not walked
        var pos = 2
        while pos + 4 <= bytes.count {
            guard bytes[pos] == 0xFF else { return }
            var marker = bytes[pos + 1]
            pos += 2
            while marker == 0xFF, pos < bytes.count {  // fill bytes
                marker = bytes[pos]
                pos += 1
            }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { continue }
            if marker == 0xD9 || marker == 0xDA { return }
            guard pos + 2 <= bytes.count else { return }
            let length = Int(bytes[pos]) << 8 | Int(bytes[pos + 1])
            guard length >= 2, pos + length <= bytes.count else { return }
            let segment = bytes[(pos + 2)..<(pos + length)]
            switch marker {
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                if frameMarker == nil {
                    frameMarker = marker
                    if let p = segment.first { precision = Int(p) }
                }
            case 0xE1:
                if orientation == 1, let o = JPEGMarkers.exifOrientation(Array(segment)) { orientation = o }
            default: break
            }
            pos += length
        }
    }

    /// Orientation from an APP1 payload ("Exif\0\0" then a TIFF header), or nil.
    static func exifOrientation(_ app1: [UInt8]) -> Int? {
        guard app1.count >= 14, app1.starts(with: Array("Exif".utf8) + [0, 0]) else { return nil }
        let tiff = Array(app1[6...])
        let littleEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): littleEndian = true   // "II"
        case (0x4D, 0x4D): littleEndian = false  // "MM"
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            let a = Int(tiff[at]), b = Int(tiff[at + 1])
            return littleEndian ? a | b << 8 : a << 8 | b
        }
        func u32(_ at: Int) -> Int? {
            guard let lo = u16(littleEndian ? at : at + 2), let hi = u16(littleEndian ? at + 2 : at) else { return nil }
            return hi << 16 | lo
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return nil }
        for i in 0..<count {
            let entry = ifd + 2 + 12 * i
            guard let tag = u16(entry), let type = u16(entry + 2) else { return nil }
            if tag == 0x0112 {
                // SHORT (3) is standard; tolerate LONG (4) from sloppy writers.
                let value = type == 4 ? u32(entry + 8) : u16(entry + 8)
                guard let value, (1...8).contains(value) else { return nil }
                return value
            }
        }
        return nil
    }
}
