// Guided image filter (He, Sun & Tang, "Guided Image Filtering", ECCV 2010 / TPAMI 2013) and its fast upsampling
// variant (He & Sun, "Fast Guided Filter", 2015). In every (2r+1)² window the output is an affine function of the guide,
// q = A·I + b, fitted to the input p by ridge regression (ridge ε): edges of the guide survive, the input's colours are
// kept on average. Upsampling fits A and b at the input's low resolution, enlarges the (smooth) coefficients and applies
// them to the full-resolution guide, so a result painted small gets the guide's full-resolution edges back.
// Guides are grey (1 channel: scalar A) or colour (3 channels: A is 1×3 per output channel, the paper's eq. 19–21).
// Windows are clipped at the borders (means over the pixels inside), as in the paper's box-filter implementation.
import Foundation

/// The guided filter of `input` with `guide` (same size): each output channel is, at every pixel, the mean over the
/// windows covering it of the affine map a·guide + b fitted to the input in that window.
/// - radius: window half-size in pixels (windows are (2·radius+1)², clipped at the borders); 0 allowed.
/// - epsilon: ridge on the guide's variance, in squared 0…1 units: 1e-4 keeps edges with a contrast above ~0.01,
///   larger values smooth more (ε → ∞ gives the box-filtered input, ε = 0 with the input equal to the guide gives it back).
/// - Guide: 1 or 3 channels (use `rgb()` on RGBA). Input: any channel count; every channel is filtered.
public func guidedFilter(_ input: Image, guide: Image, radius: Int, epsilon: Float) -> Image {
    precondition(input.width == guide.width && input.height == guide.height,
                 "guidedFilter: input \(input.width)x\(input.height) and guide \(guide.width)x\(guide.height) differ in size")
    let coefficients = GuidedFilterCoefficients(input: input, guide: guide, radius: radius, epsilon: epsilon)
    return coefficients.applied(to: guide)
}

/// `low` carried to the size of `guide` by the fast guided filter: the affine coefficients are fitted between `low`
/// and the guide brought down to `low`'s size (area averaging), enlarged (cubic) to the guide's size and applied to
/// the full-resolution guide. Fine detail then comes from the guide, colours from `low`.
/// - radius: window half-size in pixels of `low`; epsilon as for `guidedFilter`.
/// - `low` must not be larger than `guide` on either side.
public func guidedUpsample(_ low: Image, guide: Image, radius: Int, epsilon: Float) -> Image {
    precondition(low.width <= guide.width && low.height <= guide.height,
                 "guidedUpsample: \(low.width)x\(low.height) is larger than the guide \(guide.width)x\(guide.height)")
    let smallGuide = guide.resized(width: low.width, height: low.height)
    let coefficients = GuidedFilterCoefficients(input: low, guide: smallGuide, radius: radius, epsilon: epsilon)
    return coefficients.resized(width: guide.width, height: guide.height).applied(to: guide)
}

extension Image {
    /// Every channel averaged over (2·radius+1)² windows clipped at the borders (a box blur; radius 0 is a copy).
    public func boxBlurred(radius: Int) -> Image {
        precondition(radius >= 0, "boxBlurred: radius \(radius) must be ≥ 0")
        return Image(width: width, height: height, channels: channels,
                     pixels: BoxFilter.mean(planes: pixels, count: channels, width: width, height: height, radius: radius))
    }
}

