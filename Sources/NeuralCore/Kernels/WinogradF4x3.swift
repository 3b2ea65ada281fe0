// Winograd F(4×4, 3×3) for stride-1 3×3 convolutions (Lavin & Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016): 6×6 input tiles → 36 GEMMs (O×C · C×tiles) → 4×4 output tiles, 4× fewer multiplies than direct.
// Interpolation points 0, ±1, ±2, ∞. Bands, image groups and the parallel phases are WinogradDriver.swift's.

/// Winograd F(4×4,3×3) convolution on raw NCHW buffers, with weights pre-transformed to U[ξ][o][c] (36·O·C floats).
enum WinogradF4x3: WinogradKernel {
    /// Floats of transform buffers (V and M together) per band; default 8 M floats = 32 MB. Tests lower it with
    /// `$bufferBudgetFloats.withValue` (task-local: band and group sizes change the rounding of other tests' work).
    @TaskLocal static var bufferBudgetFloats = 8 * 1024 * 1024

    static var kernelSize: Int { 3 }
    static var outputSlack: Int { 0 }

    /// U[ξ = 6a + b][o][c] = (G·w[o,c]·Gᵀ)[a][b] for OIHW `weight` (outChannels × inChannels × 3 × 3).
    /// With `flipTranspose`, transforms instead w'[c][o][i][j] = w[o][c][2−i][2−j] (the backward-data kernel),
    /// giving U[ξ][c][o].
    static func transformWeights(_ weight: UnsafePointer<Float>, outChannels: Int, inChannels: Int,
                                 flipTranspose: Bool, into u: UnsafeMutablePointer<Float>) {
        let rowsOut = flipTranspose ? inChannels : outChannels, colsIn = flipTranspose ? outChannels : inChannels
        let plane = rowsOut * colsIn
        let sixth: Float = 1.0 / 6, c12: Float = 1.0 / 12, c24: Float = 1.0 / 24  // multiply: divides are slow
        ComputeThreads.parallelRanges(rowsOut) { rows in
            for r in rows {
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

    /// One worker's buffers for a phase of a band (those the phase does not use are empty): the input strip's phase
    /// planes, the output-gradient planes (backward filter, zeroed once: see `transformGradientBand`), the
    /// transforms' scratch vectors, and the output transform's copy of a partial tile group.
    struct Buffers {
        let phases: UnsafeMutablePointer<Float>, planes: UnsafeMutablePointer<Float>
        let padded: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<V8>
    }

    static func allocate(_ phase: WinogradPhase, _ band: WinogradBand) -> Buffers {
        let input = phase != .output, planes = phase == .inputAndGradient ? 16 * (band.imageTiles + 8) : 0
        let phases = input ? 4 * (4 * band.tileRows + 2) * phaseWidth(tilesW: band.tilesW) : 0
        let buffers = Buffers(phases: .allocate(capacity: phases), planes: .allocate(capacity: planes),
                              padded: .allocate(capacity: input ? 0 : 36 * 8), scratch: .allocate(capacity: input ? 36 : 24))
        buffers.planes.initialize(repeating: 0, count: planes)
        return buffers
    }

    static func deallocate(_ buffers: Buffers) {
        buffers.phases.deallocate(); buffers.planes.deallocate()
        buffers.padded.deallocate(); buffers.scratch.deallocate()
    }

    /// Input transform of one channel's band: input rows → V[ξ][·][t] at `dst` (ξ stride `band.vStride`), 8 tiles at
    /// a time. The zero-padded strip is stored as 4 column phases (column 4q + r in plane r at q), so the six columns
    /// of eight neighbouring tiles are six contiguous 8-float loads.
    static func transformInputBand(plane: UnsafePointer<Float>, band: WinogradBand, buffers: Buffers,
                                   dst: UnsafeMutablePointer<Float>) {
        let h = band.geometry.inHeight, w = band.geometry.inWidth, pad = band.geometry.padH, xiStride = band.vStride
        let firstRow = 4 * band.firstTileRow - pad, tileRows = band.tileRows, tilesW = band.tilesW
        let phases = buffers.phases, phaseW = phaseWidth(tilesW: tilesW), scratch = buffers.scratch
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

    /// Output transform of one output channel's band: M[ξ][·][t] at `src` (ξ stride `band.mStride`) → output rows.
    static func transformOutputBand(src: UnsafePointer<Float>, bias: Float, relu: Bool, band: WinogradBand,
                                    buffers: Buffers, out plane: UnsafeMutablePointer<Float>) {
        let xiStride = band.mStride, tileRows = band.tileRows, tilesW = band.tilesW, firstTileRow = band.firstTileRow
        let oh = band.geometry.outHeight, ow = band.geometry.outWidth, scratch = buffers.scratch, padded = buffers.padded
        let b = V8(repeating: bias), reluMask = SIMD8<Int32>(repeating: relu ? -1 : 0)
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
                        store(reluMasked(V8(y.0[0], y.1[0], y.2[0], y.3[0], y.0[1], y.1[1], y.2[1], y.3[1]), reluMask), out)
                        store(reluMasked(V8(y.0[2], y.1[2], y.2[2], y.3[2], y.0[3], y.1[3], y.2[3], y.3[3]), reluMask), out + 8)
                        store(reluMasked(V8(y.0[4], y.1[4], y.2[4], y.3[4], y.0[5], y.1[5], y.2[5], y.3[5]), reluMask), out + 16)
                        store(reluMasked(V8(y.0[6], y.1[6], y.2[6], y.3[6], y.0[7], y.1[7], y.2[7], y.3[7]), reluMask), out + 24)
                        continue
                    }
                    for l in 0..<lanes {
                        let x0 = 4 * (g0 + l), cols = min(4, ow - x0), out = row + x0
                        out[0] = (relu ? max(y.0[l], 0) : y.0[l])
                        if cols > 1 { out[1] = (relu ? max(y.1[l], 0) : y.1[l]) }
                        if cols > 2 { out[2] = (relu ? max(y.2[l], 0) : y.2[l]) }
                        if cols > 3 { out[3] = (relu ? max(y.3[l], 0) : y.3[l]) }
                    }
                }
            }
        }
    }
}
