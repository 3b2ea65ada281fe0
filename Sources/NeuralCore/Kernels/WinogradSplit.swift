// Stride-1 convs with kernels larger than 3×3 on small maps (the Fashion-MNIST CNN's 5×5 conv on 14²) through
// Winograd F(4×4,3×3): the kernel, zero-padded to a multiple of 3, splits into 3×3 sub-kernels at offsets (3a, 3b);
// each sub-kernel sees the input shifted by its offset, so the conv is ONE 3×3 conv over S·C "shifted channels".
// For 5×5 that is 4·36 = 144 multiplies per 4×4 output tile instead of 400. Images are batched into each GEMM.
import COpenBLAS

/// Split-kernel Winograd for stride-1 convs with kh or kw in 4…9. Same contract as `Conv2DKernel`; backward data
/// is the forward of the flipped conv (`ConvFlipped`), backward filter stays on im2col.
enum WinogradSplit {
    /// Transform buffers (V and M together) per group of images: 2 M floats = 8 MB. Images whose buffers alone
    /// exceed this are left to the im2col path (this path keeps whole images in one band).
    static let defaultGroupFloats = 2 * 1024 * 1024

    /// Stride 1, a kernel side above 3 (and none above 9), padding ≤ kernel − 1 (so the flipped conv exists),
    /// ≥ `Conv2DKernel.winogradMinChannels` channels both ways (smaller convs are transform-bound), and a whole
    /// image's transforms within `groupFloats`.
    static func preferred(_ g: ConvGeometry, groupFloats: Int = defaultGroupFloats) -> Bool {
        Conv2DKernel.winogradEnabled && g.strideH == 1 && g.strideW == 1
            && max(g.kernelHeight, g.kernelWidth) > 3 && max(g.kernelHeight, g.kernelWidth) <= 9
            && g.padH <= g.kernelHeight - 1 && g.padW <= g.kernelWidth - 1
            && min(g.inChannels, g.outChannels) >= Conv2DKernel.winogradMinChannels
            && imagesPerGroup(g, groupFloats: groupFloats) >= 1
    }

    /// Sub-kernels along each axis: ⌈kh/3⌉ × ⌈kw/3⌉.
    static func splits(_ g: ConvGeometry) -> (rows: Int, cols: Int) {
        (Im2Col.ceilDiv(g.kernelHeight, 3), Im2Col.ceilDiv(g.kernelWidth, 3))
    }

    static func imagesPerGroup(_ g: ConvGeometry, groupFloats: Int) -> Int {
        let (sa, sb) = splits(g), tiles = Im2Col.ceilDiv(g.outHeight, 4) * Im2Col.ceilDiv(g.outWidth, 4)
        return min(g.batch, groupFloats / (36 * (sa * sb * g.inChannels + g.outChannels) * tiles))
    }

    /// W′[o][s·C + c][i][j] = weight[o][c][3a + i][3b + j] for sub-kernel s = a·sb + b (zero past the kernel's edge).
    static func splitWeights(_ weight: UnsafePointer<Float>, geometry g: ConvGeometry, into w3: UnsafeMutablePointer<Float>) {
        let (sa, sb) = splits(g), c = g.inChannels, kh = g.kernelHeight, kw = g.kernelWidth, cl = sa * sb * c
        for oc in 0..<g.outChannels { for a in 0..<sa { for b in 0..<sb { for ch in 0..<c {
            let dst = w3 + (oc * cl + (a * sb + b) * c + ch) * 9, src = weight + (oc * c + ch) * kh * kw
            for i in 0..<3 { for j in 0..<3 {
                let ki = 3 * a + i, kj = 3 * b + j
                dst[3 * i + j] = ki < kh && kj < kw ? src[ki * kw + kj] : 0
            } }
        } } } }
    }

    static func forward(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        output: UnsafeMutablePointer<Float>, geometry g: ConvGeometry,
                        groupFloats: Int = defaultGroupFloats) {
        let (sa, sb) = splits(g), cl = sa * sb * g.inChannels, o = g.outChannels
        KernelScratch.with(o * cl * 9) { w3 in
            splitWeights(weight, geometry: g, into: w3)
            KernelScratch.with(36 * o * cl) { u in
                WinogradF4x3.transformWeights(w3, outChannels: o, inChannels: cl, flipTranspose: false, into: u)
                convolve(input: input, transformedWeight: u, bias: bias, output: output, geometry: g,
                         groupFloats: groupFloats)
            }
        }
    }

