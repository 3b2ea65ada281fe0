// Crops, flips and transposition on a planar image whose values encode their own position.
import Testing
@testable import ImageIO

@Suite struct CropTests {
    /// Value = c * 100 + y * 10 + x, so every pixel says where it came from.
    let image: Image = {
        var image = Image(width: 6, height: 4, channels: 3)
        for c in 0..<3 { for y in 0..<4 { for x in 0..<6 { image[x: x, y: y, c: c] = Float(c * 100 + y * 10 + x) } } }
        return image
    }()

    @Test func cropTakesTheRegion() {
        let crop = image.cropped(x: 2, y: 1, width: 3, height: 2)
        #expect(crop.width == 3 && crop.height == 2 && crop.channels == 3)
        #expect(crop.pixels == [12, 13, 14, 22, 23, 24, 112, 113, 114, 122, 123, 124, 212, 213, 214, 222, 223, 224])
    }

    @Test func centerCropIsCentred() {
        let crop = image.centerCropped(width: 2, height: 2)
        #expect(crop[x: 0, y: 0, c: 0] == 12)  // x offset (6-2)/2 = 2, y offset (4-2)/2 = 1
        let square = image.centerCroppedSquare()
        #expect(square.width == 4 && square.height == 4 && square[x: 0, y: 0, c: 1] == 101)
    }

    @Test func randomCropStaysInsideAndIsReproducible() {
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9)
        var origins = Set<Float>()
        for _ in 0..<50 {
            let crop = image.randomCropped(width: 3, height: 2, using: &a)
            #expect(crop == image.randomCropped(width: 3, height: 2, using: &b))
            let origin = crop[x: 0, y: 0, c: 0]
            let (y, x) = (Int(origin) / 10, Int(origin) % 10)
            #expect(x + 3 <= 6 && y + 2 <= 4)
            #expect(crop == image.cropped(x: x, y: y, width: 3, height: 2))
            origins.insert(origin)
        }
        #expect(origins.count > 4)  // 12 possible origins; 50 draws reach more than 4 of them
    }

    @Test func flipMirrorsEachRow() {
        let flipped = image.flippedHorizontally()
        #expect(flipped[x: 0, y: 2, c: 1] == 125 && flipped[x: 5, y: 2, c: 1] == 120)
        #expect(flipped.flippedHorizontally() == image)
    }

    @Test func verticalFlipMirrorsEachColumn() {
        let flipped = image.flippedVertically()
        #expect(flipped.width == 6 && flipped.height == 4)
        #expect(flipped[x: 4, y: 0, c: 2] == 234 && flipped[x: 4, y: 3, c: 2] == 204)
        #expect(flipped.flippedVertically() == image)
    }

    @Test func transposeSwapsRowsAndColumns() {
        let transposed = image.transposed()
        #expect(transposed.width == 4 && transposed.height == 6 && transposed.channels == 3)
        for c in 0..<3 { for y in 0..<4 { for x in 0..<6 { #expect(transposed[x: y, y: x, c: c] == image[x: x, y: y, c: c]) } } }
        #expect(transposed.transposed() == image)
    }

    @Test func withChannelsReordersWholePlanes() {
        var image = Image(width: 3, height: 2, channels: 3)
        for k in image.pixels.indices { image.pixels[k] = Float(k) }
        let swapped = image.withChannels(in: [2, 1, 0])
        for c in 0..<3 { for y in 0..<2 { for x in 0..<3 { #expect(swapped[x: x, y: y, c: c] == image[x: x, y: y, c: 2 - c]) } } }
        #expect(image.withChannels(in: [0, 1, 2]) == image)
        #expect(image.withChannels(in: [1, 2, 0]).withChannels(in: [2, 0, 1]) == image)   // the inverse order undoes it
    }
}
