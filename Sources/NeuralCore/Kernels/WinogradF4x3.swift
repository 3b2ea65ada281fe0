// Winograd F(4×4, 3×3) for stride-1 3×3 convolutions (Lavin & Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016): 6×6 input tiles → 36 GEMMs (O×C · C×tiles) → 4×4 output tiles, 4× fewer multiplies than direct.
// Interpolation points 0, ±1, ±2, ∞. Work is banded over tile rows so buffers stay bounded.
import COpenBLAS

/// Winograd F(4×4,3×3) convolution on raw NCHW buffers, with weights pre-transformed to U[ξ][o][c] (36·O·C floats).
enum WinogradF4x3 {
    /// Floats of transform buffers (V and M together) per band; default 8 M floats = 32 MB. Tests lower it with
    /// `$bufferBudgetFloats.withValue` (task-local: band and group sizes change the rounding of other tests' work).
    @TaskLocal static var bufferBudgetFloats = 8 * 1024 * 1024

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
        let rowsOut = flipTranspose ? inChannels : outChannels, colsIn = flipTranspose ? outChannels : inChannels
        let plane = rowsOut * colsIn, parts = min(ComputeThreads.workers, rowsOut)
        let sixth: Float = 1.0 / 6, c12: Float = 1.0 / 12, c24: Float = 1.0 / 24  // multiply: divides are slow
        ComputeThreads.parallelFor(parts) { part in
            for r in ComputeThreads.split(rowsOut, parts: parts)[part] {
                for c in 0..<colsIn {
                    let src = flipTranspose ? weight + (c * inChannels + r) * 9 : weight + (r * inChannels + c) * 9
                    // Rows of the 3×3 kernel as vectors (lane = column), flipped in both axes for backward data.
                    func row(_ i: Int) -> SIMD4<Float> {
                        flipTranspose ? SIMD4(src[8 - 3 * i], src[7 - 3 * i], src[6 - 3 * i], 0)
                                      : SIMD4(src[3 * i], src[3 * i + 1], src[3 * i + 2], 0)
                    }
                    let w0 = row(0), w1 = row(1), w2 = row(2)
                    // t = G·w: six rows, each a combination of the kernel rows.
                    let t0 = w0 * 0.25, t1 = -(w0 + w1 + w2) * sixth, t2 = (w1 - w0 - w2) * sixth
                    let t3 = w0 * c24 + w1 * c12 + w2 * sixth, t4 = w0 * c24 - w1 * c12 + w2 * sixth, t5 = w2
                    let dst = u + r * colsIn + c
                    // U[a][·] = t[a]·Gᵀ: the same combinations across the columns.
                    @inline(__always) func put(_ a: Int, _ x: SIMD4<Float>) {
                        let x0 = x[0], x1 = x[1], x2 = x[2], row = dst + 6 * a * plane
                        row[0] = x0 * 0.25
                        row[plane] = -(x0 + x1 + x2) * sixth
                        row[2 * plane] = (x1 - x0 - x2) * sixth
                        row[3 * plane] = x0 * c24 + x1 * c12 + x2 * sixth
                        row[4 * plane] = x0 * c24 - x1 * c12 + x2 * sixth
                        row[5 * plane] = x2
                    }
                    put(0, t0); put(1, t1); put(2, t2); put(3, t3); put(4, t4); put(5, t5)
                }
            }
        }
    }

    typealias V8 = SIMD8<Float>

    /// Bᵀ·d on six vectors (each lane a different tile).
    @inline(__always)
    static func inputTransform(_ d0: V8, _ d1: V8, _ d2: V8, _ d3: V8, _ d4: V8, _ d5: V8) -> (V8, V8, V8, V8, V8, V8) {
        let a = d4 - d2, b = d3 - d1
        return (4 * d0 - 5 * d2 + d4, d3 + d4 - 4 * (d1 + d2), 4 * (d1 - d2) + d4 - d3,
                2 * b + a, a - 2 * b, 4 * d1 - 5 * d3 + d5)
    }

    /// Aᵀ·m on six vectors (each lane a different tile).
    @inline(__always)
    static func outputTransform(_ m0: V8, _ m1: V8, _ m2: V8, _ m3: V8, _ m4: V8, _ m5: V8) -> (V8, V8, V8, V8) {
        let a = m1 + m2, b = m1 - m2, c = m3 + m4, d = m3 - m4
        return (m0 + a + c, b + 2 * d, a + 4 * c, b + 8 * d + m5)
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V8 {
        UnsafeRawPointer(p).loadUnaligned(as: V8.self)
    }
    @inline(__always) static func store(_ v: V8, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V8.self)
    }

    /// Columns of the input strip's phase planes: ⌈tilesW/8⌉·8 + 1, so 8-wide loads of the last group stay inside (zeros).
    static func phaseWidth(tilesW: Int) -> Int { (tilesW + 7) / 8 * 8 + 1 }

    /// Input transform of one channel's band: input rows → V[ξ][·][t] at `dst` (ξ stride `xiStride`), 8 tiles at a
    /// time. The zero-padded strip is stored as 4 column phases (column 4q + r in plane r at q), so the six columns
    /// of eight neighbouring tiles are six contiguous 8-float loads.
    static func transformInputBand(plane: UnsafePointer<Float>, height h: Int, width w: Int, pad: Int, firstRow: Int,
                                   tileRows: Int, tilesW: Int, phases: UnsafeMutablePointer<Float>, phaseW: Int,
                                   scratch: UnsafeMutablePointer<V8>, dst: UnsafeMutablePointer<Float>, xiStride: Int) {
        let stripH = 4 * tileRows + 2, phaseSize = stripH * phaseW
        // Every place the loads below read is written on every call: the image's pixels, and zeros for the padding
        // rows and columns and the slack past the last tile (zeroing the whole buffer instead showed up as memset).
        @inline(__always) func slot(_ k: Int) -> Int { (k & 3) * phaseSize + (k >> 2) }  // strip column k in its phase plane
        for r in 0..<stripH {
            let iy = firstRow + r, row = phases + r * phaseW
            if iy < 0 || iy >= h {
                for p in 0..<4 { (row + p * phaseSize).initialize(repeating: 0, count: phaseW) }
                continue
            }
            for k in 0..<pad { row[slot(k)] = 0 }
            for k in (pad + w)..<(4 * phaseW) { row[slot(k)] = 0 }
            let src = plane + iy * w
            // Scalar up to the first column k = ix + pad that starts a phase group, then 32 columns at a time: four
            // loads split four ways by lane (lanes r and r + 4 of each load go to phase r), eight floats per store.
            @inline(__always) func put(_ ix: Int) { row[slot(ix + pad)] = src[ix] }
            var ix = 0
            while ix < w && (ix + pad) & 3 != 0 { put(ix); ix += 1 }
            while ix + 32 <= w {
                let a0 = load(src + ix), a1 = load(src + ix + 8), a2 = load(src + ix + 16), a3 = load(src + ix + 24)
                let q = (ix + pad) >> 2
                store(V8(a0[0], a0[4], a1[0], a1[4], a2[0], a2[4], a3[0], a3[4]), row + q)
                store(V8(a0[1], a0[5], a1[1], a1[5], a2[1], a2[5], a3[1], a3[5]), row + phaseSize + q)
                store(V8(a0[2], a0[6], a1[2], a1[6], a2[2], a2[6], a3[2], a3[6]), row + 2 * phaseSize + q)
                store(V8(a0[3], a0[7], a1[3], a1[7], a2[3], a2[7], a3[3], a3[7]), row + 3 * phaseSize + q)
                ix += 32
            }
            while ix < w { put(ix); ix += 1 }
        }
        for tr in 0..<tileRows {
            for g0 in stride(from: 0, to: tilesW, by: 8) {
                for k in 0..<6 {  // column k of the 6×6 tiles: Bᵀ down the rows
                    let base = phases + (k & 3) * phaseSize + 4 * tr * phaseW + g0 + (k >> 2)
                    let r = inputTransform(load(base), load(base + phaseW), load(base + 2 * phaseW),
                                           load(base + 3 * phaseW), load(base + 4 * phaseW), load(base + 5 * phaseW))
                    scratch[k] = r.0; scratch[6 + k] = r.1; scratch[12 + k] = r.2
                    scratch[18 + k] = r.3; scratch[24 + k] = r.4; scratch[30 + k] = r.5
                }
                let t0 = tr * tilesW + g0, lanes = min(8, tilesW - g0)
                for i in 0..<6 {  // row i: ·B across the columns
                    let s = scratch + 6 * i
                    let r = inputTransform(s[0], s[1], s[2], s[3], s[4], s[5])
                    let out = dst + 6 * i * xiStride + t0
                    if lanes == 8 {
                        store(r.0, out); store(r.1, out + xiStride); store(r.2, out + 2 * xiStride)
                        store(r.3, out + 3 * xiStride); store(r.4, out + 4 * xiStride); store(r.5, out + 5 * xiStride)
                    } else {
                        for l in 0..<lanes {
                            out[l] = r.0[l]; out[xiStride + l] = r.1[l]; out[2 * xiStride + l] = r.2[l]
                            out[3 * xiStride + l] = r.3[l]; out[4 * xiStride + l] = r.4[l]; out[5 * xiStride + l] = r.5[l]
                        }
                    }
                }
            }
        }
    }

    /// Output transform of one output channel's band: M[ξ][·][t] at `src` (ξ stride `xiStride`) → output rows.
    static func transformOutputBand(src: UnsafePointer<Float>, xiStride: Int, bias: Float, tileRows: Int, tilesW: Int,
                                    firstTileRow: Int, out plane: UnsafeMutablePointer<Float>, outHeight oh: Int,
                                    outWidth ow: Int, scratch: UnsafeMutablePointer<V8>, padded: UnsafeMutablePointer<Float>) {
        let b = V8(repeating: bias)
        for tr in 0..<tileRows {
            for g0 in stride(from: 0, to: tilesW, by: 8) {
                let t0 = tr * tilesW + g0, lanes = min(8, tilesW - g0)
                // A partial group is copied out so the loads below never read past this band's tiles.
                var base = src + t0, step = xiStride
                if lanes < 8 {
                    padded.initialize(repeating: 0, count: 36 * 8)
                    for xi in 0..<36 { for l in 0..<lanes { padded[xi * 8 + l] = src[xi * xiStride + t0 + l] } }
                    base = UnsafePointer(padded); step = 8
                }
                for j in 0..<6 {  // column j: Aᵀ down the rows
                    let p = base + j * step, s6 = 6 * step
                    let r = outputTransform(load(p), load(p + s6), load(p + 2 * s6), load(p + 3 * s6),
                                            load(p + 4 * s6), load(p + 5 * s6))
                    scratch[j] = r.0; scratch[6 + j] = r.1; scratch[12 + j] = r.2; scratch[18 + j] = r.3
                }
                let y0 = 4 * (firstTileRow + tr), rows = min(4, oh - y0)
                for i in 0..<rows {
                    let s = scratch + 6 * i
                    let r = outputTransform(s[0], s[1], s[2], s[3], s[4], s[5])
                    let y = (r.0 + b, r.1 + b, r.2 + b, r.3 + b)
                    let row = plane + (y0 + i) * ow
                    if lanes == 8 && 4 * (g0 + 8) <= ow {  // eight whole tiles: 32 contiguous floats, interleaved
                        let out = row + 4 * g0
                        store(V8(y.0[0], y.1[0], y.2[0], y.3[0], y.0[1], y.1[1], y.2[1], y.3[1]), out)
                        store(V8(y.0[2], y.1[2], y.2[2], y.3[2], y.0[3], y.1[3], y.2[3], y.3[3]), out + 8)
                        store(V8(y.0[4], y.1[4], y.2[4], y.3[4], y.0[5], y.1[5], y.2[5], y.3[5]), out + 16)
                        store(V8(y.0[6], y.1[6], y.2[6], y.3[6], y.0[7], y.1[7], y.2[7], y.3[7]), out + 24)
                        continue
                    }
                    for l in 0..<lanes {
                        let x0 = 4 * (g0 + l), cols = min(4, ow - x0), out = row + x0
                        out[0] = y.0[l]
                        if cols > 1 { out[1] = y.1[l] }
                        if cols > 2 { out[2] = y.2[l] }
                        if cols > 3 { out[3] = y.3[l] }
                    }
                }
            }
        }
    }

    /// Bands or image groups for this kernel (36 points per tile, `bufferBudgetFloats`): `WinogradLayout.workPlan`.
    static func workPlan(_ g: ConvGeometry) -> (tilesH: Int, tilesW: Int, bandRows: Int, groupImages: Int) {
        WinogradLayout.workPlan(g, points: 36, budgetFloats: bufferBudgetFloats)
    }

    /// output = conv(input, weights whose transform is `u`) + bias, for stride 1, 3×3, padding g.padH. Overwrites output.
    /// Large images are processed one band of tile rows at a time; small ones (a whole image fits the budget) in
    /// groups of images, so the 36 GEMMs see many tiles and each parallel phase runs once per group, not per image.
    static func convolve(input: UnsafePointer<Float>, transformedWeight u: UnsafePointer<Float>,
                         bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, geometry g: ConvGeometry) {
        let c = g.inChannels, o = g.outChannels, h = g.inHeight, w = g.inWidth, pad = g.padH
        let oh = g.outHeight, ow = g.outWidth
        let workers = ComputeThreads.workers
        let (tilesH, tilesW, bandRows, groupImages) = workPlan(g)
        let maxTiles = groupImages * bandRows * tilesW
        let vBlock = KernelScratch.take(36 * WinogradLayout.xiStride(c * maxTiles))
        let mBlock = KernelScratch.take(36 * WinogradLayout.xiStride(o * maxTiles))
        defer { KernelScratch.give(vBlock); KernelScratch.give(mBlock) }
        let v = vBlock.pointer, m = mBlock.pointer
        let phaseW = phaseWidth(tilesW: tilesW)
        for n0 in stride(from: 0, to: g.batch, by: groupImages) {
            let images = min(groupImages, g.batch - n0)
            for ty0 in stride(from: 0, to: tilesH, by: bandRows) {
                let rowsInBand = min(bandRows, tilesH - ty0), imageTiles = rowsInBand * tilesW, tiles = images * imageTiles
                let stripH = 4 * rowsInBand + 2
                let vStride = WinogradLayout.xiStride(c * tiles), mStride = WinogradLayout.xiStride(o * tiles)
                // 1. Input transform, parallel over (image, channel) planes; image i's tiles follow image i − 1's.
                let inParts = min(workers, images * c)
                ComputeThreads.parallelFor(inParts) { part in
                    let phases = UnsafeMutablePointer<Float>.allocate(capacity: 4 * stripH * phaseW)
                    let scratch = UnsafeMutablePointer<V8>.allocate(capacity: 36)
                    defer { phases.deallocate(); scratch.deallocate() }
                    for item in ComputeThreads.split(images * c, parts: inParts)[part] {
                        let i = item / c, ch = item % c
                        transformInputBand(plane: input + ((n0 + i) * c + ch) * h * w, height: h, width: w, pad: pad,
                                           firstRow: 4 * ty0 - pad, tileRows: rowsInBand, tilesW: tilesW, phases: phases,
                                           phaseW: phaseW, scratch: scratch, dst: v + ch * tiles + i * imageTiles,
                                           xiStride: vStride)
                    }
                }
                // 2. 36 independent GEMMs M[ξ] (O × tiles) = U[ξ] (O × C) · V[ξ] (C × tiles), split over workers.
                let xiParts = min(workers, 36)
                ComputeThreads.parallelFor(xiParts) { part in
                    for xi in ComputeThreads.split(36, parts: xiParts)[part] {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(o), Int32(tiles), Int32(c), 1,
                                    u + xi * o * c, Int32(c), v + xi * vStride, Int32(tiles), 0,
                                    m + xi * mStride, Int32(tiles))
                    }
                }
                // 3. Output transform Aᵀ·M·A, parallel over (image, output channel); edge tiles write only inside the image.
                let outParts = min(workers, images * o)
                ComputeThreads.parallelFor(outParts) { part in
                    let scratch = UnsafeMutablePointer<V8>.allocate(capacity: 24)
                    let padded = UnsafeMutablePointer<Float>.allocate(capacity: 36 * 8)
                    defer { scratch.deallocate(); padded.deallocate() }
                    for item in ComputeThreads.split(images * o, parts: outParts)[part] {
                        let i = item / o, oc = item % o
                        transformOutputBand(src: m + oc * tiles + i * imageTiles, xiStride: mStride, bias: bias?[oc] ?? 0,
                                            tileRows: rowsInBand, tilesW: tilesW, firstTileRow: ty0,
                                            out: output + ((n0 + i) * o + oc) * oh * ow, outHeight: oh, outWidth: ow,
                                            scratch: scratch, padded: padded)
                    }
                }
            }
        }
    }
}
