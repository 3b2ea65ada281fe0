// Two measures of a stylized result that a person sees and the VGG losses do not: how much of the photo's layout it
// keeps (structure: SSIM of luminance, Wang et al. 2004) and how close its colours are to the painting's (palette:
// 1-D Wasserstein distances in CIE Lab). Both work at 256 px on the longest side, so brush texture counts less than
// layout and the figures compare across image sizes. `../shared/peer/structure.py` and `palette.py` are the reference
// (they resize with Lanczos; we use area averaging, which the definition allows: on the sample photos the figures agree within 0.02 for structure and 0.06 for palette).
import Foundation

public enum ImageMeasures {
    /// The longest side both measures work at.
    public static let workingSide = 256

    /// Mean SSIM between the luminance of `photo` and of `result`, both at `workingSide` px on the photo's longest
    /// side (the result is resized to the photo's shape): 1 = the photo's structure exactly, near 0 = none of it.
    public static func structure(photo: Image, result: Image) -> Double {
        let p = photo.rgb().resized(longestSide: workingSide)
        let r = result.rgb().resized(width: p.width, height: p.height)
        return ssim(p.gray(), r.gray())
    }

    /// Mean over L*, a* and b* of the 1-D Wasserstein distance between the values of `result` and of `painting`,
    /// each at `workingSide` px: 0 = the painting's colours in its proportions; a photo is typically 8–10 away.
    public static func paletteDistance(result: Image, painting: Image) -> Double {
        let a = lab(result.rgb().resized(longestSide: workingSide))
        let b = lab(painting.rgb().resized(longestSide: workingSide))
        return (0..<3).map { wasserstein1(a[$0], b[$0]) }.reduce(0, +) / 3
    }

    /// Mean SSIM of two same-size one-channel images in 0…1 over the valid region of an 11×11 Gaussian window
    /// (σ = 1.5), constants (0.01)² and (0.03)². Images smaller than the window give the plain global SSIM.
    static func ssim(_ a: Image, _ b: Image) -> Double {
        precondition(a.channels == 1 && b.channels == 1 && a.width == b.width && a.height == b.height, "ssim: shapes differ")
        let (w, h) = (a.width, a.height)
        let x = a.pixels.map(Double.init), y = b.pixels.map(Double.init)
        let c1 = 0.01 * 0.01, c2 = 0.03 * 0.03
        let g = gaussianWindow(size: min(11, w, h), sigma: 1.5)
        let k = g.count
        // Valid-region separable filtering of x, y, x², y², xy.
        func filtered(_ v: [Double]) -> [Double] {
            let ow = w - k + 1, oh = h - k + 1
            var rows = [Double](repeating: 0, count: h * ow)
            for i in 0..<h { for j in 0..<ow { var s = 0.0; for t in 0..<k { s += g[t] * v[i * w + j + t] }; rows[i * ow + j] = s } }
            var out = [Double](repeating: 0, count: oh * ow)
            for i in 0..<oh { for j in 0..<ow { var s = 0.0; for t in 0..<k { s += g[t] * rows[(i + t) * ow + j] }; out[i * ow + j] = s } }
            return out
        }
        let mx = filtered(x), my = filtered(y)
        let xx = filtered(zip(x, x).map(*)), yy = filtered(zip(y, y).map(*)), xy = filtered(zip(x, y).map(*))
        var total = 0.0
        for i in mx.indices {
            let sxx = xx[i] - mx[i] * mx[i], syy = yy[i] - my[i] * my[i], sxy = xy[i] - mx[i] * my[i]
            total += ((2 * mx[i] * my[i] + c1) * (2 * sxy + c2)) / ((mx[i] * mx[i] + my[i] * my[i] + c1) * (sxx + syy + c2))
        }
        return total / Double(mx.count)
    }

    /// Normalised 1-D Gaussian weights, centred.
    static func gaussianWindow(size: Int, sigma: Double) -> [Double] {
        let c = Double(size - 1) / 2
        let g = (0..<size).map { exp(-(Double($0) - c) * (Double($0) - c) / (2 * sigma * sigma)) }
        let s = g.reduce(0, +)
        return g.map { $0 / s }
    }

    /// CIE L*, a*, b* planes (D65 white, sRGB decoded) of an RGB image in 0…1.
    static func lab(_ image: Image) -> [[Double]] {
        let n = image.planeSize
        var out = [[Double]](repeating: [Double](repeating: 0, count: n), count: 3)
        func linear(_ v: Float) -> Double { let c = Double(v); return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        func f(_ t: Double) -> Double { t > pow(6.0 / 29, 3) ? cbrt(t) : t / (3 * (6.0 / 29) * (6.0 / 29)) + 4.0 / 29 }
        for i in 0..<n {
            let r = linear(image.pixels[i]), g = linear(image.pixels[n + i]), b = linear(image.pixels[2 * n + i])
            let fx = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047)
            let fy = f(0.2126 * r + 0.7152 * g + 0.0722 * b)
            let fz = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
            out[0][i] = 116 * fy - 16; out[1][i] = 500 * (fx - fy); out[2][i] = 200 * (fy - fz)
        }
        return out
    }

    /// 1-D Wasserstein-1 distance between two samples: the mean absolute difference of their quantiles at 1001
    /// evenly spaced levels (linear interpolation between order statistics, as NumPy's default).
    static func wasserstein1(_ a: [Double], _ b: [Double], levels: Int = 1001) -> Double {
        let sa = a.sorted(), sb = b.sorted()
        func quantile(_ s: [Double], _ q: Double) -> Double {
            let pos = q * Double(s.count - 1), i = Int(pos), f = pos - Double(i)
            return i + 1 < s.count ? s[i] + f * (s[i + 1] - s[i]) : s[i]
        }
        var total = 0.0
        for l in 0..<levels {
            let q = Double(l) / Double(levels - 1)
            total += abs(quantile(sa, q) - quantile(sb, q))
        }
        return total / Double(levels)
    }
}
