// Winograd F(4×4, 5×5) for stride-1 5×5 convolutions (Lavin & Gray 2016): 8×8 input tiles → 64 GEMMs
// (O×C · C×tiles) → 4×4 output tiles, 25·16/64 = 6.25× fewer multiplies than direct (≈ 4.8× on 14² maps with edge
// tiles). Interpolation points 0, ±1, ±2, ±½, ∞. Bands, image groups and the parallel phases are those of
// WinogradDriver.swift, as for WinogradF4x3; tiles are vectorised across whole tile rows, so narrow maps still fill
// the SIMD lanes.

/// Winograd F(4×4,5×5) convolution on raw NCHW buffers, with weights pre-transformed to U[ξ][o][c] (64·O·C floats).
///
/// Transforms (rows/columns of the ½-points scaled so Bᵀ and Aᵀ have integer entries):
///   Bᵀ = [4 0 −21 0 21 0 −4 0; 0 −4 −4 17 17 −4 −4 0; 0 4 −4 −17 17 4 −4 0; 0 2 1 −10 −5 8 4 0;
///         0 −2 1 10 −5 −8 4 0; 0 4 8 −5 −10 1 2 0; 0 −4 8 5 −10 −1 2 0; 0 −4 0 21 0 −21 0 4]
///   G  = [1/4 0 0 0 0; (1 1 1 1 1)/18; (1 −1 1 −1 1)/18; (1 2 4 8 16)/360; (1 −2 4 −8 16)/360;
///         (16 8 4 2 1)/360; (16 −8 4 −2 1)/360; 0 0 0 0 1/4]
///   Aᵀ = [1 1 1 1 1 8 8 0; 0 1 −1 2 −2 4 −4 0; 0 1 1 4 4 2 2 0; 0 1 −1 8 −8 1 −1 1]
enum WinogradF4x5: WinogradKernel {
    /// Floats of transform buffers (V and M together) per band or image group; default 1 M floats = 4 MB, so V and M
    /// stay in cache between the three phases (the seeds conv2 at batch 64 ran 20–30 % slower with the whole batch in
    /// one 25 MB group). Tests lower it with `$bufferBudgetFloats.withValue` (task-local, as WinogradF4x3's).
    @TaskLocal static var bufferBudgetFloats = 1024 * 1024

    static var kernelSize: Int { 5 }
    /// `transformOutputBand` reads up to 3 floats past the band's last tile.
    static var outputSlack: Int { 4 }

    typealias V8 = SIMD8<Float>

    /// G·g on five vectors (the kernel transform, applied to rows and then to columns).
    @inline(__always)
    static func kernelTransform(_ g0: V8, _ g1: V8, _ g2: V8, _ g3: V8, _ g4: V8) -> (V8, V8, V8, V8, V8, V8, V8, V8) {
        let c18: Float = 1.0 / 18, c360: Float = 1.0 / 360  // multiply: divides are slow
        let e1 = g0 + g2 + g4, o1 = g1 + g3
        let e2 = g0 + 4 * g2 + 16 * g4, o2 = 2 * g1 + 8 * g3
        let e3 = 16 * g0 + 4 * g2 + g4, o3 = 8 * g1 + 2 * g3
        return (g0 * 0.25, (e1 + o1) * c18, (e1 - o1) * c18, (e2 + o2) * c360, (e2 - o2) * c360,
                (e3 + o3) * c360, (e3 - o3) * c360, g4 * 0.25)
    }

