// Charts drawn straight into an `Image`: line charts (training curves: axes, "nice" ticks, legend) and a
// confusion-matrix heat map, lettered with a built-in 5×7 bitmap font (digits, capitals, common punctuation;
// lower case is drawn as capitals). One file because the font, canvas and both charts only make sense together.
import Foundation

/// One named line of a chart.
public struct ChartSeries: Sendable {
    public var name: String
    /// Points in data units, drawn in order (non-finite values are skipped).
    public var points: [(x: Double, y: Double)]
    public var color: RGBColor

    public init(name: String, points: [(x: Double, y: Double)], color: RGBColor) {
        self.name = name; self.points = points; self.color = color
    }
}

/// A line chart with a title, labelled axes with round-number ticks, and a legend in the top-right corner.
public struct LineChart: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [ChartSeries]
    /// Fixed y range; nil fits the data (with 5% headroom).
    public var yRange: ClosedRange<Double>?
    /// Whether x ticks must be whole numbers (epochs, iterations).
    public var integerX = false

    /// Distinct colours for up to six series.
    public static let palette: [RGBColor] = [
        RGBColor(red: 0.12, green: 0.47, blue: 0.71), RGBColor(red: 1.0, green: 0.50, blue: 0.05),
        RGBColor(red: 0.17, green: 0.63, blue: 0.17), RGBColor(red: 0.84, green: 0.15, blue: 0.16),
        RGBColor(red: 0.58, green: 0.40, blue: 0.74), RGBColor(red: 0.55, green: 0.34, blue: 0.29),
    ]

    public init(title: String, xLabel: String, yLabel: String, series: [ChartSeries], yRange: ClosedRange<Double>? = nil) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series; self.yRange = yRange
    }

    /// Fits the y axis to the series named `name` after its first twentieth (at least one point), from 0 to 10% above
    /// its highest value there. Training losses start 10–100× above where they settle, which would flatten the rest.
    public mutating func fitYAxisSkippingWarmUp(of name: String) {
        guard let values = series.first(where: { $0.name == name })?.points.map(\.y) else { return }
        let settled = values.dropFirst(max(1, values.count / 20)).filter(\.isFinite)
        if let top = settled.max(), top > 0 { yRange = 0...(top * 1.1) }
    }

    /// The chart as an RGB image of `width`×`height` pixels (at least 200×150).
    public func render(width: Int = 640, height: Int = 400) -> Image {
        var canvas = Canvas(width: max(width, 200), height: max(height, 150))
        let left = 80, right = canvas.width - 20, top = 60, bottom = canvas.height - 50
        let points = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        var (x0, x1) = (points.map(\.x).min() ?? 0, points.map(\.x).max() ?? 1)
        var (y0, y1) = (points.map(\.y).min() ?? 0, points.map(\.y).max() ?? 1)
        if let yRange { (y0, y1) = (yRange.lowerBound, yRange.upperBound) } else {
            let pad = max((y1 - y0) * 0.05, 1e-6); y0 -= pad; y1 += pad
        }
        if x1 <= x0 { x1 = x0 + 1 }
        if y1 <= y0 { y1 = y0 + 1; y0 -= 1 }
        func px(_ x: Double) -> Int { left + Int(((x - x0) / (x1 - x0) * Double(right - left)).rounded()) }
        func py(_ y: Double) -> Int { bottom - Int(((y - y0) / (y1 - y0) * Double(bottom - top)).rounded()) }

        let grid = RGBColor(red: 0.88, green: 0.88, blue: 0.88), ink = RGBColor.black
        for (value, label) in Ticks.make(y0, y1) {
            canvas.line(left, py(value), right, py(value), grid)
            canvas.text(label, x: left - 8 - Canvas.textWidth(label, scale: 2), y: py(value) - 7, scale: 2, ink)
        }
        for (value, label) in Ticks.make(x0, x1, integer: integerX) {
            canvas.line(px(value), bottom, px(value), bottom + 5, ink)
            canvas.text(label, x: px(value) - Canvas.textWidth(label, scale: 2) / 2, y: bottom + 9, scale: 2, ink)
        }
        canvas.line(left, top, left, bottom, ink)
        canvas.line(left, bottom, right, bottom, ink)
        canvas.text(title, x: (canvas.width - Canvas.textWidth(title, scale: 2)) / 2, y: 12, scale: 2, ink)
        canvas.text(xLabel, x: (left + right - Canvas.textWidth(xLabel, scale: 2)) / 2, y: canvas.height - 20, scale: 2, ink)
        if yLabel.uppercased() != title.uppercased() { canvas.text(yLabel, x: 4, y: 12, scale: 2, ink) }

        // Data outside a fixed `yRange` is cut at the plot's edges (with room for the point markers), never drawn over
        // the title or legend.
        canvas.clip = (x: (left - 2)..<(right + 3), y: (top - 2)..<(bottom + 3))
        for s in series {
            let valid = s.points.filter { $0.x.isFinite && $0.y.isFinite }
            for (a, b) in zip(valid, valid.dropFirst()) { canvas.line(px(a.x), py(a.y), px(b.x), py(b.y), s.color, thickness: 2) }
            for p in valid { canvas.fill(px(p.x) - 2, py(p.y) - 2, 5, 5, s.color) }
        }
        canvas.clip = nil
        // Legend: a colour swatch and the name per series, in one row above the plot, right-aligned (never over data).
        var x = right
        for s in series.reversed() {
            x -= Canvas.textWidth(s.name, scale: 2) + 24
            canvas.fill(x, top - 22, 16, 10, s.color)
            canvas.text(s.name, x: x + 22, y: top - 24, scale: 2, ink)
            x -= 14
        }
        return canvas.image
    }
}

