// Stride-1 convs with few channels on large maps: the light stylizer's 9×9 3 → 8 input conv, its 3×3 16 → 8 last
// upsampling conv and its 9×9 8 → 3 output conv, all at the photo's full size. There plain im2col copies every input
// pixel kh·kw times and OpenBLAS packs that tall matrix once more, for GEMMs only 3–16 rows high: the copying costs
// more than the arithmetic (the three convs took 58 % of a 1024×768 stylize call).
//
// Here the columns run over (c, kx) only, one set per padded input row, and kernel row ky is one GEMM that reads
// the same columns shifted down by ky image rows. That copies the input kw times instead of kh·kw times, and each
// GEMM covers a few output rows only, small enough (M·N·K ≲ 1e6) for OpenBLAS to run it without packing.
//
//   out[o, y, x] = bias[o] + Σ_ky Σ_(c,kx) W_ky[o, (c,kx)] · rows[(c,kx), y + ky, x]
//   rows[(c,kx), yp, x] = input[c, yp − padH, x + kx − padW]   (zero outside the image)
//
// With fewer than 8 output channels the GEMM runs transposed (pixels × O), because OpenBLAS is slow with M < 8.
// The data gradient is the forward pass of the flipped conv (see ConvFlipped). The filter gradient stays on the
// other paths.
import COpenBLAS

enum ConvRowShift {
    /// Both channel counts at most this: above it im2col's GEMMs are wide enough to pay for their copies.
    nonisolated(unsafe) static var maxChannels = 16
    /// Upper bound on M·N·K of one GEMM call: OpenBLAS (0.3.21, SkylakeX/Cooperlake kernels) runs calls below about
    /// 1e6 on its unpacked small-matrix kernels; 1024-px rows of the 9×9 3 → 8 conv ran at 61 GFLOP/s on one thread
    /// one row per call, 29 GFLOP/s eight rows per call.
    static let gemmBudget = 900_000
    /// Floats of row columns per worker (the band's (c, kx) rows over its output rows plus kh − 1).
    @TaskLocal static var bandBudgetFloats = 1 << 20

    static func preferred(_ g: ConvGeometry) -> Bool {
        g.strideH == 1 && g.strideW == 1 && g.kernelHeight * g.kernelWidth > 1
            && g.inChannels <= maxChannels && g.outChannels <= maxChannels
    }

