// Tests for Chart.swift: line charts, confusion heat maps, ticks and the bitmap font.
import Testing
@testable import ImageIO

@Suite struct ChartTests {
    /// Count of pixels exactly equal to `color`.
    func count(_ color: RGBColor, in image: Image) -> Int {
        let n = image.planeSize
        return (0..<n).filter {
            image.pixels[$0] == color.red && image.pixels[n + $0] == color.green && image.pixels[2 * n + $0] == color.blue
        }.count
    }

    @Test func lineChartDrawsEachSeriesInItsColour() {
        let a = ChartSeries(name: "train", points: [(1, 0.9), (2, 0.5), (3, 0.3)], color: LineChart.palette[0])
        let b = ChartSeries(name: "validation", points: [(1, 1.0), (2, 0.7), (3, 0.6)], color: LineChart.palette[1])
        let image = LineChart(title: "Loss", xLabel: "epoch", yLabel: "loss", series: [a, b]).render(width: 400, height: 300)
        #expect(image.width == 400 && image.height == 300 && image.channels == 3)
        #expect(count(LineChart.palette[0], in: image) > 100)
        #expect(count(LineChart.palette[1], in: image) > 100)
        #expect(count(.black, in: image) > 500)   // axes, ticks and lettering
    }

    @Test func differentDataGiveDifferentCharts() {
        let s1 = ChartSeries(name: "x", points: [(0, 0), (1, 1)], color: LineChart.palette[0])
        let s2 = ChartSeries(name: "x", points: [(0, 1), (1, 0)], color: LineChart.palette[0])
        let c1 = LineChart(title: "t", xLabel: "x", yLabel: "y", series: [s1]).render(width: 300, height: 200)
        let c2 = LineChart(title: "t", xLabel: "x", yLabel: "y", series: [s2]).render(width: 300, height: 200)
        #expect(c1 != c2)
    }

    @Test func yAxisCanSkipTheWarmUpSpike() throws {
        // 40 points: a spike of 1000 at the first two, then values up to 10.
        var points: [(x: Double, y: Double)] = []
        for i in 0..<40 {
            let y: Double = i < 2 ? 1000 : Double(10 - i % 5)
            points.append((x: Double(i), y: y))
        }
        var chart = LineChart(title: "t", xLabel: "x", yLabel: "y", series: [ChartSeries(name: "total", points: points, color: LineChart.palette[0])])
        chart.fitYAxisSkippingWarmUp(of: "other")   // no such series: unchanged
        #expect(chart.yRange == nil)
        chart.fitYAxisSkippingWarmUp(of: "total")
        let range = try #require(chart.yRange)
        #expect(range.lowerBound == 0 && abs(range.upperBound - 11) < 1e-9)   // 10% above the settled maximum
    }

    @Test func dataOutsideAFixedRangeIsCutAtThePlotEdge() {
        // A spike to 100 on a 0…1 axis: no line pixels in the title and legend rows (the plot starts 60 rows down).
        let spike = ChartSeries(name: "s", points: [(0, 100), (1, 0.5), (2, 0.2)], color: LineChart.palette[3])
        let image = LineChart(title: "t", xLabel: "x", yLabel: "y", series: [spike], yRange: 0...1).render(width: 300, height: 200)
        let n = image.planeSize, color = LineChart.palette[3]
        let above = (0..<(55 * image.width)).filter {
            image.pixels[$0] == color.red && image.pixels[n + $0] == color.green && image.pixels[2 * n + $0] == color.blue
        }.count
        #expect(above == 10 * 16)   // only the legend swatch (16×10)
        #expect(count(color, in: image) > 10 * 16 + 100)   // the rest of the line is drawn
    }

    @Test func ticksAreRoundNumbersCoveringTheRange() {
        let ticks = Ticks.make(0, 1)
        #expect(ticks.map(\.1) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let big = Ticks.make(3, 97)
        #expect(big.map(\.1) == ["20", "40", "60", "80"])
    }

    @Test func fontDistinguishesGlyphsAndFallsBackForUnknownCharacters() {
        #expect(Font.glyph("0") != Font.glyph("8"))
        #expect(Font.glyph("€") == Font.glyph("?"))
        var canvas = Canvas(width: 20, height: 10)
        canvas.text("1", x: 0, y: 0, scale: 1, .black)
        let inked = (0..<200).filter { canvas.pixels[$0] == 0 }.count
        #expect(inked == Font.glyph("1").reduce(0) { $0 + $1.nonzeroBitCount })
    }

    @Test func confusionChartShadesLargerSharesDarker() {
        let image = ConfusionChart.render(counts: [9, 1, 0, 10], labels: ["cat", "dog"], cell: 40)
        #expect(image.channels == 3 && image.width > 80 && image.height > 80)
        // Cell (0,0) has share 0.9, cell (0,1) share 0.1: sample the top-left pixel of each (inside the fill, no text).
        let left = Canvas.textWidth("0 cat", scale: 2) + 16, top = 70
        let red00 = image[x: left + 1, y: top + 1, c: 0], red01 = image[x: left + 41, y: top + 1, c: 0]
        #expect(red00 < red01)
    }

    @Test func stackingKeepsBothImages() {
        let a = Image(width: 3, height: 2, channels: 3, value: 0.2), b = Image(width: 2, height: 1, channels: 1, value: 0.7)
        let s = Image.stackedVertically([a, b])
        #expect(s.width == 3 && s.height == 3)
        #expect(s[x: 0, y: 0, c: 0] == 0.2 && s[x: 1, y: 2, c: 1] == 0.7 && s[x: 2, y: 2, c: 0] == 1)
    }
}

@Suite struct TickTests {
    @Test func integerTicksNeverFallBetweenWholeNumbers() {
        #expect(Ticks.make(1, 2, integer: true).map(\.1) == ["1", "2"])
        #expect(Ticks.make(1, 30, integer: true).map(\.1) == ["10", "20", "30"])
    }
}
