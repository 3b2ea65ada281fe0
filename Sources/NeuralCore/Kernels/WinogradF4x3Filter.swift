// Backward filter of stride-1 3×3 convolutions through Winograd F(4×4,3×3). Per tile y = Aᵀ[(G·w·Gᵀ) ⊙ (Bᵀ·d·B)]A is
// linear in U = G·w·Gᵀ, so dW = Gᵀ·(Σ_tiles (A·dY·Aᵀ) ⊙ (Bᵀ·d·B))·G: one GEMM per ξ, dU[ξ] (O × C) += M′[ξ] · V[ξ]ᵀ,
// 2.25 multiplies per weight and pixel where im2col + GEMM needs 9. The decoders of universal style transfer spend
// a third of their training convolutions here (their weights are the only ones that learn). Bands, GEMMs and the
// reduction to dW are `backwardFilter` in WinogradDriver.swift; here are this kernel's transforms.

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

    /// Output-gradient transform of one channel's band: dY rows → M′[ξ][·][t] at `dst` (ξ stride `band.mStride`),
    /// t = tile row · tilesW + tile column, 8 tiles at a time. The band is first rearranged into 16 planes, plane
    /// 4i + j holding at [t] element (4·tile row + i, 4·tile column + j), zero outside the map; `buffers.planes`
    /// (16 · (tiles + 8) floats) must be zero where this geometry writes nothing: zero it once, then every call with
    /// the same geometry overwrites the same elements.
    static func transformGradientBand(plane: UnsafePointer<Float>, band: WinogradBand, buffers: Buffers,
                                      dst: UnsafeMutablePointer<Float>) {
        let xiStride = band.mStride, planes = buffers.planes, scratch = buffers.scratch
        let tiles = band.imageTiles, ps = tiles + 8
        WinogradLayout.gradientPlanes(plane, band: band, into: planes, planeStride: ps)
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

    /// dW = Gᵀ·dU·G for one (o, c) pair: dU's 36 values, `plane` floats apart from `src` → the 3×3 taps at `dst`.
    @inline(__always)
    static func weightGradient(_ src: UnsafePointer<Float>, plane: Int, into dst: UnsafeMutablePointer<Float>) {
        // Columns b of dU reduced down the rows a: t[k][b] = (Gᵀ·dU)[k][b], k = 0…2.
        var t = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        for b in 0..<6 {
            var column = SIMD8<Float>()
            for a in 0..<6 { column[a] = src[(6 * a + b) * plane] }
            let k = kernelGradient(column)
            t.0[b] = k[0]; t.1[b] = k[1]; t.2[b] = k[2]
        }
        @inline(__always) func put(_ i: Int, _ row: SIMD8<Float>) {  // across the columns: dW[i][j] = (t[i]·G)[j]
            let k = kernelGradient(row)
            dst[3 * i] = k[0]; dst[3 * i + 1] = k[1]; dst[3 * i + 2] = k[2]
        }
        put(0, t.0); put(1, t.1); put(2, t.2)
    }
}