/// A confusion matrix as a heat map: rows = true class, columns = predicted class, cells shaded by the fraction of
/// the row, with the count written in each cell.
public enum ConfusionChart {
    /// `counts[t · K + p]` for K = `labels.count` classes, as an RGB image.
    public static func render(counts: [Int], labels: [String], cell: Int = 44) -> Image {
        let k = labels.count
        precondition(k > 0 && counts.count == k * k, "ConfusionChart: need \(k)×\(k) counts, got \(counts.count)")
        let names = labels.enumerated().map { "\($0.offset) " + String($0.element.prefix(14)) }
        let left = (names.map { Canvas.textWidth($0, scale: 2) }.max() ?? 0) + 16, top = 70
        var canvas = Canvas(width: left + k * cell + 20, height: top + k * cell + 40)
        let title = "CONFUSION MATRIX: ROWS TRUE, COLUMNS PREDICTED"
        canvas.text(title, x: 8, y: 10, scale: 2, .black)
        for t in 0..<k {
            let rowTotal = max(1, (0..<k).reduce(0) { $0 + counts[t * k + $1] })
            canvas.text(names[t], x: 8, y: top + t * cell + cell / 2 - 7, scale: 2, .black)
            for p in 0..<k {
                let share = Float(counts[t * k + p]) / Float(rowTotal)
                // White → dark blue as the share grows.
                let color = RGBColor(red: 1 - 0.92 * share, green: 1 - 0.75 * share, blue: 1 - 0.35 * share)
                let x = left + p * cell, y = top + t * cell
                canvas.fill(x, y, cell - 1, cell - 1, color)
                let text = "\(counts[t * k + p])"
                let scale = Canvas.textWidth(text, scale: 2) <= cell - 4 ? 2 : 1
                canvas.text(text, x: x + (cell - Canvas.textWidth(text, scale: scale)) / 2, y: y + cell / 2 - 3 * scale - 1,
                            scale: scale, share > 0.5 ? .white : .black)
            }
        }
        for p in 0..<k {
            let text = "\(p)"
            canvas.text(text, x: left + p * cell + (cell - Canvas.textWidth(text, scale: 2)) / 2, y: top - 22, scale: 2, .black)
        }
        return canvas.image
    }
}

extension Image {
    /// Images placed one above the other on white, left-aligned, converted to RGB.
    public static func stackedVertically(_ images: [Image]) -> Image {
        precondition(!images.isEmpty, "stackedVertically needs at least one image")
        var canvas = Canvas(width: images.map(\.width).max()!, height: images.map(\.height).reduce(0, +))
        var y0 = 0
        for image in images {
            let rgb = image.rgb()
            for c in 0..<3 {
                for y in 0..<rgb.height {
                    for x in 0..<rgb.width {
                        canvas.pixels[(c * canvas.height + y0 + y) * canvas.width + x] = rgb.pixels[(c * rgb.height + y) * rgb.width + x]
                    }
                }
            }
            y0 += rgb.height
        }
        return canvas.image
    }
}

