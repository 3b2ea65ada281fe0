// Winograd F(4×4,3×3) (forward, backward data, backward filter) checked against Conv2DReference: odd small shapes at
// every padding, rows wide enough for the transforms' 32-column paths, one-tile-row bands, VGG-scale channel counts
// and magnitudes, and the weight cache.
import Testing
@testable import NeuralCore

/// All three directions through Winograd F(4×4,3×3) only.
let winograd = ConvImplementation(
    forward: { x, w, b, y, g in
        Conv2DKernel.withWinogradWeights(w, geometry: g, backward: false, cache: nil) { u in
            WinogradF4x3.convolve(input: x, transformedWeight: u, bias: b, output: y, geometry: g)
        }
    },
    backwardData: { dy, w, dx, g in
        Conv2DKernel.withWinogradWeights(w, geometry: g, backward: true, cache: nil) { u in
            WinogradF4x3.convolve(input: dy, transformedWeight: u, bias: nil, output: dx,
                                  geometry: WinogradF4x3.backwardDataGeometry(g))
        }
    },
    backwardFilter: WinogradF4x3.backwardFilter)

/// (batch, inChannels, H, W, outChannels, pad): sizes not multiples of 4 so edge tiles are partial.
let winogradShapes: [(Int, Int, Int, Int, Int, Int)] = [
    (1, 1, 5, 7, 1, 1), (2, 3, 9, 6, 4, 1), (1, 7, 11, 13, 5, 0), (1, 16, 6, 5, 7, 2), (2, 5, 4, 4, 3, 1),
    (1, 3, 3, 3, 2, 0), (1, 16, 17, 10, 16, 1), (1, 2, 8, 8, 3, 2), (1, 4, 3, 9, 2, 1),
    // Wide rows: the 32-column paths of the input and output transforms, with scalar heads and tails at each padding.
    (1, 3, 9, 45, 4, 1), (2, 5, 7, 70, 3, 0), (1, 4, 6, 67, 5, 2), (1, 2, 5, 96, 2, 1),
]

func winogradGeometry(_ s: (Int, Int, Int, Int, Int, Int)) -> ConvGeometry {
    ConvGeometry(batch: s.0, inChannels: s.1, inHeight: s.2, inWidth: s.3, outChannels: s.4,
                 kernelHeight: 3, kernelWidth: 3, padH: s.5, padW: s.5)
}

@Suite("Kernels: Winograd F(4x4,3x3) vs reference", .serialized)
struct KernelsWinogradTests {
    /// Inputs/weights in [−1, 1]. Tolerance 1e-5 relative: the transforms' constants (1/6, 1/24) round in Float32,
    /// adding error of order 1e-6 at these sizes.
    @Test(arguments: winogradShapes.indices)
    func matchesReference(_ index: Int) {
        checkAgainstReference(winogradGeometry(winogradShapes[index]), winograd, seed: UInt64(200 + index), tolerance: 1e-5)
    }

    /// One tile row per band so band boundaries (and the strip's top/bottom padding per band) are exercised.
    @Test(arguments: winogradShapes.indices)
    func matchesReferenceWithOneTileRowBands(_ index: Int) {
        WinogradF4x3.$bufferBudgetFloats.withValue(1) {
            checkAgainstReference(winogradGeometry(winogradShapes[index]), winograd, seed: UInt64(300 + index), tolerance: 1e-5)
        }
    }

    /// Small images go through in groups of images sharing one GEMM per ξ: a budget of exactly two images per
    /// group over a batch of 5 (groups 2, 2, 1), and the default budget (the whole batch in one group).
    /// Tolerance 1e-5 relative, as above.
    @Test(arguments: [(5, 6, 10, 9, 7, 1), (7, 16, 7, 7, 16, 1), (3, 5, 14, 14, 4, 2)])
    func matchesReferenceInImageGroups(_ shape: (Int, Int, Int, Int, Int, Int)) {
        let g = winogradGeometry(shape)
        let tiles = ((g.outHeight + 3) / 4) * ((g.outWidth + 3) / 4)
        // Backward data runs the transposed geometry (channels swapped, same tile count with padding 2 − p).
        WinogradF4x3.$bufferBudgetFloats.withValue(2 * 36 * (g.inChannels + g.outChannels) * tiles) {
            checkAgainstReference(g, winograd, seed: UInt64(400 + shape.0), tolerance: 1e-5)
        }
        checkAgainstReference(g, winograd, seed: UInt64(500 + shape.0), tolerance: 1e-5)
    }

