// Resize against hand-computed values: box averages when shrinking, Keys cubic when enlarging.
import Testing
@testable import ImageIO

@Suite struct ResizeTests {
    let tolerance: Float = 1e-6

    @Test func twoByTwoToOneIsTheMean() {
        let image = Image(width: 2, height: 2, channels: 1, pixels: [0.1, 0.2, 0.3, 0.4])
        #expect(abs(image.resized(width: 1, height: 1).pixels[0] - 0.25) < tolerance)
    }

    @Test func fourToTwoAveragesPairs() {
        let image = Image(width: 4, height: 1, channels: 1, pixels: [0.1, 0.2, 0.3, 0.4])
        let out = image.resized(width: 2, height: 1).pixels
        #expect(maxDifference(out, [0.15, 0.35]) < tolerance)
    }

    @Test func threeToTwoUsesAreaWeights() {
        // Output 0 covers source [0, 1.5): a + b/2 over 1.5; output 1 covers [1.5, 3): b/2 + c over 1.5.
        let (a, b, c): (Float, Float, Float) = (0.9, 0.3, 0.6)
        let image = Image(width: 1, height: 3, channels: 1, pixels: [a, b, c])
        let out = image.resized(width: 1, height: 2).pixels
        #expect(maxDifference(out, [(a + b / 2) / 1.5, (b / 2 + c) / 1.5]) < tolerance)
    }

    @Test func areaWeightsForSevenToThree() {
        let axis = AxisWeights(from: 7, to: 3)
        // Each output covers 7/3 source pixels: [0, 2.33), [2.33, 4.67), [4.67, 7).
        #expect(axis.starts == [0, 2, 4] && axis.counts == [3, 3, 3])
        let expected: [Float] = [3, 3, 1, 2, 3, 2, 1, 3, 3].map { $0 / 7 }
        #expect(maxDifference(axis.weights, expected) < tolerance)
    }

    @Test func enlargingAConstantStaysConstant() {
        let image = Image(width: 3, height: 5, channels: 3, value: 0.7)
        let out = image.resized(width: 11, height: 8)
        #expect(out.width == 11 && out.height == 8)
        #expect(out.pixels.allSatisfy { abs($0 - 0.7) < 1e-6 })
    }

    @Test func keysKernelInterpolatesAtIntegers() {
        #expect(AxisWeights.keys(0) == 1)
        for t in [-2.0, -1.0, 1.0, 2.0, 2.5] { #expect(AxisWeights.keys(t) == 0) }
        // At an integer source position the four taps are (0, 1, 0, 0): the sample itself.
        let samples: [Float] = [0.2, 0.9, 0.4, 0.7, 0.1]
        let image = Image(width: 5, height: 1, channels: 1, pixels: samples)
        // Enlarging 5 -> 25 puts output 5k + 2 exactly on source pixel k ((5k + 2.5) / 5 - 0.5 = k).
        let out = image.resized(width: 25, height: 1).pixels
        for k in 0..<5 { #expect(abs(out[5 * k + 2] - samples[k]) < 1e-6) }
    }

    @Test func cubicReproducesARampAwayFromEdges() {
        // Keys' kernel reproduces polynomials up to degree 2; check a ramp at positions whose 4 taps are inside.
        let ramp = (0..<10).map { Float($0) / 10 }
        let out = Image(width: 10, height: 1, channels: 1, pixels: ramp).resized(width: 40, height: 1).pixels
        for i in 0..<40 {
            let x = (Float(i) + 0.5) / 4 - 0.5
            if x >= 1 && x <= 7 { #expect(abs(out[i] - x / 10) < 1e-5) }
        }
    }

    @Test func longestSideKeepsAspect() {
        let image = Image(width: 300, height: 200, channels: 3)
        let out = image.resized(longestSide: 150)
        #expect(out.width == 150 && out.height == 100)
        let tall = Image(width: 10, height: 30, channels: 1).resized(longestSide: 7)
        #expect(tall.width == 2 && tall.height == 7)
    }

    @Test func parallelPathMatchesSingleRow() {
        // 400x300 is past the parallel threshold; identical rows must all equal the 1-row (serial) result.
        let row = (0..<400).map { Float(($0 * 37) % 101) / 100 }
        let big = Image(width: 400, height: 300, channels: 1, pixels: Array((0..<300).map { _ in row }.joined()))
        let out = big.resized(width: 257, height: 300)
        let reference = Image(width: 400, height: 1, channels: 1, pixels: row).resized(width: 257, height: 1).pixels
        for y in stride(from: 0, to: 300, by: 37) {
            #expect(Array(out.pixels[(y * 257)..<((y + 1) * 257)]) == reference)
        }
        let shrunk = big.resized(width: 400, height: 123)  // vertical pass, also parallel
        #expect(maxDifference(Array(shrunk.pixels[(50 * 400)..<(51 * 400)]), row) < 1e-5)
    }

    @Test func mixedAxesShrinkOneAndGrowTheOther() {
        let image = Image(width: 9, height: 2, channels: 4, value: 0.25)
        let out = image.resized(width: 4, height: 7)
        #expect(out.width == 4 && out.height == 7 && out.channels == 4)
        #expect(out.pixels.allSatisfy { abs($0 - 0.25) < 1e-6 })
    }
}