    /// U[ξ = 8a + b][o][c] = (G·w[o,c]·Gᵀ)[a][b] for OIHW `weight` (outChannels × inChannels × 5 × 5).
    /// With `flipTranspose`, transforms instead w'[c][o][i][j] = w[o][c][4−i][4−j] (the backward-data kernel),
    /// giving U[ξ][c][o].
    static func transformWeights(_ weight: UnsafePointer<Float>, outChannels: Int, inChannels: Int,
                                 flipTranspose: Bool, into u: UnsafeMutablePointer<Float>) {
        let rowsOut = flipTranspose ? inChannels : outChannels, colsIn = flipTranspose ? outChannels : inChannels
        let plane = rowsOut * colsIn
        ComputeThreads.parallelRanges(rowsOut) { rows in
            for r in rows {
                for c in 0..<colsIn {
                    let src = flipTranspose ? weight + (c * inChannels + r) * 25 : weight + (r * inChannels + c) * 25
                    // Kernel rows as vectors (lane = column), flipped in both axes for backward data.
                    func row(_ i: Int) -> V8 {
                        let s = flipTranspose ? src + 24 - 5 * i : src + 5 * i, d = flipTranspose ? -1 : 1
                        return V8(s[0], s[d], s[2 * d], s[3 * d], s[4 * d], 0, 0, 0)
                    }
                    let t = kernelTransform(row(0), row(1), row(2), row(3), row(4))  // t[a] = (G·w)[a][·]
                    // Columns of t (lane = a), transformed again: x_b[a] = (G·w·Gᵀ)[a][b].
                    func column(_ j: Int) -> V8 { V8(t.0[j], t.1[j], t.2[j], t.3[j], t.4[j], t.5[j], t.6[j], t.7[j]) }
                    let x = kernelTransform(column(0), column(1), column(2), column(3), column(4))
                    let dst = u + r * colsIn + c
                    for a in 0..<8 {
                        let row = dst + 8 * a * plane
                        row[0] = x.0[a]; row[plane] = x.1[a]; row[2 * plane] = x.2[a]; row[3 * plane] = x.3[a]
                        row[4 * plane] = x.4[a]; row[5 * plane] = x.5[a]; row[6 * plane] = x.6[a]; row[7 * plane] = x.7[a]
                    }
                }
            }
        }
    }

    /// Four tiles' values, one per lane. Four, not eight: without AVX (the package builds for baseline x86-64)
    /// a SIMD8 takes two of the 16 SSE registers and the 8-point transforms spilled to the stack.
    typealias V4 = SIMD4<Float>

    /// Bᵀ·d on eight vectors (each lane a different tile); the ± point pairs share their even and odd parts.
    @inline(__always)
    static func inputTransform(_ d0: V4, _ d1: V4, _ d2: V4, _ d3: V4, _ d4: V4, _ d5: V4, _ d6: V4, _ d7: V4)
        -> (V4, V4, V4, V4, V4, V4, V4, V4) {
        let r0 = 4 * (d0 - d6) + 21 * (d4 - d2), r7 = 4 * (d7 - d1) + 21 * (d3 - d5)
        let p1 = 17 * d4 - 4 * (d2 + d6), q1 = 17 * d3 - 4 * (d1 + d5)
        let p2 = d2 - 5 * d4 + 4 * d6, q2 = 2 * (d1 - 5 * d3 + 4 * d5)
        let p3 = 2 * (4 * d2 - 5 * d4 + d6), q3 = 4 * d1 - 5 * d3 + d5
        return (r0, p1 + q1, p1 - q1, p2 + q2, p2 - q2, p3 + q3, p3 - q3, r7)
    }

    /// Aᵀ·m on eight vectors (each lane a different tile).
    @inline(__always)
    static func outputTransform(_ m0: V4, _ m1: V4, _ m2: V4, _ m3: V4, _ m4: V4, _ m5: V4, _ m6: V4, _ m7: V4)
        -> (V4, V4, V4, V4) {
        let a1 = m1 + m2, b1 = m1 - m2, a2 = m3 + m4, b2 = m3 - m4, a3 = m5 + m6, b3 = m5 - m6
        return (m0 + a1 + a2 + 8 * a3, b1 + 2 * b2 + 4 * b3, a1 + 4 * a2 + 2 * a3, b1 + 8 * b2 + b3 + m7)
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V4 {
        UnsafeRawPointer(p).loadUnaligned(as: V4.self)
    }
    @inline(__always) static func store(_ v: V4, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V4.self)
    }

