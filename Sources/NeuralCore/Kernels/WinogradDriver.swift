// What the Winograd kernels F(4×4,3×3) and F(4×4,5×5) share: the work cut into bands of tile rows (or groups of whole
// images) within a buffer budget; per band three parallel phases (transforms into V and M′, one GEMM per ξ,
// transforms back); and for the backward filter, dU reduced to dW. Only the transforms differ between the kernels
// (6×6 or 8×8 tiles, 36 or 64 ξ, SIMD widths); each supplies them through `WinogradKernel`.
import COpenBLAS

/// The parts of a Winograd kernel F(4×4, r×r) that the shared `convolve` and `backwardFilter` leave to it. Those are
/// generic over this protocol, so under -wmo each kernel gets its own specialised copy with direct calls; they call
/// the transforms once per band and plane, and the per-tile loops are the kernel's own.
protocol WinogradKernel {
    /// One worker's buffers for a transform phase of one band, allocated when the phase starts and freed at its end.
    associatedtype Buffers
    /// r: the kernels are r × r, stride 1.
    static var kernelSize: Int { get }
    /// Floats of transform buffers (V and M together) per band or image group: `WinogradLayout.workPlan`.
    static var bufferBudgetFloats: Int { get }
    /// Floats the output transform may read past M's last tile.
    static var outputSlack: Int { get }
    static func allocate(_ phase: WinogradPhase, _ band: WinogradBand) -> Buffers
    static func deallocate(_ buffers: Buffers)
    /// One input plane's band (input rows) → V[ξ][·][t] at `dst`, ξ stride `band.vStride`.
    static func transformInputBand(plane: UnsafePointer<Float>, band: WinogradBand, buffers: Buffers,
                                   dst: UnsafeMutablePointer<Float>)
    /// One output-gradient plane's band (dY rows) → M′[ξ][·][t] at `dst`, ξ stride `band.mStride`.
    static func transformGradientBand(plane: UnsafePointer<Float>, band: WinogradBand, buffers: Buffers,
                                      dst: UnsafeMutablePointer<Float>)
    /// M[ξ][·][t] at `src` (ξ stride `band.mStride`) + bias, with `relu` then max(0, ·) → the band's rows of one
    /// output plane.
    static func transformOutputBand(src: UnsafePointer<Float>, bias: Float, relu: Bool, band: WinogradBand,
                                    buffers: Buffers, out: UnsafeMutablePointer<Float>)
    /// dW[o][c] (r × r at `dst`) = Gᵀ·dU[·][o][c]·G, the points of dU `plane` floats apart from `src`.
    static func weightGradient(_ src: UnsafePointer<Float>, plane: Int, into dst: UnsafeMutablePointer<Float>)
}

/// Which transforms a worker's `Buffers` serve.
enum WinogradPhase { case input, inputAndGradient, output }

/// Tile rows firstTileRow..<firstTileRow + tileRows of images firstImage..<firstImage + images. Per ξ, V holds C
/// planes and M holds O planes of `tiles` tiles, t = image · imageTiles + tile row · tilesW + tile column.
struct WinogradBand {
    let geometry: ConvGeometry
    /// Tiles across, and tile rows of a full band (the last band may have fewer).
    let tilesW: Int, bandRows: Int
    let firstImage: Int, images: Int, firstTileRow: Int, tileRows: Int
    let imageTiles: Int, tiles: Int
    /// Floats between consecutive ξ blocks of V and of M.
    let vStride: Int, mStride: Int

    init(geometry g: ConvGeometry, tilesW: Int, bandRows: Int, firstImage: Int, images: Int, firstTileRow: Int,
         tileRows: Int) {
        geometry = g; self.tilesW = tilesW; self.bandRows = bandRows
        self.firstImage = firstImage; self.images = images; self.firstTileRow = firstTileRow; self.tileRows = tileRows
        imageTiles = tileRows * tilesW; tiles = images * imageTiles
        vStride = WinogradLayout.xiStride(g.inChannels * tiles)
        mStride = WinogradLayout.xiStride(g.outChannels * tiles)
    }
}

extension WinogradKernel {
    /// Points per tile (4 + r − 1)², ξ = 0..<points: 36 for 6×6 tiles, 64 for 8×8.
    static var points: Int { (kernelSize + 3) * (kernelSize + 3) }