/// `low` carried to the size of `guide` keeping everything `low` holds and adding only the guide's detail that
/// resizing lost: low enlarged (cubic) + A·(guide − guide brought down to `low`'s size and enlarged again), where A is
/// the guided filter's local gain fitted at low resolution (as in `guidedUpsample`), enlarged. Where `low` follows the
/// guide (A ≈ 1) the guide's full-resolution edges come back; where it ignores the guide (A ≈ 0, e.g. a painted
/// texture) it is simply enlarged. Unlike `guidedUpsample`, texture in `low` that the guide does not explain survives.
/// - radius: window half-size in pixels of `low`; epsilon as for `guidedFilter`. Same sizes return `low`.
public func guidedDetailUpsample(_ low: Image, guide: Image, radius: Int, epsilon: Float) -> Image {
    precondition(low.width <= guide.width && low.height <= guide.height,
                 "guidedDetailUpsample: \(low.width)x\(low.height) is larger than the guide \(guide.width)x\(guide.height)")
    if low.width == guide.width && low.height == guide.height { return low }
    let smallGuide = guide.resized(width: low.width, height: low.height)
    let coefficients = GuidedFilterCoefficients(input: low, guide: smallGuide, radius: radius, epsilon: epsilon)
        .resized(width: guide.width, height: guide.height)
    let base = low.resized(width: guide.width, height: guide.height)
    let smooth = smallGuide.resized(width: guide.width, height: guide.height)
    var out = base.pixels
    let n = guide.planeSize, g = guide.channels, perOutput = g + 1
    coefficients.planes.withUnsafeBufferPointer { cp in
        guide.pixels.withUnsafeBufferPointer { gp in
            smooth.pixels.withUnsafeBufferPointer { sp in
                out.withUnsafeMutableBufferPointer { op in
                    let a = cp.baseAddress!, gi = gp.baseAddress!, si = sp.baseAddress!, dst = op.baseAddress!
                    Image.parallelChunks(n, work: n * low.channels * g) { range in
                        for o in 0..<low.channels {
                            for i in 0..<g {
                                let gain = a + (o * perOutput + i) * n, detail = gi + i * n, blurred = si + i * n, q = dst + o * n
                                for t in range { q[t] += gain[t] * (detail[t] - blurred[t]) }
                            }
                        }
                    }
                }
            }
        }
    }
    return Image(width: guide.width, height: guide.height, channels: low.channels, pixels: out)
}

/// Window-averaged affine coefficients: for output channel o, planes `o·(g+1) ..< o·(g+1)+g` hold mean A (one per guide
/// channel) and plane `o·(g+1)+g` holds mean b, g being the guide's channel count.
struct GuidedFilterCoefficients {
    let width: Int, height: Int, guideChannels: Int, outputChannels: Int
    var planes: [Float]

    var planesPerOutput: Int { guideChannels + 1 }

    init(width: Int, height: Int, guideChannels: Int, outputChannels: Int, planes: [Float]) {
        self.width = width; self.height = height; self.guideChannels = guideChannels; self.outputChannels = outputChannels
        self.planes = planes
    }

    init(input: Image, guide: Image, radius: Int, epsilon: Float) {
        precondition(guide.channels == 1 || guide.channels == 3, "guided filter: the guide needs 1 or 3 channels, got \(guide.channels)")
        precondition(radius >= 0 && epsilon >= 0, "guided filter: radius \(radius) and epsilon \(epsilon) must be ≥ 0")
        let n = guide.planeSize, g = guide.channels, c = input.channels
        // Raw planes to average: I (g), p (c), I_i·I_j for i ≤ j (g(g+1)/2), I_i·p_o (g·c).
        let pairs = (0..<g).flatMap { i in (i..<g).map { (i, $0) } }
        let count = g + c + pairs.count + g * c
        var raw = [Float](repeating: 0, count: count * n)
        raw.withUnsafeMutableBufferPointer { r in
            guide.pixels.withUnsafeBufferPointer { gp in
                input.pixels.withUnsafeBufferPointer { ip in
                    let dst = r.baseAddress!, gi = gp.baseAddress!, pi = ip.baseAddress!
                    dst.update(from: gi, count: g * n)
                    (dst + g * n).update(from: pi, count: c * n)
                    var k = g + c
                    for (i, j) in pairs { for t in 0..<n { dst[k * n + t] = gi[i * n + t] * gi[j * n + t] }; k += 1 }
                    for o in 0..<c { for i in 0..<g { for t in 0..<n { dst[k * n + t] = gi[i * n + t] * pi[o * n + t] }; k += 1 } }
                }
            }
        }
        let means = BoxFilter.mean(planes: raw, count: count, width: guide.width, height: guide.height, radius: radius)

        // Per-pixel ridge regression of p on I in the window centred there.
        var coefficients = [Float](repeating: 0, count: c * (g + 1) * n)
        means.withUnsafeBufferPointer { m in
            coefficients.withUnsafeMutableBufferPointer { out in
                let mean = m.baseAddress!, dst = out.baseAddress!
                Image.parallelChunks(n, work: n * c * 20) { range in
                    for t in range {
                        if g == 1 {
                            let mi = Double(mean[t]), variance = Double(mean[(1 + c) * n + t]) - mi * mi
                            for o in 0..<c {
                                let mp = Double(mean[(1 + o) * n + t])
                                let covariance = Double(mean[(2 + c + o) * n + t]) - mi * mp
                                // ε = 0 on a flat window: a = 0, the output is the window's mean input.
                                let denominator = variance + Double(epsilon)
                                let a = denominator > 1e-30 ? covariance / denominator : 0
                                dst[(o * 2) * n + t] = Float(a)
                                dst[(o * 2 + 1) * n + t] = Float(mp - a * mi)
                            }
                        } else {
                            GuidedFilterCoefficients.solveColour(mean: mean, pixel: t, planeSize: n, outputs: c,
                                                                 epsilon: Double(epsilon), into: dst)
                        }
                    }
                }
            }
        }
        // Each pixel lies in (2r+1)² windows; its output uses the mean of their coefficients (paper, eq. 8).
        let averaged = BoxFilter.mean(planes: coefficients, count: c * (g + 1), width: guide.width, height: guide.height, radius: radius)
        self.init(width: guide.width, height: guide.height, guideChannels: g, outputChannels: c, planes: averaged)
    }

