// Histogram matching: the output's per-channel CDF follows the reference's.
import Testing
@testable import ImageIO

@Suite struct HistogramMatchingTests {
    @Test func equalSizesGiveExactlyTheReferenceValues() {
        // Continuous values (no ties), same pixel count: output sorted == reference sorted, per channel.
        let source = randomImage(width: 20, height: 15, channels: 3, levels: 1 << 20, seed: 1)
        var reference = randomImage(width: 15, height: 20, channels: 3, levels: 1 << 20, seed: 2)
        reference.pixels = reference.pixels.map { $0 * $0 }  // a different distribution
        let matched = source.histogramMatched(to: reference)
        for c in 0..<3 {
            #expect(matched.plane(c).sorted() == reference.plane(c).sorted())
        }
    }

    @Test func orderIsPreserved() {
        let source = randomImage(width: 10, height: 10, channels: 1, levels: 1000, seed: 3)
        let reference = randomImage(width: 7, height: 9, channels: 1, levels: 50, seed: 4)
        let matched = source.histogramMatched(to: reference)
        for i in 0..<100 {
            for j in 0..<100 where source.pixels[i] < source.pixels[j] {
                #expect(matched.pixels[i] <= matched.pixels[j])
            }
        }
    }

    @Test func cdfsMatchForDifferentSizes() {
        let source = randomImage(width: 40, height: 30, channels: 1, levels: 1 << 16, seed: 5)
        var reference = randomImage(width: 25, height: 20, channels: 1, levels: 1 << 16, seed: 6)
        reference.pixels = reference.pixels.map { 0.2 + 0.5 * $0 * $0 * $0 }
        let matched = source.histogramMatched(to: reference)
        func cdf(_ values: [Float], _ t: Float) -> Double { Double(values.filter { $0 <= t }.count) / Double(values.count) }
        // Empirical CDFs agree within 2/500 (the reference has 500 samples) at every threshold tested.
        for t in stride(from: Float(0.2), through: 0.7, by: 0.025) {
            #expect(abs(cdf(matched.pixels, t) - cdf(reference.pixels, t)) <= 2.0 / 500)
        }
    }
}
