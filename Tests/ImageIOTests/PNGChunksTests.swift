// Chunk-level PNG: IHDR parsing, the IEND check, and chunk removal.
import Foundation
import Testing
@testable import ImageIO

@Suite struct PNGChunksTests {
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    @Test func headerFields() throws {
        let ihdr = bigEndian32(300) + bigEndian32(7) + [16, 6, 0, 0, 1]
        let header = try PNGHeader(Data(signature + pngChunk("IHDR", ihdr)), url: URL(fileURLWithPath: "h.png"))
        #expect(header.width == 300 && header.height == 7 && header.bitDepth == 16)
        #expect(header.colorTypeName == "rgba" && header.interlaced)
    }

    @Test func invalidDepthIsRejected() {
        let ihdr = bigEndian32(3) + bigEndian32(3) + [16, 3, 0, 0, 0]  // 16-bit palette does not exist
        #expect(throws: ImageError.self) {
            try PNGHeader(Data(signature + pngChunk("IHDR", ihdr)), url: URL(fileURLWithPath: "p.png"))
        }
    }

    @Test func iendMustBeComplete() {
        let file = signature + pngChunk("IHDR", bigEndian32(1) + bigEndian32(1) + [8, 0, 0, 0, 0]) + pngChunk("IEND", [])
        #expect(PNGChunks.reachesEnd(Data(file)))
        #expect(!PNGChunks.reachesEnd(Data(file.dropLast())))
    }

    @Test func removingKeepsOtherChunksIntact() {
        let ihdr = pngChunk("IHDR", bigEndian32(1) + bigEndian32(1) + [8, 0, 0, 0, 0])
        let file = signature + ihdr + pngChunk("gAMA", bigEndian32(100_000)) + pngChunk("IEND", [])
        #expect(PNGChunks.removing(["gAMA"], from: Data(file)) == Data(signature + ihdr + pngChunk("IEND", [])))
    }
}
