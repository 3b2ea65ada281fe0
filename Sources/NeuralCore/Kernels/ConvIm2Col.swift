// The general convolution path: im2col over bands of output rows + one-thread cblas_sgemm per band, bands spread
// over ComputeThreads.workers. Handles every stride, padding and kernel size; 1×1 stride-1 unpadded convs skip im2col.
import COpenBLAS

/// im2col + GEMM convolution. Column buffers are bounded by `bufferBudgetFloats` in total across workers.
enum ConvIm2Col {
    /// Total floats of column buffer shared among all workers (default 6 M floats = 24 MB).
    /// Tests lower it (`$bufferBudgetFloats.withValue`) to force one output row per band. Task-local, because band
    /// sizes change the GEMMs' rounding: a global set by one test would leak into tests running beside it.
    @TaskLocal static var bufferBudgetFloats = 6 * 1024 * 1024

    static func isPointwise(_ g: ConvGeometry) -> Bool {
        g.kernelHeight == 1 && g.kernelWidth == 1 && g.strideH == 1 && g.strideW == 1 && g.padH == 0 && g.padW == 0
    }

    /// Output-row bands of at most `rowsPerBand` rows, with enough bands that `minBands` workers all get work.
    static func bands(outHeight oh: Int, floatsPerRow: Int, workers: Int, minBands: Int) -> [Range<Int>] {
        var rows = max(1, min(oh, bufferBudgetFloats / max(1, workers * floatsPerRow)))
        if minBands > 1 { rows = min(rows, max(1, Im2Col.ceilDiv(oh, minBands))) }
        return stride(from: 0, to: oh, by: rows).map { $0..<min(oh, $0 + rows) }
    }

    /// Runs `body(worker, item)` for every item, item i on worker i mod workers, each worker sequentially.
    static func distribute(_ items: Int, workers: Int, _ body: (Int, Int) -> Void) {
        let used = min(workers, items)
        ComputeThreads.parallelFor(used) { w in
            var i = w
            while i < items { body(w, i); i += used }
        }
    }

