// Backward filter of stride-1 3×3 convolutions through Winograd F(4×4,3×3). Per tile y = Aᵀ[(G·w·Gᵀ) ⊙ (Bᵀ·d·B)]A is
// linear in U = G·w·Gᵀ, so dW = Gᵀ·(Σ_tiles (A·dY·Aᵀ) ⊙ (Bᵀ·d·B))·G: one GEMM per ξ, dU[ξ] (O × C) += M′[ξ] · V[ξ]ᵀ,
// 2.25 multiplies per weight and pixel where im2col + GEMM needs 9. The decoders of universal style transfer spend
// a third of their training convolutions here (their weights are the only ones that learn).
import COpenBLAS

extension WinogradF4x3 {
    /// A·y on four vectors (each lane a different tile): a 4-point output gradient → its 6-point transform
    /// (A is the transpose of the output transform's Aᵀ, points 0, ±1, ±2, ∞).
    @inline(__always)
    static func gradientTransform(_ y0: V8, _ y1: V8, _ y2: V8, _ y3: V8) -> (V8, V8, V8, V8, V8, V8) {
        let e1 = y0 + y2, o1 = y1 + y3, e2 = y0 + 4 * y2, o2 = 2 * y1 + 8 * y3
        return (y0, e1 + o1, e1 - o1, e2 + o2, e2 - o2, y3)
    }

    /// Gᵀ·u on six values (lanes 0…5): a 6-point weight-gradient transform → the 3 kernel taps (lanes 0…2).
    @inline(__always)
    static func kernelGradient(_ u: SIMD8<Float>) -> SIMD4<Float> {
        let sixth: Float = 1.0 / 6, c12: Float = 1.0 / 12, c24: Float = 1.0 / 24
        let s1 = u[1] + u[2], d1 = u[2] - u[1], s2 = u[3] + u[4], d2 = u[3] - u[4]
        return SIMD4(u[0] * 0.25 - s1 * sixth + s2 * c24, d1 * sixth + d2 * c12, (s2 - s1) * sixth + u[5], 0)
    }

    /// Output-gradient transform of one channel's band: dY rows → M′[ξ][·][t] at `dst` (ξ stride `xiStride`), t = tile
    /// row · tilesW + tile column, 8 tiles at a time. The band is first rearranged into 16 planes, plane 4i + j holding
    /// at [t] element (4·tile row + i, 4·tile column + j), zero outside the map; `planes` (16 · (tiles + 8) floats)
    /// must be zero where this geometry writes nothing: zero it once, then every call with the same geometry
    /// overwrites the same elements.
    static func transformGradientBand(plane: UnsafePointer<Float>, outHeight oh: Int, outWidth ow: Int, firstTileRow: Int,
                                      tileRows: Int, tilesW: Int, planes: UnsafeMutablePointer<Float>,
                                      scratch: UnsafeMutablePointer<V8>, dst: UnsafeMutablePointer<Float>, xiStride: Int) {
        let tiles = tileRows * tilesW, ps = tiles + 8, y0 = 4 * firstTileRow
        for r in 0..<min(4 * tileRows, oh - y0) {
            let src = plane + (y0 + r) * ow, rowBase = planes + 4 * (r & 3) * ps + (r >> 2) * tilesW
            for x in 0..<ow { rowBase[(x & 3) * ps + (x >> 2)] = src[x] }
        }
        for t0 in stride(from: 0, to: tiles, by: 8) {
            for j in 0..<4 {  // column j of the 4×4 gradient tiles: A down the rows
                let p = planes + j * ps + t0
                let r = gradientTransform(load(p), load(p + 4 * ps), load(p + 8 * ps), load(p + 12 * ps))
                scratch[j] = r.0; scratch[4 + j] = r.1; scratch[8 + j] = r.2
                scratch[12 + j] = r.3; scratch[16 + j] = r.4; scratch[20 + j] = r.5
            }
            let lanes = min(8, tiles - t0)
            for a in 0..<6 {  // row a: ·Aᵀ across the columns
                let s = scratch + 4 * a
                let r = gradientTransform(s[0], s[1], s[2], s[3])
                let out = dst + 6 * a * xiStride + t0
                if lanes == 8 {
                    store(r.0, out); store(r.1, out + xiStride); store(r.2, out + 2 * xiStride)
                    store(r.3, out + 3 * xiStride); store(r.4, out + 4 * xiStride); store(r.5, out + 5 * xiStride)
                } else {  // the next lanes belong to another image's tiles, written by another worker
                    for l in 0..<lanes {
                        out[l] = r.0[l]; out[xiStride + l] = r.1[l]; out[2 * xiStride + l] = r.2[l]
                        out[3 * xiStride + l] = r.3[l]; out[4 * xiStride + l] = r.4[l]; out[5 * xiStride + l] = r.5[l]
                    }
                }
            }
        }
    }

