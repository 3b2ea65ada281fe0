// Winograd F(4×4, 3×3) for stride-1 3×3 convolutions (Lavin & Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016): 6×6 input tiles → 36 GEMMs (O×C · C×tiles) → 4×4 output tiles, 4× fewer multiplies than direct.
// Interpolation points 0, ±1, ±2, ∞. Work is banded over tile rows so buffers stay bounded.
import COpenBLAS

/// Winograd F(4×4,3×3) convolution on raw NCHW buffers, with weights pre-transformed to U[ξ][o][c] (36·O·C floats).
enum WinogradF4x3 {
    /// Floats of transform buffers (V and M together) per band; default 8 M floats = 32 MB. Tests lower it.
    nonisolated(unsafe) static var bufferBudgetFloats = 8 * 1024 * 1024

    /// Stride 1, 3×3, padding ≤ 2 (so the backward-data conv, padding 2 − p, is also one).
    static func applicable(_ g: ConvGeometry) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && g.strideH == 1 && g.strideW == 1
            && g.padH <= 2 && g.padW <= 2 && g.padH == g.padW
    }

    /// Stride-1 backward data is a correlation of dY with the flipped, transposed kernel and padding 2 − p:
    /// the geometry of that forward conv (its output is gradInput, same size as the original input).
    static func backwardDataGeometry(_ g: ConvGeometry) -> ConvGeometry {
        ConvGeometry(batch: g.batch, inChannels: g.outChannels, inHeight: g.outHeight, inWidth: g.outWidth,
                     outChannels: g.inChannels, kernelHeight: 3, kernelWidth: 3, padH: 2 - g.padH, padW: 2 - g.padW)
    }

    /// U[ξ = 6a + b][o][c] = (G·w[o,c]·Gᵀ)[a][b] for OIHW `weight` (outChannels × inChannels × 3 × 3).
    /// With `flipTranspose`, transforms instead w'[c][o][i][j] = w[o][c][2−i][2−j] (the backward-data kernel),
    /// giving U[ξ][c][o].
    static func transformWeights(_ weight: UnsafePointer<Float>, outChannels: Int, inChannels: Int,
                                 flipTranspose: Bool, into u: UnsafeMutablePointer<Float>) {
        let g: [[Float]] = [[1.0 / 4, 0, 0], [-1.0 / 6, -1.0 / 6, -1.0 / 6], [-1.0 / 6, 1.0 / 6, -1.0 / 6],
                            [1.0 / 24, 1.0 / 12, 1.0 / 6], [1.0 / 24, -1.0 / 12, 1.0 / 6], [0, 0, 1]]
        let rowsOut = flipTranspose ? inChannels : outChannels, colsIn = flipTranspose ? outChannels : inChannels
        let plane = rowsOut * colsIn
        ComputeThreads.parallelFor(min(ComputeThreads.workers, rowsOut)) { part in
            var w = [Float](repeating: 0, count: 9), t = [Float](repeating: 0, count: 18)
            for r in ComputeThreads.split(rowsOut, parts: min(ComputeThreads.workers, rowsOut))[part] {
                for c in 0..<colsIn {
                    let src = flipTranspose ? weight + (c * inChannels + r) * 9 : weight + (r * inChannels + c) * 9
                    for i in 0..<9 { w[i] = flipTranspose ? src[8 - i] : src[i] }
                    for a in 0..<6 { for j in 0..<3 {  // t = G·w (6×3)
                        t[a * 3 + j] = g[a][0] * w[j] + g[a][1] * w[3 + j] + g[a][2] * w[6 + j]
                    } }
                    for a in 0..<6 { for b in 0..<6 {  // U = t·Gᵀ (6×6)
                        u[(a * 6 + b) * plane + r * colsIn + c] = t[a * 3] * g[b][0] + t[a * 3 + 1] * g[b][1] + t[a * 3 + 2] * g[b][2]
                    } }
                }
            }
        }
    }

    /// Bᵀ·d for six values d[0], d[s], …, d[5s].
    @inline(__always)
    static func inputTransform(_ p: UnsafePointer<Float>, _ s: Int) -> (Float, Float, Float, Float, Float, Float) {
        let d0 = p[0], d1 = p[s], d2 = p[2 * s], d3 = p[3 * s], d4 = p[4 * s], d5 = p[5 * s]
        return (4 * d0 - 5 * d2 + d4, d3 + d4 - 4 * (d1 + d2), 4 * (d1 - d2) + d4 - d3,
                2 * (d3 - d1) + d4 - d2, 2 * (d1 - d3) + d4 - d2, 4 * d1 - 5 * d3 + d5)
    }

    /// Aᵀ·m for six values m[0], m[s], …, m[5s].
    @inline(__always)
    static func outputTransform(_ p: UnsafePointer<Float>, _ s: Int) -> (Float, Float, Float, Float) {
        let m0 = p[0], m1 = p[s], m2 = p[2 * s], m3 = p[3 * s], m4 = p[4 * s], m5 = p[5 * s]
        let a = m1 + m2, b = m1 - m2, c = m3 + m4, d = m3 - m4
        return (m0 + a + c, b + 2 * d, a + 4 * c, b + 8 * d + m5)
    }

    /// output = conv(input, weights whose transform is `u`) + bias, for stride 1, 3×3, padding g.padH. Overwrites output.
    static func convolve(input: UnsafePointer<Float>, transformedWeight u: UnsafePointer<Float>,
                         bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, geometry g: ConvGeometry) {
        let c = g.inChannels, o = g.outChannels, h = g.inHeight, w = g.inWidth, pad = g.padH
        let oh = g.outHeight, ow = g.outWidth, tilesH = (oh + 3) / 4, tilesW = (ow + 3) / 4
        let workers = ComputeThreads.workers
        let bandRows = max(1, min(tilesH, bufferBudgetFloats / (36 * (c + o) * tilesW)))
        let maxTiles = bandRows * tilesW
        let v = UnsafeMutablePointer<Float>.allocate(capacity: 36 * c * maxTiles)
        let m = UnsafeMutablePointer<Float>.allocate(capacity: 36 * o * maxTiles)
        defer { v.deallocate(); m.deallocate() }
        let stripW = 4 * tilesW + 2
        for n in 0..<g.batch {
            let image = input + n * c * h * w, outImage = output + n * o * oh * ow
            for ty0 in stride(from: 0, to: tilesH, by: bandRows) {
                let rowsInBand = min(bandRows, tilesH - ty0), tiles = rowsInBand * tilesW
                let stripH = 4 * rowsInBand + 2
                // 1. Input transform, parallel over channels: zero-padded strip, then Bᵀ·d·B per 6×6 tile.
                let cParts = min(workers, c)
                ComputeThreads.parallelFor(cParts) { part in
                    let strip = UnsafeMutablePointer<Float>.allocate(capacity: stripH * stripW)
                    let tmp = UnsafeMutablePointer<Float>.allocate(capacity: 36)
                    defer { strip.deallocate(); tmp.deallocate() }
                    for ch in ComputeThreads.split(c, parts: cParts)[part] {
                        let plane = image + ch * h * w
                        for r in 0..<stripH {
                            let row = strip + r * stripW, iy = 4 * ty0 - pad + r
                            row.initialize(repeating: 0, count: stripW)
                            if iy < 0 || iy >= h { continue }
                            let x0 = pad, count = min(w, stripW - pad)  // strip column k holds input column k − pad
                            if count > 0 { (row + x0).update(from: plane + iy * w, count: count) }
                        }
                        let dst = v + ch * tiles
                        for tr in 0..<rowsInBand { for tx in 0..<tilesW {
                            let t = tr * tilesW + tx, base = strip + 4 * tr * stripW + 4 * tx
                            for j in 0..<6 {
                                let r = inputTransform(base + j, stripW)
                                tmp[j] = r.0; tmp[6 + j] = r.1; tmp[12 + j] = r.2
                                tmp[18 + j] = r.3; tmp[24 + j] = r.4; tmp[30 + j] = r.5
                            }
                            for i in 0..<6 {
                                let r = inputTransform(tmp + 6 * i, 1), xi = dst + 6 * i * c * tiles + t
                                xi[0] = r.0; xi[c * tiles] = r.1; xi[2 * c * tiles] = r.2
                                xi[3 * c * tiles] = r.3; xi[4 * c * tiles] = r.4; xi[5 * c * tiles] = r.5
                            }
                        } }
                    }
                }
                // 2. 36 independent GEMMs M[ξ] (O × tiles) = U[ξ] (O × C) · V[ξ] (C × tiles), split over workers.
                let xiParts = min(workers, 36)
                ComputeThreads.parallelFor(xiParts) { part in
                    for xi in ComputeThreads.split(36, parts: xiParts)[part] {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(o), Int32(tiles), Int32(c), 1,
                                    u + xi * o * c, Int32(c), v + xi * c * tiles, Int32(tiles), 0,
                                    m + xi * o * tiles, Int32(tiles))
                    }
                }
                // 3. Output transform Aᵀ·M·A, parallel over output channels; edge tiles write only inside the image.
                let oParts = min(workers, o)
                ComputeThreads.parallelFor(oParts) { part in
                    let tmp = UnsafeMutablePointer<Float>.allocate(capacity: 24)
                    defer { tmp.deallocate() }
                    for oc in ComputeThreads.split(o, parts: oParts)[part] {
                        let b = bias?[oc] ?? 0, src = m + oc * tiles, plane = outImage + oc * oh * ow
                        let stride = o * tiles
                        for tr in 0..<rowsInBand { for tx in 0..<tilesW {
                            let t = tr * tilesW + tx
                            for j in 0..<6 {  // columns: tmp[i][j] = (Aᵀ·M)[i][j]
                                let r = outputTransform(src + t + j * stride, 6 * stride)
                                tmp[j] = r.0; tmp[6 + j] = r.1; tmp[12 + j] = r.2; tmp[18 + j] = r.3
                            }
                            let y0 = 4 * (ty0 + tr), x0 = 4 * tx
                            let rows = min(4, oh - y0), cols = min(4, ow - x0)
                            for i in 0..<rows {
                                let r = outputTransform(tmp + 6 * i, 1), out = plane + (y0 + i) * ow + x0
                                out[0] = r.0 + b
                                if cols > 1 { out[1] = r.1 + b }
                                if cols > 2 { out[2] = r.2 + b }
                                if cols > 3 { out[3] = r.3 + b }
                            }
                        } }
                    }
                }
            }
        }
    }
}
