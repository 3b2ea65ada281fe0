// EXIF orientation: all 8 values, both TIFF byte orders, in JPEGs crafted with an APP1 segment after SOI.
import Foundation
import Testing
@testable import ImageIO

@Suite struct OrientationTests {
    /// Stored 48x32 gray image of 16x16 cells, 3 across and 2 down, each a distinct level. Cells align with
    /// JPEG blocks, so at q100 4:4:4 each cell decodes flat to within a few levels.
    static let cellLevels: [[Float]] = [[0.1, 0.3, 0.5], [0.6, 0.8, 0.95]]   // [row][column]

    static func storedJPEG() throws -> [UInt8] {
        var image = Image(width: 48, height: 32, channels: 1)
        for y in 0..<32 { for x in 0..<48 { image[x: x, y: y, c: 0] = cellLevels[y / 16][x / 16] } }
        return [UInt8](try image.encoded(as: .jpeg, quality: 100, chroma: .yuv444))
    }

    /// An APP1 Exif segment whose IFD0 holds only tag 0x0112 = `orientation`.
    static func exifSegment(_ orientation: Int, littleEndian: Bool) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { littleEndian ? [UInt8(v & 255), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 255)] }
        func u32(_ v: Int) -> [UInt8] { littleEndian ? u16(v & 0xFFFF) + u16(v >> 16) : u16(v >> 16) + u16(v & 0xFFFF) }
        let tiff = (littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]) + u16(42) + u32(8)
            + u16(1) + u16(0x0112) + u16(3) + u32(1) + u16(orientation) + u16(0) + u32(0)
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        return [0xFF, 0xE1, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 255)] + payload
    }

    // Where stored corners land when displayed (x, y in a W x H display), from the EXIF definitions:
    // 1 none, 2 mirror left-right, 3 rotate 180, 4 mirror top-bottom, 5 transpose, 6 rotate 90 clockwise,
    // 7 transverse, 8 rotate 90 counter-clockwise.
    // Corners named by stored position: TL = top-left, TR = top-right, BL = bottom-left.
    static let cases: [(orientation: Int, tl: String, tr: String, bl: String)] = [
        (1, "TL", "TR", "BL"), (2, "TR", "TL", "BR"), (3, "BR", "BL", "TR"), (4, "BL", "BR", "TL"),
        (5, "TL", "BL", "TR"), (6, "TR", "BR", "TL"), (7, "BR", "TR", "BL"), (8, "BL", "TL", "BR"),
    ]

    @Test(arguments: 1...8, [true, false])
    func orientationIsApplied(orientation: Int, littleEndian: Bool) throws {
        var bytes = try Self.storedJPEG()
        bytes.insert(contentsOf: Self.exifSegment(orientation, littleEndian: littleEndian), at: 2)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("phone.jpg")
        try Data(bytes).write(to: file)

        let info = try ImageInfo.read(file)
        #expect(info.orientation.rawValue == orientation)
        #expect(info.width == 48 && info.height == 32)
        let image = try Image.load(file)
        let rotated = orientation >= 5
        #expect(image.width == (rotated ? 32 : 48) && image.height == (rotated ? 48 : 32))
        #expect(try Image.load(file, applyOrientation: false).width == 48)

        let expected = Self.cases[orientation - 1]
        // Sample 4 px inside each display corner, well inside its 16x16 cell.
        func corner(_ name: String) -> Float {
            let x = name.hasSuffix("L") ? 4 : image.width - 5, y = name.hasPrefix("T") ? 4 : image.height - 5
            return image[x: x, y: y, c: 0]
        }
        let tolerance: Float = 3 / 255  // q100 JPEG of flat 16x16 cells
        #expect(abs(corner(expected.tl) - Self.cellLevels[0][0]) <= tolerance)
        #expect(abs(corner(expected.tr) - Self.cellLevels[0][2]) <= tolerance)
        #expect(abs(corner(expected.bl) - Self.cellLevels[1][0]) <= tolerance)
    }

    @Test func orientedMatchesDisplayMapping() {
        // 3x2 stored, values 0...5 row-major; orientation 6 (rotate 90 clockwise) gives 2x3 with the
        // stored bottom row as the left column read upward.
        let image = Image(width: 3, height: 2, channels: 1, pixels: [0, 1, 2, 3, 4, 5])
        let turned = image.oriented(.right)
        #expect(turned.width == 2 && turned.height == 3)
        #expect(turned.pixels == [3, 0, 4, 1, 5, 2])
    }
}