    static func forward(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        output: UnsafeMutablePointer<Float>, geometry g: ConvGeometry) {
        let o = g.outChannels, kh = g.kernelHeight, kw = g.kernelWidth, k = g.inChannels * kw
        let oh = g.outHeight, ow = g.outWidth, plane = oh * ow, hw = g.inHeight * g.inWidth
        let transposed = o < 8
        // Weights per kernel row: [ky][o][(c,kx)] for O × K GEMMs, [ky][(c,kx)][o] for the transposed ones.
        let weightBlock = KernelScratch.take(g.weightCount)
        defer { KernelScratch.give(weightBlock) }
        let w = weightBlock.pointer
        for oc in 0..<o { for c in 0..<g.inChannels { for ky in 0..<kh { for kx in 0..<kw {
            let v = weight[((oc * g.inChannels + c) * kh + ky) * kw + kx], kIndex = c * kw + kx
            w[ky * o * k + (transposed ? kIndex * o + oc : oc * k + kIndex)] = v
        } } } }

        // Bands of output rows: enough for every worker, each band's rows within the per-worker budget.
        let workers = ComputeThreads.workers
        var bandRows = max(1, bandBudgetFloats / max(1, k * ow) - (kh - 1))
        bandRows = min(bandRows, max(1, Im2Col.ceilDiv(oh, Im2Col.ceilDiv(2 * workers, g.batch))))
        let bands = stride(from: 0, to: oh, by: bandRows).map { $0..<min(oh, $0 + bandRows) }
        let rowsPerCall = max(1, gemmBudget / max(1, o * k * ow))
        let items = g.batch * bands.count, used = min(workers, items)
        let rowFloats = k * (bandRows + kh - 1) * ow, outFloats = transposed ? bandRows * ow * o : 0
        let blocks = (0..<used).map { _ in KernelScratch.take(rowFloats + outFloats) }
        defer { blocks.forEach(KernelScratch.give) }
        let buffers = blocks.map(\.pointer)

        ConvIm2Col.distribute(items, workers: used) { worker, item in
            let n = item / bands.count, band = bands[item % bands.count]
            let image = input + n * g.inChannels * hw, out = output + n * o * plane
            let rows = buffers[worker], padded = band.count + kh - 1
            fillRows(image: image, geometry: g, firstRow: band.lowerBound, count: padded, transposed: transposed,
                     into: rows)
            if transposed {
                // outT (pixels × O) = Σ_ky rowsT[shifted by ky rows] (pixels × K) · W_kyᵀ (K × O), then to planes.
                let outT = rows + rowFloats
                var j = 0
                while j < band.count {
                    let r = min(rowsPerCall, band.count - j)
                    for ky in 0..<kh {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(r * ow), Int32(o), Int32(k), 1,
                                    rows + (j + ky) * ow * k, Int32(k), w + ky * k * o, Int32(o), ky == 0 ? 0 : 1,
                                    outT + j * ow * o, Int32(o))
                    }
                    j += r
                }
                for oc in 0..<o {
                    let dst = out + oc * plane + band.lowerBound * ow, v = bias?[oc] ?? 0
                    for p in 0..<(band.count * ow) { dst[p] = outT[p * o + oc] + v }
                }
            } else {
                // out (O × pixels) = Σ_ky W_ky (O × K) · rows[shifted by ky rows] (K × pixels), in place.
                let ld = padded * ow
                var j = 0
                while j < band.count {
                    let r = min(rowsPerCall, band.count - j), c = out + (band.lowerBound + j) * ow
                    for ky in 0..<kh {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(o), Int32(r * ow), Int32(k), 1,
                                    w + ky * o * k, Int32(k), rows + (j + ky) * ow, Int32(ld), ky == 0 ? 0 : 1,
                                    c, Int32(plane))
                    }
                    j += r
                }
                if let bias {
                    for oc in 0..<o {
                        let dst = out + oc * plane + band.lowerBound * ow, v = bias[oc]
                        for p in 0..<(band.count * ow) { dst[p] += v }
                    }
                }
            }
        }
    }

    /// The (c, kx) columns of padded rows firstRow ..< firstRow + count (output-row coordinates: padded row yp reads
    /// input row yp − padH). Row-major (c,kx) × (yp, x), or pixel-major (yp, x) × (c,kx) when `transposed`.
    static func fillRows(image: UnsafePointer<Float>, geometry g: ConvGeometry, firstRow: Int, count: Int,
                         transposed: Bool, into rows: UnsafeMutablePointer<Float>) {
        let kw = g.kernelWidth, ow = g.outWidth, iw = g.inWidth, k = g.inChannels * kw, ld = count * ow
        if transposed {
            // Pixel-major: per padded row, each channel's input row zero-padded once into `line`, then every pixel's
            // K values written in order (contiguous writes; the strided ones cost more than the GEMMs).
            let span = ow + kw - 1
            KernelScratch.with(g.inChannels * span) { line in
                for i in 0..<count {
                    let y = firstRow + i - g.padH, dst = rows + i * ow * k
                    guard y >= 0 && y < g.inHeight else { dst.initialize(repeating: 0, count: ow * k); continue }
                    for c in 0..<g.inChannels {
                        // line[t] = input[c, y, t − padW] for t in 0 ..< ow + kw − 1.
                        let l = line + c * span, src = image + (c * g.inHeight + y) * iw
                        let lo = min(span, g.padW), hi = max(lo, min(span, iw + g.padW))
                        l.initialize(repeating: 0, count: span)
                        (l + lo).update(from: src + (lo - g.padW), count: hi - lo)
                    }
                    for x in 0..<ow {
                        let d = dst + x * k
                        for c in 0..<g.inChannels {
                            let l = line + c * span + x, dc = d + c * kw
                            for kx in 0..<kw { dc[kx] = l[kx] }
                        }
                    }
                }
            }
            return
        }
        for c in 0..<g.inChannels {
            for kx in 0..<kw {
                // Output x reads input x + kx − padW: valid for x in lo ..< hi.
                let shift = kx - g.padW, lo = max(0, -shift), hi = min(ow, iw - shift), kIndex = c * kw + kx
                for i in 0..<count {
                    let y = firstRow + i - g.padH, dst = rows + kIndex * ld + i * ow
                    guard y >= 0 && y < g.inHeight && lo < hi else { dst.initialize(repeating: 0, count: ow); continue }
                    let src = image + (c * g.inHeight + y) * iw + shift
                    if lo > 0 { dst.initialize(repeating: 0, count: lo) }
                    (dst + lo).update(from: src + lo, count: hi - lo)
                    if hi < ow { (dst + hi).initialize(repeating: 0, count: ow - hi) }
                }
            }
        }
    }

    /// The data gradient: the flipped conv's forward pass (C ← O channels, kernel rotated 180°, padding k − 1 − p).
    /// Needs padding ≤ kernel − 1 (`ConvFlipped.applicable`).
    static func backwardData(gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                             gradInput: UnsafeMutablePointer<Float>, geometry g: ConvGeometry) {
        require(ConvFlipped.applicable(g), "row-shift data gradient needs stride 1 and padding < kernel: \(g)")
        ConvFlipped.backwardData(gradOutput: gradOutput, weight: weight, gradInput: gradInput, geometry: g, forward: forward)
    }
}
