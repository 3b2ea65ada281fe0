// The JPEG marker walk: frame type, precision and EXIF orientation, and tolerance of malformed EXIF.
import Foundation
import Testing
@testable import ImageIO

@Suite struct JPEGMarkersTests {
    @Test func readsFrameMarkerAndOrientation() throws {
        var bytes = [UInt8](try Image(width: 8, height: 8, channels: 3, value: 0.5).encoded(as: .jpeg))
        #expect(JPEGMarkers(Data(bytes)).frameMarker == 0xC0 && JPEGMarkers(Data(bytes)).precision == 8)
        bytes.insert(contentsOf: OrientationTests.exifSegment(7, littleEndian: false), at: 2)
        #expect(JPEGMarkers(Data(bytes)).orientation == 7)
    }

    @Test func malformedExifIsIgnored() {
        // IFD offset 200 points past the end.
        #expect(JPEGMarkers.exifOrientation(Array("Exif".utf8) + [0, 0, 0x49, 0x49, 42, 0, 200, 0, 0, 0]) == nil)
        #expect(JPEGMarkers.exifOrientation([0x45]) == nil)
        let outOfRange = OrientationTests.exifSegment(9, littleEndian: true)
        #expect(JPEGMarkers.exifOrientation(Array(outOfRange[4...])) == nil)
        // A segment length running past the data stops the walk instead of reading beyond it.
        #expect(JPEGMarkers(Data([0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 0x45])).orientation == 1)
    }
}
