// Colour conversions: Rec.601 luma, YIQ and full-range YCbCr, and their round trips.
import Testing
@testable import ImageIO

@Suite struct ColorTests {
    @Test func grayUsesRec601Weights() {
        let image = Image(width: 3, height: 1, channels: 3, pixels: [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(maxDifference(image.gray().pixels, [0.299, 0.587, 0.114]) < 1e-6)
    }

    @Test func grayToRGBReplicates() {
        let gray = Image(width: 2, height: 1, channels: 1, pixels: [0.2, 0.6])
        #expect(gray.rgb().pixels == [0.2, 0.6, 0.2, 0.6, 0.2, 0.6])
        #expect(gray.rgb().gray().pixels.elementsEqual(gray.pixels) { abs($0 - $1) < 1e-6 })
    }

    @Test func neutralColoursHaveNoChroma() {
        let image = Image(width: 1, height: 3, channels: 3, pixels: [0, 0.5, 1, 0, 0.5, 1, 0, 0.5, 1])
        let yiq = image.rgbToYIQ(), ycc = image.rgbToYCbCr()
        #expect(maxDifference(Array(yiq.pixels[0..<3]), [0, 0.5, 1]) < 1e-6)
        #expect(maxDifference(Array(yiq.pixels[3...]), [0, 0, 0, 0, 0, 0]) < 1e-5)
        #expect(maxDifference(Array(ycc.pixels[3...]), [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]) < 1e-5)
    }

    @Test func pureRedInYCbCr() {
        let red = Image(width: 1, height: 1, channels: 3, pixels: [1, 0, 0]).rgbToYCbCr()
        // JFIF: Cb = 0.5 - 0.168736, Cr = 0.5 + 0.5.
        #expect(maxDifference(red.pixels, [0.299, 0.331264, 1]) < 1e-5)
    }

    @Test(arguments: [3, 4])
    func roundTripsAreTight(channels: Int) {
        let image = randomImage(width: 7, height: 5, channels: channels, seed: 11)
        // Float32 3x3 products: round trip within 1e-5.
        #expect(maxDifference(image.rgbToYIQ().yiqToRGB().pixels, image.pixels) < 1e-5)
        #expect(maxDifference(image.rgbToYCbCr().yCbCrToRGB().pixels, image.pixels) < 1e-5)
    }

    @Test func inverseMatrixIsTheInverse() {
        let forward = ColorTransform.rgbToYIQ, inverse = forward.inverse
        for r in 0..<3 {
            for c in 0..<3 {
                let product = (0..<3).reduce(Float(0)) { $0 + inverse.m[3 * r + $1] * forward.m[3 * $1 + c] }
                #expect(abs(product - (r == c ? 1 : 0)) < 1e-5)
            }
        }
    }
}