    static func forward(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        output: UnsafeMutablePointer<Float>, geometry g: ConvGeometry) {
        let oh = g.outHeight, ow = g.outWidth, p = oh * ow, k = g.inChannels * g.kernelHeight * g.kernelWidth
        let o = g.outChannels, hw = g.inHeight * g.inWidth
        let pointwise = isPointwise(g), workers = ComputeThreads.workers
        let (bandList, maxRows, items, used) = bandPlan(g, floatsPerRow: k * ow, workers: workers)
        let blocks = (0..<used).map { _ in pointwise ? nil : KernelScratch.take(k * maxRows * ow) }
        defer { blocks.forEach { if let b = $0 { KernelScratch.give(b) } } }
        let buffers = blocks.map { $0?.pointer }
        distribute(items, workers: used) { w, item in
            let n = item / bandList.count, rows = bandList[item % bandList.count], cols = rows.count * ow
            let image = input + n * g.inChannels * hw
            let (b, ldb) = bandColumns(image: image, geometry: g, rows: rows, buffer: buffers[w])
            let c = output + n * o * p + rows.lowerBound * ow
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(o), Int32(cols), Int32(k), 1,
                        weight, Int32(k), b, Int32(ldb), 0, c, Int32(p))
            if let bias { for oc in 0..<o { let row = c + oc * p, v = bias[oc]; for x in 0..<cols { row[x] += v } } }
        }
    }

    static func backwardData(gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                             gradInput: UnsafeMutablePointer<Float>, geometry g: ConvGeometry) {
        let oh = g.outHeight, ow = g.outWidth, p = oh * ow, kk = g.kernelHeight * g.kernelWidth
        let k = g.inChannels * kk, o = g.outChannels, hw = g.inHeight * g.inWidth, workers = ComputeThreads.workers
        if isPointwise(g) {
            // dX (C × band) = Wᵀ (C × O) · dY (O × band): bands of rows are disjoint, so no accumulation is needed.
            let bandList = bands(outHeight: oh, floatsPerRow: 0, workers: workers, minBands: Im2Col.ceilDiv(workers, g.batch))
            distribute(g.batch * bandList.count, workers: workers) { _, item in
                let n = item / bandList.count, rows = bandList[item % bandList.count]
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(g.inChannels), Int32(rows.count * ow), Int32(o),
                            1, weight, Int32(k), gradOutput + n * o * p + rows.lowerBound * ow, Int32(p),
                            0, gradInput + n * g.inChannels * hw + rows.lowerBound * ow, Int32(hw))
            }
            return
        }
        // col2im of neighbouring output rows overlaps, so work is split by (image, range of INPUT rows): each item
        // zeroes and owns its input rows, runs the GEMM for every output row that reaches them (the kh − 1 rows
        // at a range boundary are computed by both neighbours) and adds back only into its own rows.
        let chunksPerImage = max(1, min(g.inHeight, Im2Col.ceilDiv(workers, g.batch)))
        let chunks = ComputeThreads.split(g.inHeight, parts: chunksPerImage).filter { !$0.isEmpty }
        let rowsPerBand = max(1, min(oh, bufferBudgetFloats / max(1, workers * k * ow)))
        let items = g.batch * chunks.count, used = min(workers, items)
        let blocks = (0..<used).map { _ in KernelScratch.take(k * rowsPerBand * ow) }
        defer { blocks.forEach(KernelScratch.give) }
        let buffers = blocks.map(\.pointer)
        distribute(items, workers: used) { w, item in
            let n = item / chunks.count, own = chunks[item % chunks.count]
            let image = gradInput + n * g.inChannels * hw
            for c in 0..<g.inChannels {
                (image + c * hw + own.lowerBound * g.inWidth).initialize(repeating: 0, count: own.count * g.inWidth)
            }
            // Output rows y with y·s − p + i in `own` for some 0 ≤ i < kh.
            let yLo = max(0, Im2Col.ceilDiv(own.lowerBound + g.padH - g.kernelHeight + 1, g.strideH))
            let yHi = min(oh, (own.upperBound - 1 + g.padH) / g.strideH + 1)
            var y0 = yLo
            while y0 < yHi {
                let rows = y0..<min(yHi, y0 + rowsPerBand), cols = rows.count * ow
                y0 = rows.upperBound
                // dCols (C·kh·kw × band) = Wᵀ (C·kh·kw × O) · dY(band) (O × band).
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(cols), Int32(o),
                            1, weight, Int32(k), gradOutput + n * o * p + rows.lowerBound * ow, Int32(p),
                            0, buffers[w], Int32(cols))
                Im2Col.unpackAdd(cols: buffers[w], geometry: g, rows: rows, channels: 0..<g.inChannels, image: image,
                                 inputRows: own)
            }
        }
    }

    static func backwardFilter(gradOutput: UnsafePointer<Float>, input: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?,
                               geometry g: ConvGeometry) {
        let oh = g.outHeight, ow = g.outWidth, p = oh * ow, k = g.inChannels * g.kernelHeight * g.kernelWidth
        let o = g.outChannels, hw = g.inHeight * g.inWidth
        let pointwise = isPointwise(g), workers = ComputeThreads.workers
        let (bandList, maxRows, items, used) = bandPlan(g, floatsPerRow: k * ow, workers: workers)
        // Each worker accumulates its own dW; worker 0 writes straight into gradWeight, the rest are summed in after.
        let partialBlocks = (1..<max(used, 1)).map { _ in KernelScratch.take(o * k) }
        let partials = [gradWeight] + partialBlocks.map(\.pointer)
        let blocks = (0..<used).map { _ in pointwise ? nil : KernelScratch.take(k * maxRows * ow) }
        defer {
            blocks.forEach { if let b = $0 { KernelScratch.give(b) } }
            partialBlocks.forEach(KernelScratch.give)
        }
        let buffers = blocks.map { $0?.pointer }
        distribute(items, workers: used) { w, item in
            let n = item / bandList.count, rows = bandList[item % bandList.count], cols = rows.count * ow
            let image = input + n * g.inChannels * hw
            let (b, ldb) = bandColumns(image: image, geometry: g, rows: rows, buffer: buffers[w])
            let first = item < used  // a worker's first item overwrites its partial
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(o), Int32(k), Int32(cols), 1,
                        gradOutput + n * o * p + rows.lowerBound * ow, Int32(p), b, Int32(ldb),
                        first ? 0 : 1, partials[w], Int32(k))
        }
        for part in partials.dropFirst() { for i in 0..<(o * k) { gradWeight[i] += part[i] } }
        if let gradBias { biasGradient(gradOutput: gradOutput, geometry: g, into: gradBias) }
    }

    /// gradBias[o] = Σ over n, y, x of gradOutput[n, o, y, x], output channels split over the workers. Shared by
    /// every conv path's backward filter.
    static func biasGradient(gradOutput: UnsafePointer<Float>, geometry g: ConvGeometry, into gradBias: UnsafeMutablePointer<Float>) {
        let o = g.outChannels, plane = g.outHeight * g.outWidth
        ComputeThreads.parallelRanges(o) { channels in
            for oc in channels {
                var s: Float = 0
                for n in 0..<g.batch { s += Reduce.sum(gradOutput + (n * o + oc) * plane, plane) }
                gradBias[oc] = s
            }
        }
    }

    /// The im2col columns (K × rows·W') of one band of output rows, and their leading dimension: packed into
    /// `buffer`, or, for a 1×1 stride-1 unpadded conv (`buffer` nil), the input rows themselves.
    static func bandColumns(image: UnsafePointer<Float>, geometry g: ConvGeometry, rows: Range<Int>,
                            buffer: UnsafeMutablePointer<Float>?) -> (UnsafePointer<Float>, Int) {
        let ow = g.outWidth
        guard let buffer else { return (image + rows.lowerBound * ow, g.outHeight * ow) }
        Im2Col.pack(image: image, geometry: g, rows: rows, channels: 0..<g.inChannels, cols: buffer)
        return (UnsafePointer(buffer), rows.count * ow)
    }

    /// Bands of output rows for the im2col path (shared by forward and the filter gradient): the bands, the rows of
    /// the largest, the work items (batch × bands) and how many workers get one.
    static func bandPlan(_ g: ConvGeometry, floatsPerRow: Int, workers: Int)
        -> (bands: [Range<Int>], maxRows: Int, items: Int, used: Int) {
        let list = bands(outHeight: g.outHeight, floatsPerRow: floatsPerRow, workers: workers,
                         minBands: Im2Col.ceilDiv(workers, g.batch))
        let items = g.batch * list.count
        return (list, list.map(\.count).max()!, items, min(workers, items))
    }
}
