// Image basics: planar layout, alpha flattening, rgb() conversions.
import Testing
@testable import ImageIO

@Suite struct ImageTests {
    @Test func layoutIsPlanar() {
        let image = Image(width: 2, height: 1, channels: 3, pixels: [1, 2, 3, 4, 5, 6])
        #expect(image[x: 1, y: 0, c: 0] == 2 && image[x: 0, y: 0, c: 2] == 5)
        #expect(Array(image.plane(1)) == [3, 4])
    }

    @Test func flatteningCompositesOverTheBackground() {
        // Red at alpha 0.25 over white: 0.25 * (1, 0, 0) + 0.75 * (1, 1, 1) = (1, 0.75, 0.75).
        let image = Image(width: 1, height: 1, channels: 4, pixels: [1, 0, 0, 0.25])
        #expect(maxDifference(image.flattenedAlpha().pixels, [1, 0.75, 0.75]) < 1e-6)
        #expect(maxDifference(image.flattenedAlpha(onto: .black).pixels, [0.25, 0, 0]) < 1e-6)
        #expect(image.rgb() == image.flattenedAlpha())
    }

    @Test func rgbLeavesRGBAlone() {
        let image = randomImage(width: 3, height: 2, channels: 3)
        #expect(image.rgb() == image && image.flattenedAlpha() == image)
    }
}