    /// Colour guide: a = (Σ + εI)⁻¹·cov(I, p) with the 3×3 window covariance Σ, b = mean(p) − a·mean(I).
    /// Plane layout of `mean`: I (3), p (outputs), II as 00 01 02 11 12 22, then I·p per output (3 each).
    static func solveColour(mean: UnsafePointer<Float>, pixel t: Int, planeSize n: Int, outputs c: Int, epsilon: Double,
                            into dst: UnsafeMutablePointer<Float>) {
        let m0 = Double(mean[t]), m1 = Double(mean[n + t]), m2 = Double(mean[2 * n + t])
        let ii = 3 + c
        let s00 = Double(mean[ii * n + t]) - m0 * m0 + epsilon
        let s01 = Double(mean[(ii + 1) * n + t]) - m0 * m1
        let s02 = Double(mean[(ii + 2) * n + t]) - m0 * m2
        let s11 = Double(mean[(ii + 3) * n + t]) - m1 * m1 + epsilon
        let s12 = Double(mean[(ii + 4) * n + t]) - m1 * m2
        let s22 = Double(mean[(ii + 5) * n + t]) - m2 * m2 + epsilon
        // Inverse of the symmetric 3×3 matrix by cofactors (positive definite for ε > 0).
        let c00 = s11 * s22 - s12 * s12, c01 = s02 * s12 - s01 * s22, c02 = s01 * s12 - s02 * s11
        let c11 = s00 * s22 - s02 * s02, c12 = s01 * s02 - s00 * s12, c22 = s00 * s11 - s01 * s01
        let determinant = s00 * c00 + s01 * c01 + s02 * c02
        let inverse = determinant > 1e-30 ? 1 / determinant : 0   // ε = 0 on a flat window: fall back to the mean
        for o in 0..<c {
            let mp = Double(mean[(3 + o) * n + t])
            let ip = ii + 6 + 3 * o
            let v0 = Double(mean[ip * n + t]) - m0 * mp
            let v1 = Double(mean[(ip + 1) * n + t]) - m1 * mp
            let v2 = Double(mean[(ip + 2) * n + t]) - m2 * mp
            let a0 = (c00 * v0 + c01 * v1 + c02 * v2) * inverse
            let a1 = (c01 * v0 + c11 * v1 + c12 * v2) * inverse
            let a2 = (c02 * v0 + c12 * v1 + c22 * v2) * inverse
            let base = o * 4
            dst[base * n + t] = Float(a0)
            dst[(base + 1) * n + t] = Float(a1)
            dst[(base + 2) * n + t] = Float(a2)
            dst[(base + 3) * n + t] = Float(mp - a0 * m0 - a1 * m1 - a2 * m2)
        }
    }