    /// Stores eight transformed vectors (4 tiles each) at ξ = 0…7 from `out`, `xiStride` apart. With fewer than 4
    /// `lanes` only those are written: the next lanes belong to another image's tiles, written by another worker.
    @inline(__always)
    static func storeColumn(_ r: (V4, V4, V4, V4, V4, V4, V4, V4), _ out: UnsafeMutablePointer<Float>, xiStride: Int,
                            lanes: Int) {
        if lanes == 4 {
            store(r.0, out); store(r.1, out + xiStride); store(r.2, out + 2 * xiStride)
            store(r.3, out + 3 * xiStride); store(r.4, out + 4 * xiStride); store(r.5, out + 5 * xiStride)
            store(r.6, out + 6 * xiStride); store(r.7, out + 7 * xiStride)
        } else {
            for l in 0..<lanes {
                out[l] = r.0[l]; out[xiStride + l] = r.1[l]; out[2 * xiStride + l] = r.2[l]
                out[3 * xiStride + l] = r.3[l]; out[4 * xiStride + l] = r.4[l]
                out[5 * xiStride + l] = r.5[l]; out[6 * xiStride + l] = r.6[l]; out[7 * xiStride + l] = r.7[l]
            }
        }
    }

    /// Floats of one phase plane, for a full band (spare floats so the last 4-wide loads stay inside).
    static func phaseSize(_ band: WinogradBand) -> Int { (band.bandRows + 1) * band.tilesW + 4 }

    /// One worker's buffers for a phase of a band (those the phase does not use are empty): the 32 phase planes of
    /// the input transform and the 16 planes of the output-gradient transform (backward filter), both zeroed once
    /// (every item of the band writes the same places, see `transformInputBand`), and the scratch vectors.
    struct Buffers {
        let phases: UnsafeMutablePointer<Float>, planes: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<V4>
    }

    static func allocate(_ phase: WinogradPhase, _ band: WinogradBand) -> Buffers {
        let input = phase != .output, phases = input ? 32 * phaseSize(band) : 0
        let planes = phase == .inputAndGradient ? 16 * (band.imageTiles + 4) : 0
        let buffers = Buffers(phases: .allocate(capacity: phases), planes: .allocate(capacity: planes),
                              scratch: .allocate(capacity: input ? 64 : 48))
        buffers.phases.initialize(repeating: 0, count: phases)
        buffers.planes.initialize(repeating: 0, count: planes)
        return buffers
    }

    static func deallocate(_ buffers: Buffers) {
        buffers.phases.deallocate(); buffers.planes.deallocate(); buffers.scratch.deallocate()
    }