/// Round-number ticks: steps of 1, 2 or 5 × 10^k, about five of them.
enum Ticks {
    static func make(_ lo: Double, _ hi: Double, integer: Bool = false) -> [(Double, String)] {
        let raw = integer ? max(1, (hi - lo) / 5) : (hi - lo) / 5
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let decimals = max(0, -Int(log10(step).rounded(.down)))
        var out: [(Double, String)] = []
        var v = (lo / step).rounded(.up) * step
        while v <= hi + step * 1e-9 {
            out.append((v, String(format: "%.\(decimals)f", abs(v) < step * 1e-9 ? 0 : v)))
            v += step
        }
        return out
    }
}

/// A white RGB drawing surface (planar, 0…1) with clipped primitives.
struct Canvas {
    let width: Int, height: Int
    var pixels: [Float]
    /// When set, drawing outside these columns and rows is dropped too.
    var clip: (x: Range<Int>, y: Range<Int>)?

    init(width: Int, height: Int) {
        self.width = width; self.height = height
        pixels = [Float](repeating: 1, count: 3 * width * height)
    }

    var image: Image { Image(width: width, height: height, channels: 3, pixels: pixels) }

    mutating func set(_ x: Int, _ y: Int, _ color: RGBColor) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        if let clip, !clip.x.contains(x) || !clip.y.contains(y) { return }
        let i = y * width + x, plane = width * height
        pixels[i] = color.red; pixels[plane + i] = color.green; pixels[2 * plane + i] = color.blue
    }

    mutating func fill(_ x: Int, _ y: Int, _ w: Int, _ h: Int, _ color: RGBColor) {
        for yy in max(0, y)..<max(max(0, y), min(height, y + h)) {
            for xx in max(0, x)..<max(max(0, x), min(width, x + w)) { set(xx, yy, color) }
        }
    }

    /// Bresenham line; thickness 2 also draws the pixel below and to the right.
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ color: RGBColor, thickness: Int = 1) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var error = dx + dy
        while true {
            fill(x, y, thickness, thickness, color)
            if x == x1 && y == y1 { break }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
    }

    static func textWidth(_ text: String, scale: Int) -> Int { max(0, text.count * 6 * scale - scale) }

    /// Draws `text` with its top-left corner at (x, y); each glyph cell is 6×8 font pixels of `scale`² screen pixels.
    mutating func text(_ text: String, x: Int, y: Int, scale: Int, _ color: RGBColor) {
        for (i, character) in text.uppercased().enumerated() {
            let rows = Font.glyph(character)
            for (r, bits) in rows.enumerated() {
                for c in 0..<5 where bits & (0x10 >> c) != 0 {
                    fill(x + (i * 6 + c) * scale, y + r * scale, scale, scale, color)
                }
            }
        }
    }
}

/// 5×7 glyphs: seven rows per character, bit 4 = leftmost column.
enum Font {
    static func glyph(_ c: Character) -> [UInt8] { table[c] ?? table["?"]! }

    static let table: [Character: [UInt8]] = [
        "0": [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E], "1": [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        "2": [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F], "3": [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        "4": [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02], "5": [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        "6": [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E], "7": [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        "8": [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E], "9": [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        "A": [0x0E, 0x11, 0x11, 0x11, 0x1F, 0x11, 0x11], "B": [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        "C": [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E], "D": [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        "E": [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F], "F": [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        "G": [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F], "H": [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        "I": [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E], "J": [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        "K": [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11], "L": [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        "M": [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11], "N": [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        "O": [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E], "P": [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        "Q": [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D], "R": [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        "S": [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E], "T": [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        "U": [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E], "V": [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        "W": [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A], "X": [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        "Y": [0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04], "Z": [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
        " ": [0, 0, 0, 0, 0, 0, 0], ".": [0, 0, 0, 0, 0, 0x0C, 0x0C], ",": [0, 0, 0, 0, 0x0C, 0x04, 0x08],
        ":": [0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0], "-": [0, 0, 0, 0x1F, 0, 0, 0], "+": [0, 0x04, 0x04, 0x1F, 0x04, 0x04, 0],
        "%": [0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03], "/": [0, 0x01, 0x02, 0x04, 0x08, 0x10, 0],
        "(": [0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02], ")": [0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08],
        "_": [0, 0, 0, 0, 0, 0, 0x1F], "'": [0x04, 0x04, 0x08, 0, 0, 0, 0], "=": [0, 0, 0x1F, 0, 0x1F, 0, 0],
        "?": [0x0E, 0x11, 0x01, 0x02, 0x04, 0, 0x04],
    ]
}