    /// The coefficient planes enlarged (or shrunk) to `width` × `height`; they are smooth, so cubic resampling suffices.
    func resized(width newWidth: Int, height newHeight: Int) -> GuidedFilterCoefficients {
        let count = outputChannels * planesPerOutput
        // `Image` holds at most 4 planes, so the planes go through in groups of one.
        var out = [Float](repeating: 0, count: count * newWidth * newHeight)
        let n = width * height, m = newWidth * newHeight
        for k in 0..<count {
            let plane = Image(width: width, height: height, channels: 1, pixels: Array(planes[k * n ..< (k + 1) * n]))
            let big = plane.resized(width: newWidth, height: newHeight)
            out.withUnsafeMutableBufferPointer { o in
                big.pixels.withUnsafeBufferPointer { (o.baseAddress! + k * m).update(from: $0.baseAddress!, count: m) }
            }
        }
        return GuidedFilterCoefficients(width: newWidth, height: newHeight, guideChannels: guideChannels,
                                        outputChannels: outputChannels, planes: out)
    }

    /// q = Σᵢ Aᵢ·guideᵢ + b per output channel.
    func applied(to guide: Image) -> Image {
        precondition(guide.width == width && guide.height == height && guide.channels == guideChannels,
                     "guided filter: coefficients for \(width)x\(height)x\(guideChannels) applied to \(guide.width)x\(guide.height)x\(guide.channels)")
        let n = width * height, g = guideChannels, c = outputChannels
        var out = [Float](repeating: 0, count: c * n)
        planes.withUnsafeBufferPointer { cp in
            guide.pixels.withUnsafeBufferPointer { gp in
                out.withUnsafeMutableBufferPointer { op in
                    let coefficient = cp.baseAddress!, gi = gp.baseAddress!, dst = op.baseAddress!
                    Image.parallelChunks(n, work: n * c * g) { range in
                        for o in 0..<c {
                            let base = o * (g + 1)
                            for t in range {
                                var q = coefficient[(base + g) * n + t]
                                for i in 0..<g { q += coefficient[(base + i) * n + t] * gi[i * n + t] }
                                dst[o * n + t] = q
                            }
                        }
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: c, pixels: out)
    }
}

/// Means over (2r+1)² windows clipped at the image borders, O(1) per pixel (running sums, accumulated in Double so
/// long rows and columns do not drift).
enum BoxFilter {
    /// Each of `count` planes of `width` × `height` in `planes`, box-averaged; planes are spread over the cores.
    static func mean(planes: [Float], count: Int, width: Int, height: Int, radius: Int) -> [Float] {
        let n = width * height
        var out = [Float](repeating: 0, count: count * n)
        planes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let s = src.baseAddress!, d = dst.baseAddress!
                Image.parallelChunks(count, work: count * n * 4) { range in
                    // Scratch buffers once per chunk, reused for every plane in it.
                    var rows = [Double](repeating: 0, count: n), column = [Double](repeating: 0, count: width)
                    for k in range { meanPlane(s + k * n, d + k * n, width: width, height: height, radius: radius, rows: &rows, column: &column) }
                }
            }
        }
        return out
    }

    /// One plane: horizontal window sums into `rows`, then a vertical running sum over them, divided by the window's
    /// clipped pixel count.
    static func meanPlane(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, width w: Int, height h: Int, radius r: Int,
                          rows: inout [Double], column: inout [Double]) {
        rows.withUnsafeMutableBufferPointer { rp in
            let horizontal = rp.baseAddress!
            for y in 0..<h {
                let row = src + y * w, out = horizontal + y * w
                var sum: Double = 0
                for x in 0..<min(r, w) { sum += Double(row[x]) }
                for x in 0..<w {
                    if x + r < w { sum += Double(row[x + r]) }
                    if x - r - 1 >= 0 { sum -= Double(row[x - r - 1]) }
                    out[x] = sum
                }
            }
            column.withUnsafeMutableBufferPointer { cp in
                let acc = cp.baseAddress!
                acc.update(repeating: 0, count: w)
                for y in 0..<min(r, h) { for x in 0..<w { acc[x] += horizontal[y * w + x] } }
                for y in 0..<h {
                    if y + r < h { let add = horizontal + (y + r) * w; for x in 0..<w { acc[x] += add[x] } }
                    if y - r - 1 >= 0 { let drop = horizontal + (y - r - 1) * w; for x in 0..<w { acc[x] -= drop[x] } }
                    let ny = Double(min(y + r, h - 1) - max(y - r, 0) + 1)
                    for x in 0..<w {
                        let nx = Double(min(x + r, w - 1) - max(x - r, 0) + 1)
                        dst[y * w + x] = Float(acc[x] / (nx * ny))
                    }
                }
            }
        }
    }
}