    /// Input transform of one channel's band: input rows → V[ξ][·][t] at `dst` (ξ stride `band.vStride`), t = tile
    /// row · tilesW + tile column, 4 tiles at a time. The zero-padded strip is first copied into 32 phase planes:
    /// plane (k, s) holds at [q][t] the strip element (row 4q + s, column 4t + k), so element (i, k) of tiles t…t+3 is
    /// one contiguous 4-float load from plane (k, i mod 4) at row i / 4, whatever the map's width.
    /// `buffers.phases` (32 · phaseSize floats) must be zero where this band's geometry writes nothing: zero it once,
    /// then every call with the same geometry overwrites the same elements.
    static func transformInputBand(plane: UnsafePointer<Float>, band: WinogradBand, buffers: Buffers,
                                   dst: UnsafeMutablePointer<Float>) {
        let h = band.geometry.inHeight, w = band.geometry.inWidth, pad = band.geometry.padH, xiStride = band.vStride
        let firstRow = 4 * band.firstTileRow - pad, tileRows = band.tileRows, tilesW = band.tilesW
        let phases = buffers.phases, ps = phaseSize(band), scratch = buffers.scratch
        // Strip column x = 4t + k is column k of tile t (k < 4) and column k + 4 of tile t − 1.
        let xEnd = min(w + pad, 4 * tilesW + 4)
        for r in max(0, -firstRow)..<min(4 * tileRows + 4, h - firstRow) {
            let src = plane + (firstRow + r) * w - pad, rowBase = phases + (r & 3) * ps + (r >> 2) * tilesW
            for x in pad..<xEnd {
                let k = x & 3, t = x >> 2, v = src[x]
                if t < tilesW { rowBase[4 * k * ps + t] = v }
                if t >= 1 { rowBase[4 * (k + 4) * ps + t - 1] = v }
            }
        }
        let tiles = tileRows * tilesW
        for t0 in stride(from: 0, to: tiles, by: 4) {
            for k in 0..<8 {  // column k of the 8×8 tiles: Bᵀ down the rows
                let p = phases + 4 * k * ps + t0, q = p + tilesW
                let r = inputTransform(load(p), load(p + ps), load(p + 2 * ps), load(p + 3 * ps),
                                       load(q), load(q + ps), load(q + 2 * ps), load(q + 3 * ps))
                scratch[k] = r.0; scratch[8 + k] = r.1; scratch[16 + k] = r.2; scratch[24 + k] = r.3
                scratch[32 + k] = r.4; scratch[40 + k] = r.5; scratch[48 + k] = r.6; scratch[56 + k] = r.7
            }
            let lanes = min(4, tiles - t0)
            for i in 0..<8 {  // row i: ·B across the columns
                let s = scratch + 8 * i
                let r = inputTransform(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7])
                storeColumn(r, dst + 8 * i * xiStride + t0, xiStride: xiStride, lanes: lanes)
            }
        }
    }

    /// Output transform of one output channel's band: M[ξ][·][t] at `src` (ξ stride `band.mStride`) → output rows.
    /// Reads up to 3 floats past the band's last tile (M has that slack, `outputSlack`); those lanes are dropped.
    static func transformOutputBand(src: UnsafePointer<Float>, bias: Float, relu: Bool, band: WinogradBand,
                                    buffers: Buffers, out plane: UnsafeMutablePointer<Float>) {
        let tilesW = band.tilesW, firstTileRow = band.firstTileRow, oh = band.geometry.outHeight
        let ow = band.geometry.outWidth, scratch = buffers.scratch, xiStride = band.mStride
        let b = V4(repeating: bias), reluMask = SIMD4<Int32>(repeating: relu ? -1 : 0), tiles = band.imageTiles, s8 = 8 * xiStride
        for t0 in stride(from: 0, to: tiles, by: 4) {
            for j in 0..<8 {  // column j: Aᵀ down the rows
                let p = src + t0 + j * xiStride
                let r = outputTransform(load(p), load(p + s8), load(p + 2 * s8), load(p + 3 * s8),
                                        load(p + 4 * s8), load(p + 5 * s8), load(p + 6 * s8), load(p + 7 * s8))
                scratch[j] = r.0; scratch[8 + j] = r.1; scratch[16 + j] = r.2; scratch[24 + j] = r.3
            }
            for i in 0..<4 {  // row i of the 4×4 outputs, columns 0…3 at scratch[32 + 4i …]
                let s = scratch + 8 * i
                let r = outputTransform(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7])
                scratch[32 + 4 * i] = reluMasked(r.0 + b, reluMask); scratch[33 + 4 * i] = reluMasked(r.1 + b, reluMask)
                scratch[34 + 4 * i] = reluMasked(r.2 + b, reluMask); scratch[35 + 4 * i] = reluMasked(r.3 + b, reluMask)
            }
            for l in 0..<min(4, tiles - t0) {
                let t = t0 + l, y0 = 4 * (firstTileRow + t / tilesW), x0 = 4 * (t % tilesW)
                let rows = min(4, oh - y0), cols = min(4, ow - x0)
                for i in 0..<rows {
                    let out = plane + (y0 + i) * ow + x0, y = scratch + 32 + 4 * i
                    for j in 0..<cols { out[j] = y[j][l] }
                }
            }
        }
    }

    // MARK: Backward filter. y = Aᵀ[(G·g) ⊙ (Bᵀ·d)] per tile is linear in U = G·g, so
    // dW[o][c] = Gᵀ·(Σ_tiles (A·dY·Aᵀ) ⊙ (Bᵀ·d·B))·G: one GEMM per ξ, dU[ξ] (O × C) += M′[ξ] (O × tiles) · V[ξ]ᵀ.

    /// A·y on four vectors (each lane a different tile): a 4-point output gradient → its 8-point transform.
    @inline(__always)
    static func gradientTransform(_ y0: V4, _ y1: V4, _ y2: V4, _ y3: V4) -> (V4, V4, V4, V4, V4, V4, V4, V4) {
        let e1 = y0 + y2, o1 = y1 + y3, e2 = y0 + 4 * y2, o2 = 2 * y1 + 8 * y3, e3 = 8 * y0 + 2 * y2, o3 = 4 * y1 + y3
        return (y0, e1 + o1, e1 - o1, e2 + o2, e2 - o2, e3 + o3, e3 - o3, y3)
    }

    /// Gᵀ·u on eight values: an 8-point weight-gradient transform → the 5 kernel taps.
    @inline(__always)
    static func kernelGradient(_ u: SIMD8<Float>) -> SIMD8<Float> {
        let c18: Float = 1.0 / 18, c360: Float = 1.0 / 360
        let s1 = (u[1] + u[2]) * c18, d1 = (u[1] - u[2]) * c18, s2 = (u[3] + u[4]) * c360, d2 = (u[3] - u[4]) * c360
        let s3 = (u[5] + u[6]) * c360, d3 = (u[5] - u[6]) * c360
        return SIMD8(u[0] * 0.25 + s1 + s2 + 16 * s3, d1 + 2 * d2 + 8 * d3, s1 + 4 * s2 + 4 * s3, d1 + 8 * d2 + 2 * d3,
                     s1 + 16 * s2 + s3 + u[7] * 0.25, 0, 0, 0)
    }

    /// Output-gradient transform of one channel's band: dY rows → M′[ξ][·][t] at `dst` (ξ stride `band.mStride`).
    /// The band is first rearranged into 16 planes, plane (i, j) holding at [t] element (4·tile row + i, 4·tile
    /// column + j), zero outside the map; `buffers.planes` (16 · (tiles + 4) floats) must be zero where this geometry
    /// writes nothing, as for `transformInputBand`.
    static func transformGradientBand(plane: UnsafePointer<Float>, band: WinogradBand, buffers: Buffers,
                                      dst: UnsafeMutablePointer<Float>) {
        let xiStride = band.mStride, planes = buffers.planes, scratch = buffers.scratch
        let tiles = band.imageTiles, ps = tiles + 4
        WinogradLayout.gradientPlanes(plane, band: band, into: planes, planeStride: ps)
        for t0 in stride(from: 0, to: tiles, by: 4) {
            for j in 0..<4 {  // column j of the 4×4 gradient tiles: A down the rows
                let p = planes + j * ps + t0
                let r = gradientTransform(load(p), load(p + 4 * ps), load(p + 8 * ps), load(p + 12 * ps))
                scratch[j] = r.0; scratch[4 + j] = r.1; scratch[8 + j] = r.2; scratch[12 + j] = r.3
                scratch[16 + j] = r.4; scratch[20 + j] = r.5; scratch[24 + j] = r.6; scratch[28 + j] = r.7
            }
            let lanes = min(4, tiles - t0)
            for a in 0..<8 {  // row a: ·Aᵀ across the columns
                let s = scratch + 4 * a
                let r = gradientTransform(s[0], s[1], s[2], s[3])
                storeColumn(r, dst + 8 * a * xiStride + t0, xiStride: xiStride, lanes: lanes)
            }
        }
    }

    /// dW = Gᵀ·dU·G for one (o, c) pair: dU's 64 values, `plane` floats apart from `src` → the 5×5 taps at `dst`.
    @inline(__always)
    static func weightGradient(_ src: UnsafePointer<Float>, plane: Int, into dst: UnsafeMutablePointer<Float>) {
        // Rows a of dU (lanes b), reduced down the rows: t[k][b] = (Gᵀ·dU)[k][b].
        var t = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        for b in 0..<8 {
            var col = SIMD8<Float>()
            for a in 0..<8 { col[a] = src[(8 * a + b) * plane] }
            let k = kernelGradient(col)
            t.0[b] = k[0]; t.1[b] = k[1]; t.2[b] = k[2]; t.3[b] = k[3]; t.4[b] = k[4]
        }
        func put(_ i: Int, _ row: SIMD8<Float>) {  // then across the columns: dW[i][j] = (t[i]·G)[j]
            let k = kernelGradient(row)
            for j in 0..<5 { dst[5 * i + j] = k[j] }
        }
        put(0, t.0); put(1, t.1); put(2, t.2); put(3, t.3); put(4, t.4)
    }
}