    /// VGG scale: image values 0–255 minus a mean of ~120, weights ~N(0, 0.02), 256 channels in and out (and a
    /// 512-channel case). Required relative error (max |Δ| / max |ref|) ≤ 1e-3 in all three directions.
    @Test(arguments: [(256, 256, 14, 18), (512, 512, 8, 9), (64, 64, 21, 30)])
    func accurateAtVGGScale(_ shape: (Int, Int, Int, Int)) {
        let g = ConvGeometry(batch: 1, inChannels: shape.0, inHeight: shape.2, inWidth: shape.3, outChannels: shape.1,
                             kernelHeight: 3, kernelWidth: 3, padH: 1, padW: 1)
        var rng = SeededRandom(seed: 9)
        let x = (0..<g.inputCount).map { _ in rng.uniform(0, 255) - 120 }
        let w = (0..<g.weightCount).map { _ in rng.normal(0.02) }
        let b = (0..<g.outChannels).map { _ in rng.normal(0.5) }
        let dy = (0..<g.outputCount).map { _ in rng.normal(1) }
        func scaled(_ a: [Float], _ r: [Float]) -> Float {
            let diff = zip(a, r).map { abs($0 - $1) }.max()!, scale = r.map { abs($0) }.max()!
            return diff / scale
        }
        let y = ConvRun.forward(g, input: x, weight: w, bias: b, winograd.forward)
        let yr = ConvRun.forward(g, input: x, weight: w, bias: b, Conv2DReference.forward)
        #expect(scaled(y, yr) <= 1e-3)
        let dx = ConvRun.backwardData(g, gradOutput: dy, weight: w, winograd.backwardData)
        let dxr = ConvRun.backwardData(g, gradOutput: dy, weight: w, Conv2DReference.backwardData)
        #expect(scaled(dx, dxr) <= 1e-3)
        let (dw, db) = ConvRun.backwardFilter(g, gradOutput: dy, input: x, winograd.backwardFilter)
        let (dwr, dbr) = ConvRun.backwardFilter(g, gradOutput: dy, input: x, Conv2DReference.backwardFilter)
        #expect(scaled(dw, dwr) <= 1e-3)
        #expect(scaled(db, dbr) <= 1e-3)
    }

    /// The cache returns the same results as no cache, keeps them across calls, and `invalidate()` picks up new
    /// weight values written at the same address. Tolerance: exact equality with the uncached call (same arithmetic).
    @Test func weightCacheReusesAndInvalidates() {
        let g = ConvGeometry(batch: 1, inChannels: 32, inHeight: 9, inWidth: 33, outChannels: 24,
                             kernelHeight: 3, kernelWidth: 3, padH: 1, padW: 1)
        var rng = SeededRandom(seed: 5)
        let x = rng.buffer(g.inputCount), dy = rng.buffer(g.outputCount)
        var w = rng.buffer(g.weightCount)
        let cache = ConvWeightCache()
        func run(_ w: UnsafePointer<Float>, _ cache: ConvWeightCache?) -> ([Float], [Float]) {
            var y = [Float](repeating: .nan, count: g.outputCount), dx = [Float](repeating: .nan, count: g.inputCount)
            y.withUnsafeMutableBufferPointer {
                Conv2DKernel.forward(input: x, weight: w, bias: nil, output: $0.baseAddress!, geometry: g, weightCache: cache)
            }
            dx.withUnsafeMutableBufferPointer {
                Conv2DKernel.backwardData(gradOutput: dy, weight: w, gradInput: $0.baseAddress!, geometry: g, weightCache: cache)
            }
            return (y, dx)
        }
        w.withUnsafeMutableBufferPointer { wp in
            let plain = run(wp.baseAddress!, nil)
            let first = run(wp.baseAddress!, cache), second = run(wp.baseAddress!, cache)
            #expect(first.0 == plain.0 && first.1 == plain.1)
            #expect(second.0 == plain.0 && second.1 == plain.1)
            #expect(cache.byteCount == 2 * 36 * 32 * 24 * 4)
            for i in 0..<wp.count { wp[i] *= -2 }
            cache.invalidate()
            let changed = run(wp.baseAddress!, cache), fresh = run(wp.baseAddress!, nil)
            #expect(changed.0 == fresh.0 && changed.1 == fresh.1)
            #expect(changed.0 != plain.0)
        }
    }
}