    /// Stride 1, r×r, padding ≤ r − 1 (so the backward-data conv, padding r − 1 − p, is also one), equal in both axes.
    static func applicable(_ g: ConvGeometry) -> Bool {
        let r = kernelSize
        return g.kernelHeight == r && g.kernelWidth == r && g.strideH == 1 && g.strideW == 1
            && g.padH <= r - 1 && g.padW <= r - 1 && g.padH == g.padW
    }

    /// Stride-1 backward data is a correlation of dY with the flipped, transposed kernel and padding r − 1 − p:
    /// the geometry of that forward conv (its output is gradInput, same size as the original input).
    static func backwardDataGeometry(_ g: ConvGeometry) -> ConvGeometry {
        let r = kernelSize
        return ConvGeometry(batch: g.batch, inChannels: g.outChannels, inHeight: g.outHeight, inWidth: g.outWidth,
                            outChannels: g.inChannels, kernelHeight: r, kernelWidth: r, padH: r - 1 - g.padH,
                            padW: r - 1 - g.padW)
    }

    /// output = conv(input, weights whose transform is `u`) + bias, for stride 1, r×r, padding g.padH; with `relu`,
    /// max(0, ·) of it, fused into the output transform (no second pass over the output). Overwrites output. Large images are processed one band of tile rows at a time; small ones (a whole image fits the budget)
    /// in groups of images, so the GEMMs see many tiles and each parallel phase runs once per group, not per image.
    static func convolve(input: UnsafePointer<Float>, transformedWeight u: UnsafePointer<Float>,
                         bias: UnsafePointer<Float>?, relu: Bool = false, output: UnsafeMutablePointer<Float>,
                         geometry g: ConvGeometry) {
        let c = g.inChannels, o = g.outChannels, outPlane = g.outHeight * g.outWidth
        forEachBand(g) { band, v, m in
            transformPlanes(band, input: input, v: v, gradOutput: nil, m: m)
            // 2. Independent GEMMs M[ξ] (O × tiles) = U[ξ] (O × C) · V[ξ] (C × tiles), ξ split over workers.
            let tiles = band.tiles
            ComputeThreads.parallelRanges(points) { xis in
                for xi in xis {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(o), Int32(tiles), Int32(c), 1,
                                u + xi * o * c, Int32(c), v + xi * band.vStride, Int32(tiles), 0,
                                m + xi * band.mStride, Int32(tiles))
                }
            }
            // 3. Output transform Aᵀ·M·A, parallel over (image, output channel); edge tiles write only in the image.
            ComputeThreads.parallelRanges(band.images * o) { items in
                let buffers = allocate(.output, band)
                defer { deallocate(buffers) }
                for item in items {
                    let i = item / o, oc = item % o
                    transformOutputBand(src: m + oc * band.tiles + i * band.imageTiles, bias: bias?[oc] ?? 0,
                                        relu: relu, band: band, buffers: buffers,
                                        out: output + ((band.firstImage + i) * o + oc) * outPlane)
                }
            }
        }
    }

    /// gradWeight (OIHW) and gradBias (Σ over n, y, x of gradOutput, if non-nil) of a stride-1 r×r conv with
    /// padding g.padH. Overwrites both. Bands and image groups as in `convolve`; dU accumulates over them.
    static func backwardFilter(gradOutput: UnsafePointer<Float>, input: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?,
                               geometry g: ConvGeometry) {
        let c = g.inChannels, o = g.outChannels
        let uBlock = KernelScratch.take(points * o * c)
        defer { KernelScratch.give(uBlock) }
        let du = uBlock.pointer
        var first = true
        forEachBand(g) { band, v, m in
            transformPlanes(band, input: input, v: v, gradOutput: gradOutput, m: m)
            // 2. dU[ξ] (O × C) (+)= M′[ξ] (O × tiles) · V[ξ]ᵀ (tiles × C), ξ split over workers.
            let beta: Float = first ? 0 : 1, tiles = band.tiles
            first = false
            ComputeThreads.parallelRanges(points) { xis in
                for xi in xis {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(o), Int32(c), Int32(tiles), 1,
                                m + xi * band.mStride, Int32(tiles), v + xi * band.vStride, Int32(tiles), beta,
                                du + xi * o * c, Int32(c))
                }
            }
        }
        // 3. dW[o][c] = Gᵀ·dU[·][o][c]·G, parallel over output channels; then the bias gradient.
        let taps = kernelSize * kernelSize
        ComputeThreads.parallelRanges(o) { ocs in
            for oc in ocs {
                for ch in 0..<c {
                    weightGradient(du + oc * c + ch, plane: o * c, into: gradWeight + (oc * c + ch) * taps)
                }
            }
        }
        if let gradBias { ConvIm2Col.biasGradient(gradOutput: gradOutput, geometry: g, into: gradBias) }
    }

    /// Runs `body(band, V, M)` on each band of each group of images (`WinogradLayout.workPlan` with this kernel's
    /// points and budget), with V and M borrowed once, sized for the largest band.
    private static func forEachBand(
        _ g: ConvGeometry, _ body: (WinogradBand, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
        let (tilesH, tilesW, bandRows, groupImages) = WinogradLayout.workPlan(g, points: points,
                                                                             budgetFloats: bufferBudgetFloats)
        let maxTiles = groupImages * bandRows * tilesW
        let vBlock = KernelScratch.take(points * WinogradLayout.xiStride(g.inChannels * maxTiles))
        let mBlock = KernelScratch.take(points * WinogradLayout.xiStride(g.outChannels * maxTiles) + outputSlack)
        defer { KernelScratch.give(vBlock); KernelScratch.give(mBlock) }
        for n0 in stride(from: 0, to: g.batch, by: groupImages) {
            for ty0 in stride(from: 0, to: tilesH, by: bandRows) {
                let band = WinogradBand(geometry: g, tilesW: tilesW, bandRows: bandRows, firstImage: n0,
                                        images: min(groupImages, g.batch - n0), firstTileRow: ty0,
                                        tileRows: min(bandRows, tilesH - ty0))
                body(band, vBlock.pointer, mBlock.pointer)
            }
        }
    }

    /// 1. Input transform, parallel over (image, channel) planes; image i's tiles follow image i − 1's. With
    /// `gradOutput` (the backward filter), its (image, output channel) planes go to M′ in the same parallel phase.
    private static func transformPlanes(_ band: WinogradBand, input: UnsafePointer<Float>,
                                        v: UnsafeMutablePointer<Float>, gradOutput: UnsafePointer<Float>?,
                                        m: UnsafeMutablePointer<Float>) {
        let g = band.geometry, c = g.inChannels, o = g.outChannels, inputs = band.images * c
        let inPlane = g.inHeight * g.inWidth, outPlane = g.outHeight * g.outWidth
        let phase: WinogradPhase = gradOutput == nil ? .input : .inputAndGradient
        ComputeThreads.parallelRanges(gradOutput == nil ? inputs : inputs + band.images * o) { items in
            let buffers = allocate(phase, band)
            defer { deallocate(buffers) }
            for item in items {
                if item < inputs {
                    let i = item / c, ch = item % c
                    transformInputBand(plane: input + ((band.firstImage + i) * c + ch) * inPlane,
                                       band: band, buffers: buffers, dst: v + ch * band.tiles + i * band.imageTiles)
                } else if let gradOutput {
                    let i = (item - inputs) / o, oc = (item - inputs) % o
                    transformGradientBand(plane: gradOutput + ((band.firstImage + i) * o + oc) * outPlane,
                                          band: band, buffers: buffers, dst: m + oc * band.tiles + i * band.imageTiles)
                }
            }
        }
    }
}

/// A fused ReLU on the output transforms' vectors without a compare-and-blend: Swift's `replacing(with:where:)` and
/// `pointwiseMax` on SIMD8<Float> compile to a lane-by-lane loop here (measured: the F(4×4,3×3) output transform took
/// three times as long). With `mask` all ones, lanes whose sign bit is set become +0 (ReLU); with `mask` 0, v stays.
/// Integer and/shift on the bits are single vector instructions.
@inline(__always)
func reluMasked(_ v: SIMD8<Float>, _ mask: SIMD8<Int32>) -> SIMD8<Float> {
    let bits = unsafeBitCast(v, to: SIMD8<Int32>.self)
    return unsafeBitCast(bits & ~((bits &>> 31) & mask), to: SIMD8<Float>.self)
}

@inline(__always)
func reluMasked(_ v: SIMD4<Float>, _ mask: SIMD4<Int32>) -> SIMD4<Float> {
    let bits = unsafeBitCast(v, to: SIMD4<Int32>.self)
    return unsafeBitCast(bits & ~((bits &>> 31) & mask), to: SIMD4<Float>.self)
}