    /// gradWeight (OIHW) and gradBias (Σ over n, y, x of gradOutput, if non-nil) of a stride-1 3×3 conv with
    /// padding g.padH. Overwrites both. Bands and image groups as in `convolve`; dU accumulates over them.
    static func backwardFilter(gradOutput: UnsafePointer<Float>, input: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?,
                               geometry g: ConvGeometry) {
        let c = g.inChannels, o = g.outChannels, h = g.inHeight, w = g.inWidth, pad = g.padH
        let oh = g.outHeight, ow = g.outWidth
        let workers = ComputeThreads.workers
        let (tilesH, tilesW, bandRows, groupImages) = workPlan(g)
        let maxTiles = groupImages * bandRows * tilesW
        let vBlock = KernelScratch.take(36 * WinogradLayout.xiStride(c * maxTiles))
        let mBlock = KernelScratch.take(36 * WinogradLayout.xiStride(o * maxTiles))
        let uBlock = KernelScratch.take(36 * o * c)
        defer { KernelScratch.give(vBlock); KernelScratch.give(mBlock); KernelScratch.give(uBlock) }
        let v = vBlock.pointer, m = mBlock.pointer, du = uBlock.pointer
        let phaseW = phaseWidth(tilesW: tilesW)
        var first = true
        for n0 in stride(from: 0, to: g.batch, by: groupImages) {
            let images = min(groupImages, g.batch - n0)
            for ty0 in stride(from: 0, to: tilesH, by: bandRows) {
                let rowsInBand = min(bandRows, tilesH - ty0), imageTiles = rowsInBand * tilesW, tiles = images * imageTiles
                let stripH = 4 * rowsInBand + 2
                let vStride = WinogradLayout.xiStride(c * tiles), mStride = WinogradLayout.xiStride(o * tiles)
                // 1. Input (c planes) and output-gradient (o planes) transforms of every image, in one parallel phase.
                let items = images * (c + o), parts = min(workers, items)
                ComputeThreads.parallelFor(parts) { part in
                    let phases = UnsafeMutablePointer<Float>.allocate(capacity: 4 * stripH * phaseW)
                    let planes = UnsafeMutablePointer<Float>.allocate(capacity: 16 * (imageTiles + 8))
                    planes.initialize(repeating: 0, count: 16 * (imageTiles + 8))  // once: see transformGradientBand
                    let scratch = UnsafeMutablePointer<V8>.allocate(capacity: 36)
                    defer { phases.deallocate(); planes.deallocate(); scratch.deallocate() }
                    for item in ComputeThreads.split(items, parts: parts)[part] {
                        if item < images * c {
                            let i = item / c, ch = item % c
                            transformInputBand(plane: input + ((n0 + i) * c + ch) * h * w, height: h, width: w, pad: pad,
                                               firstRow: 4 * ty0 - pad, tileRows: rowsInBand, tilesW: tilesW,
                                               phases: phases, phaseW: phaseW, scratch: scratch,
                                               dst: v + ch * tiles + i * imageTiles, xiStride: vStride)
                        } else {
                            let i = (item - images * c) / o, oc = (item - images * c) % o
                            transformGradientBand(plane: gradOutput + ((n0 + i) * o + oc) * oh * ow, outHeight: oh,
                                                  outWidth: ow, firstTileRow: ty0, tileRows: rowsInBand, tilesW: tilesW,
                                                  planes: planes, scratch: scratch,
                                                  dst: m + oc * tiles + i * imageTiles, xiStride: mStride)
                        }
                    }
                }
                // 2. dU[ξ] (O × C) (+)= M′[ξ] (O × tiles) · V[ξ]ᵀ (tiles × C), ξ split over workers.
                let beta: Float = first ? 0 : 1
                first = false
                ComputeThreads.parallelFor(min(workers, 36)) { part in
                    for xi in ComputeThreads.split(36, parts: min(workers, 36))[part] {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(o), Int32(c), Int32(tiles), 1,
                                    m + xi * mStride, Int32(tiles), v + xi * vStride, Int32(tiles), beta,
                                    du + xi * o * c, Int32(c))
                    }
                }
            }
        }
        // 3. dW[o][c] = Gᵀ·dU[·][o][c]·G, parallel over output channels; then the bias gradient.
        let plane = o * c, parts = min(workers, o)
        ComputeThreads.parallelFor(parts) { part in
            for oc in ComputeThreads.split(o, parts: parts)[part] {
                for ch in 0..<c {
                    let src = du + oc * c + ch
                    // Columns b of dU reduced down the rows a: t[k][b] = (Gᵀ·dU)[k][b], k = 0…2.
                    var t = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                    for b in 0..<6 {
                        var column = SIMD8<Float>()
                        for a in 0..<6 { column[a] = src[(6 * a + b) * plane] }
                        let k = kernelGradient(column)
                        t.0[b] = k[0]; t.1[b] = k[1]; t.2[b] = k[2]
                    }
                    let dst = gradWeight + (oc * c + ch) * 9
                    @inline(__always) func put(_ i: Int, _ row: SIMD8<Float>) {  // across the columns: dW[i][j] = (t[i]·G)[j]
                        let k = kernelGradient(row)
                        dst[3 * i] = k[0]; dst[3 * i + 1] = k[1]; dst[3 * i + 2] = k[2]
                    }
                    put(0, t.0); put(1, t.1); put(2, t.2)
                }
            }
        }
        if let gradBias { ConvIm2Col.biasGradient(gradOutput: gradOutput, geometry: g, into: gradBias) }
    }
}