    /// gradInput = forward of the flipped conv (kernel rotated 180° and transposed, padding k − 1 − p) on gradOutput.
    static func backwardData(gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                             gradInput: UnsafeMutablePointer<Float>, geometry g: ConvGeometry,
                             groupFloats: Int = defaultGroupFloats) {
        KernelScratch.with(g.weightCount) { w in
            ConvFlipped.rotateTranspose(weight, outChannels: g.outChannels, inChannels: g.inChannels,
                                        kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth, into: w)
            forward(input: gradOutput, weight: w, bias: nil, output: gradInput, geometry: ConvFlipped.flippedGeometry(g),
                    groupFloats: groupFloats)
        }
    }

    /// The 3×3 Winograd conv over shifted channels, on groups of whole images: shifted channel s·C + c of image n is
    /// plane c read from row 3a − padH and column 3b − padW on (zero outside the plane).
    static func convolve(input: UnsafePointer<Float>, transformedWeight u: UnsafePointer<Float>,
                         bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, geometry g: ConvGeometry,
                         groupFloats: Int) {
        let (sa, sb) = splits(g), c = g.inChannels, cl = sa * sb * c, o = g.outChannels
        let h = g.inHeight, w = g.inWidth, oh = g.outHeight, ow = g.outWidth
        let tilesH = Im2Col.ceilDiv(oh, 4), tilesW = Im2Col.ceilDiv(ow, 4), perImage = tilesH * tilesW
        let groupImages = imagesPerGroup(g, groupFloats: groupFloats)
        precondition(groupImages >= 1, "WinogradSplit: \(g) exceeds its buffer budget")
        let workers = ComputeThreads.workers, maxTiles = groupImages * perImage
        let vBlock = KernelScratch.take(36 * cl * maxTiles), mBlock = KernelScratch.take(36 * o * maxTiles)
        defer { KernelScratch.give(vBlock); KernelScratch.give(mBlock) }
        let v = vBlock.pointer, m = mBlock.pointer
        for n0 in stride(from: 0, to: g.batch, by: groupImages) {
            let images = min(groupImages, g.batch - n0), tiles = images * perImage
            // 1. Input transform, parallel over input channels (each padded plane serves all S shifts).
            let inParts = min(workers, c), inRanges = ComputeThreads.split(c, parts: inParts)
            ComputeThreads.parallelFor(inParts) { part in
                for ch in inRanges[part] {
                    transformInput(input: input, geometry: g, channel: ch, firstImage: n0, images: images,
                                   tilesH: tilesH, tilesW: tilesW, v: v, tiles: tiles)
                }
            }
            // 2. 36 independent GEMMs M[ξ] (O × tiles) = U[ξ] (O × S·C) · V[ξ] (S·C × tiles), split over workers.
            let xiParts = min(workers, 36)
            ComputeThreads.parallelFor(xiParts) { part in
                for xi in ComputeThreads.split(36, parts: xiParts)[part] {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(o), Int32(tiles), Int32(cl), 1,
                                u + xi * o * cl, Int32(cl), v + xi * cl * tiles, Int32(tiles), 0,
                                m + xi * o * tiles, Int32(tiles))
                }
            }
            // 3. Output transform, parallel over output channels.
            let outParts = min(workers, o), outRanges = ComputeThreads.split(o, parts: outParts)
            ComputeThreads.parallelFor(outParts) { part in
                for oc in outRanges[part] {
                    transformOutput(m: m, tiles: tiles, channel: oc, bias: bias?[oc] ?? 0, geometry: g, firstImage: n0,
                                    tilesH: tilesH, tilesW: tilesW, output: output)
                }
            }
        }
    }

    typealias V8 = WinogradF4x3.V8

    /// V[ξ][s·C + channel][t] for the group's tiles t (image-major, then tile row, tile column), 8 tiles per vector:
    /// the channel's planes are zero-padded once, then each shift's 6×6 patches are gathered lane by lane.
    static func transformInput(input: UnsafePointer<Float>, geometry g: ConvGeometry, channel ch: Int, firstImage n0: Int,
                               images: Int, tilesH: Int, tilesW: Int, v: UnsafeMutablePointer<Float>, tiles: Int) {
        let (sa, sb) = splits(g), c = g.inChannels, h = g.inHeight, w = g.inWidth, cl = sa * sb * c
        let ph = 4 * tilesH + 2 + 3 * (sa - 1), pw = 4 * tilesW + 2 + 3 * (sb - 1), planeSize = ph * pw
        let perImage = tilesH * tilesW, xiStride = cl * tiles
        KernelScratch.with(images * planeSize) { padded in
            padded.initialize(repeating: 0, count: images * planeSize)
            for i in 0..<images {
                let src = input + ((n0 + i) * c + ch) * h * w
                for y in 0..<h where y + g.padH < ph {
                    let cols = min(w, pw - g.padW)
                    (padded + i * planeSize + (y + g.padH) * pw + g.padW).update(from: src + y * w, count: cols)
                }
            }
            withUnsafeTemporaryAllocation(of: V8.self, capacity: 36) { dBuffer in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 8) { offsetBuffer in
            let d = dBuffer.baseAddress!, offsets = offsetBuffer.baseAddress!
            for t0 in stride(from: 0, to: tiles, by: 8) {
                let lanes = min(8, tiles - t0)
                for l in 0..<8 {
                    let t = t0 + min(l, lanes - 1), i = t / perImage, tr = (t % perImage) / tilesW, tc = t % tilesW
                    offsets[l] = i * planeSize + 4 * tr * pw + 4 * tc
                }
                for s in 0..<(sa * sb) {
                    let base = UnsafePointer(padded) + 3 * (s / sb) * pw + 3 * (s % sb)
                    for r in 0..<6 { for k in 0..<6 {
                        let e = base + r * pw + k
                        d[6 * r + k] = V8(e[offsets[0]], e[offsets[1]], e[offsets[2]], e[offsets[3]],
                                          e[offsets[4]], e[offsets[5]], e[offsets[6]], e[offsets[7]])
                    } }
                    for k in 0..<6 {  // column k: Bᵀ down the rows
                        let r = WinogradF4x3.inputTransform(d[k], d[6 + k], d[12 + k], d[18 + k], d[24 + k], d[30 + k])
                        d[k] = r.0; d[6 + k] = r.1; d[12 + k] = r.2; d[18 + k] = r.3; d[24 + k] = r.4; d[30 + k] = r.5
                    }
                    let dst = v + (s * c + ch) * tiles + t0
                    for i in 0..<6 {  // row i: ·B across the columns
                        let q = d + 6 * i
                        let r = WinogradF4x3.inputTransform(q[0], q[1], q[2], q[3], q[4], q[5])
                        let out = dst + 6 * i * xiStride
                        @inline(__always) func put(_ x: V8, _ j: Int) {
                            if lanes == 8 { WinogradF4x3.store(x, out + j * xiStride) }
                            else { for l in 0..<lanes { out[j * xiStride + l] = x[l] } }
                        }
                        put(r.0, 0); put(r.1, 1); put(r.2, 2); put(r.3, 3); put(r.4, 4); put(r.5, 5)
                    }
                }
            }
            }
            }
        }
    }

    /// Output channel `oc` from M[ξ][oc][t]: Aᵀ·M·A per tile, 8 tiles per vector, plus bias; edge tiles write only
    /// inside the image.
    static func transformOutput(m: UnsafePointer<Float>, tiles: Int, channel oc: Int, bias: Float, geometry g: ConvGeometry,
                                firstImage n0: Int, tilesH: Int, tilesW: Int, output: UnsafeMutablePointer<Float>) {
        let o = g.outChannels, oh = g.outHeight, ow = g.outWidth, perImage = tilesH * tilesW, xiStride = o * tiles
        let b = V8(repeating: bias)
        withUnsafeTemporaryAllocation(of: V8.self, capacity: 36) { buf in
            let q = buf.baseAddress!
            for t0 in stride(from: 0, to: tiles, by: 8) {
                let lanes = min(8, tiles - t0), src = m + oc * tiles + t0
                for xi in 0..<36 {
                    if lanes == 8 { q[xi] = WinogradF4x3.load(src + xi * xiStride) } else {
                        var x = V8(repeating: 0)
                        for l in 0..<lanes { x[l] = src[xi * xiStride + l] }
                        q[xi] = x
                    }
                }
                for j in 0..<6 {  // column j: Aᵀ down the rows
                    let r = WinogradF4x3.outputTransform(q[j], q[6 + j], q[12 + j], q[18 + j], q[24 + j], q[30 + j])
                    q[j] = r.0; q[6 + j] = r.1; q[12 + j] = r.2; q[18 + j] = r.3
                }
                for i in 0..<4 {  // row i: ·A across the columns, then scattered to each lane's tile
                    let s = q + 6 * i
                    let r = WinogradF4x3.outputTransform(s[0], s[1], s[2], s[3], s[4], s[5])
                    let y0 = r.0 + b, y1 = r.1 + b, y2 = r.2 + b, y3 = r.3 + b
                    for l in 0..<lanes {
                        let t = t0 + l, n = n0 + t / perImage, tr = (t % perImage) / tilesW, tc = t % tilesW
                        let row = 4 * tr + i, cols = ow - 4 * tc
                        if row >= oh { continue }
                        let out = output + ((n * o + oc) * oh + row) * ow + 4 * tc
                        out[0] = y0[l]
                        if cols > 1 { out[1] = y1[l] }
                        if cols > 2 { out[2] = y2[l] }
                        if cols > 3 { out[3] = y3[l] }
                    }
                }
            }
        }
    }
}
