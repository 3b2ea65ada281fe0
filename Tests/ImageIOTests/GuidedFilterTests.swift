// Guided filter: box means, hand-computed outputs, and the exact cases (constant input, input equal to the guide,
// input affine in the guide) for grey and colour guides, same size and upsampled.
import Testing
@testable import ImageIO

@Suite struct GuidedFilterTests {
    /// Deterministic values in 0…1 (a small LCG), `channels` planes.
    func noise(width: Int, height: Int, channels: Int, seed: UInt64) -> Image {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        let values = (0..<width * height * channels).map { _ -> Float in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        return Image(width: width, height: height, channels: channels, pixels: values)
    }

    @Test func boxMeansAreClippedWindowAverages() {
        // 3×3 plane 1…9, radius 1: the corner averages its 2×2 block, an edge its 2×3 block, the centre all nine.
        let plane: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        let mean = BoxFilter.mean(planes: plane, count: 1, width: 3, height: 3, radius: 1)
        let expected: [Float] = [3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7]   // e.g. corner (1+2+4+5)/4, top edge (1+2+3+4+5+6)/6
        for (m, e) in zip(mean, expected) { #expect(abs(m - e) < 1e-6) }
        // Radius 0 is the identity; a radius beyond the image averages everything.
        #expect(BoxFilter.mean(planes: plane, count: 1, width: 3, height: 3, radius: 0) == plane)
        #expect(BoxFilter.mean(planes: plane, count: 1, width: 3, height: 3, radius: 5).allSatisfy { abs($0 - 5) < 1e-6 })
    }

    @Test func greyGuideMatchesTheHandComputedFilter() {
        // Guide 0, 0.5, 1; input 0.2, 0.2, 0.8; r = 1, ε = 0.01. Per window (a, b): {0,1}: (0, 0.2);
        // {0,1,2}: (0.1/0.17667, 0.4 − 0.5a) = (0.566038, 0.116981); {1,2}: (0.075/0.0725, 0.5 − 0.75a) = (1.034483, −0.275862).
        // Output = mean a · I + mean b over the windows holding each pixel. Tolerance 1e-5 (Float).
        let guide = Image(width: 3, height: 1, channels: 1, pixels: [0, 0.5, 1])
        let input = Image(width: 3, height: 1, channels: 1, pixels: [0.2, 0.2, 0.8])
        let out = guidedFilter(input, guide: guide, radius: 1, epsilon: 0.01)
        let expected: [Float] = [0.158491, 0.280460, 0.720820]
        for (q, e) in zip(out.pixels, expected) { #expect(abs(q - e) < 1e-5) }
    }

    @Test func constantInputStaysConstant() {
        // cov(I, p) = 0 everywhere, so a = 0 and b = the constant, for either guide kind. Tolerance 1e-6.
        for guideChannels in [1, 3] {
            let guide = noise(width: 17, height: 11, channels: guideChannels, seed: 3)
            let input = Image(width: 17, height: 11, channels: 3, value: 0.37)
            let out = guidedFilter(input, guide: guide, radius: 2, epsilon: 1e-3)
            #expect(out.channels == 3)
            #expect(out.pixels.allSatisfy { abs($0 - 0.37) < 1e-6 })
        }
    }

    @Test func inputEqualToAGreyGuideComesBackWithTinyEpsilon() {
        // a = var / (var + ε) → 1 for ε ≪ var (noise has variance ≈ 1/12). Tolerance 1e-3.
        let guide = noise(width: 20, height: 13, channels: 1, seed: 5)
        let out = guidedFilter(guide, guide: guide, radius: 2, epsilon: 1e-7)
        for (q, g) in zip(out.pixels, guide.pixels) { #expect(abs(q - g) < 1e-3) }
    }

    @Test func largeEpsilonGivesTheBoxFilteredInput() {
        // ε → ∞: a → 0, b → mean p, so the output is the box mean of the box mean. Tolerance 1e-4 at ε = 1e6.
        let guide = noise(width: 9, height: 8, channels: 3, seed: 7)
        let input = noise(width: 9, height: 8, channels: 1, seed: 8)
        let out = guidedFilter(input, guide: guide, radius: 1, epsilon: 1e6)
        let once = BoxFilter.mean(planes: input.pixels, count: 1, width: 9, height: 8, radius: 1)
        let twice = BoxFilter.mean(planes: once, count: 1, width: 9, height: 8, radius: 1)
        for (q, e) in zip(out.pixels, twice) { #expect(abs(q - e) < 1e-4) }
    }

    @Test func inputAffineInAColourGuideIsReproduced() {
        // p = 0.3 R + 0.5 G − 0.2 B + 0.1 is fitted exactly by every window (the 3×3 solve), so q = p up to the ridge.
        // Tolerance 2e-3 at ε = 1e-7 (windows of 25 random colours are well conditioned).
        let guide = noise(width: 16, height: 12, channels: 3, seed: 11)
        let n = guide.planeSize
        let p = (0..<n).map { 0.3 * guide.pixels[$0] + 0.5 * guide.pixels[n + $0] - 0.2 * guide.pixels[2 * n + $0] + 0.1 }
        let out = guidedFilter(Image(width: 16, height: 12, channels: 1, pixels: p), guide: guide, radius: 2, epsilon: 1e-7)
        for (q, e) in zip(out.pixels, p) { #expect(abs(q - e) < 2e-3) }
    }

    @Test func upsamplingCarriesAnAffineMapToFullResolution() {
        // low = 2·(guide at low size) − 0.3: the fitted a = 2, b = −0.3 are constant, so enlarging them is exact and the
        // full-resolution output is 2·guide − 0.3, sharp edges included. Tolerance 2e-3 (ridge ε = 1e-7).
        let guide = noise(width: 40, height: 30, channels: 1, seed: 13)
        var low = guide.resized(width: 20, height: 15)
        low.pixels = low.pixels.map { 2 * $0 - 0.3 }
        let out = guidedUpsample(low, guide: guide, radius: 2, epsilon: 1e-7)
        #expect(out.width == 40 && out.height == 30)
        for (q, g) in zip(out.pixels, guide.pixels) { #expect(abs(q - (2 * g - 0.3)) < 2e-3) }
    }

    @Test func upsamplingAConstantGivesTheConstant() {
        let guide = noise(width: 33, height: 21, channels: 3, seed: 17)
        let low = Image(width: 11, height: 7, channels: 3, value: 0.6)
        let out = guidedUpsample(low, guide: guide, radius: 1, epsilon: 1e-2)
        #expect(out.pixels.allSatisfy { abs($0 - 0.6) < 1e-5 })   // tolerance: Float rounding of a, b and the cubic taps
    }

    @Test func sameSizeUpsamplingIsTheGuidedFilter() {
        let guide = noise(width: 12, height: 10, channels: 3, seed: 19)
        let input = noise(width: 12, height: 10, channels: 3, seed: 20)
        let a = guidedUpsample(input, guide: guide, radius: 2, epsilon: 1e-3)
        let b = guidedFilter(input, guide: guide, radius: 2, epsilon: 1e-3)
        #expect(a == b)
    }

    @Test func detailUpsamplingRestoresAnAffineMapsEdges() {
        // low = 2·(guide at low size) − 0.3: A = 2, so low enlarged + 2·(guide − guide's low-pass) = 2·guide − 0.3
        // (cubic resizing is linear and keeps constants). Tolerance 2e-3 (ridge ε = 1e-7).
        let guide = noise(width: 40, height: 30, channels: 3, seed: 23)
        let small = guide.resized(width: 20, height: 15)
        var low = small
        low.pixels = low.pixels.map { 2 * $0 - 0.3 }
        let out = guidedDetailUpsample(low, guide: guide, radius: 2, epsilon: 1e-7)
        for (q, g) in zip(out.pixels, guide.pixels) { #expect(abs(q - (2 * g - 0.3)) < 2e-3) }
    }

    @Test func detailUpsamplingKeepsTextureTheGuideDoesNotExplain() {
        // A flat guide explains nothing (A = 0): the output is exactly low enlarged, texture included.
        let guide = Image(width: 24, height: 16, channels: 3, value: 0.5)
        let low = noise(width: 12, height: 8, channels: 3, seed: 29)
        let out = guidedDetailUpsample(low, guide: guide, radius: 1, epsilon: 1e-3)
        #expect(out == low.resized(width: 24, height: 16))
        #expect(guidedDetailUpsample(low, guide: low, radius: 1, epsilon: 1e-3) == low)   // same size: unchanged
    }

    @Test func boxBlurAveragesEveryChannel() {
        let image = Image(width: 3, height: 1, channels: 3, pixels: [0, 3, 6, 1, 1, 1, 2, 4, 0])
        // r = 1 on a 3×1 row: ends average 2 pixels, the middle 3. Tolerance 1e-6.
        let expected: [Float] = [1.5, 3, 4.5, 1, 1, 1, 3, 2, 2]
        for (q, e) in zip(image.boxBlurred(radius: 1).pixels, expected) { #expect(abs(q - e) < 1e-6) }
    }
}
