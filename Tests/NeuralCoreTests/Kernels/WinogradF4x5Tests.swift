// Winograd F(4×4,5×5) (forward, backward data, backward filter) checked against Conv2DReference: odd small shapes at
// every padding 0…4, one-tile-row bands, image groups, classifier-scale magnitudes, the weight cache, and that
// Conv2DKernel routes the seeds conv2 here.
import Testing
@testable import NeuralCore

/// All three directions through F(4×4,5×5) only.
let winograd5 = ConvImplementation(
    forward: { x, w, b, y, g in
        Conv2DKernel.withWinogradWeights(w, geometry: g, backward: false, cache: nil) { u in
            WinogradF4x5.convolve(input: x, transformedWeight: u, bias: b, output: y, geometry: g)
        }
    },
    backwardData: { dy, w, dx, g in
        Conv2DKernel.withWinogradWeights(w, geometry: g, backward: true, cache: nil) { u in
            WinogradF4x5.convolve(input: dy, transformedWeight: u, bias: nil, output: dx,
                                  geometry: WinogradF4x5.backwardDataGeometry(g))
        }
    },
    backwardFilter: WinogradF4x5.backwardFilter)

/// (batch, inChannels, H, W, outChannels, pad): sizes not multiples of 4 so edge tiles are partial; 1×1 images
/// (pad 2 and 4), tiles rows wider and narrower than the 8 SIMD lanes, every padding 0…4.
let winograd5Shapes: [(Int, Int, Int, Int, Int, Int)] = [
    (1, 1, 5, 5, 1, 0), (2, 3, 13, 11, 4, 2), (1, 7, 11, 13, 5, 0), (1, 6, 9, 7, 5, 1), (2, 5, 6, 6, 3, 3),
    (1, 3, 1, 1, 2, 2), (2, 4, 1, 1, 3, 4), (1, 16, 17, 10, 16, 4), (1, 2, 40, 37, 3, 2), (3, 5, 14, 14, 6, 2),
    (1, 4, 3, 9, 2, 3),
]

func winograd5Geometry(_ s: (Int, Int, Int, Int, Int, Int)) -> ConvGeometry {
    ConvGeometry(batch: s.0, inChannels: s.1, inHeight: s.2, inWidth: s.3, outChannels: s.4,
                 kernelHeight: 5, kernelWidth: 5, padH: s.5, padW: s.5)
}

@Suite("Kernels: Winograd F(4x4,5x5) vs reference", .serialized)
struct KernelsWinogradF4x5Tests {
    /// Inputs/weights in [−1, 1]. Tolerance 2e-5 relative (max |Δ| / max(1, max |ref|)): Bᵀ's entries reach 21 and
    /// G's constants (1/18, 1/360) round in Float32, so the error is a few times F(4×4,3×3)'s. The weight gradient
    /// sums over every tile of the batch (and, with bands or groups, accumulates across GEMMs).
    @Test(arguments: winograd5Shapes.indices)
    func matchesReference(_ index: Int) {
        checkAgainstReference(winograd5Geometry(winograd5Shapes[index]), winograd5, seed: UInt64(600 + index),
                              tolerance: 2e-5)
    }

    /// One tile row per band, so band boundaries (and each band's strip padding) are exercised. Tolerance 2e-5.
    @Test(arguments: winograd5Shapes.indices)
    func matchesReferenceWithOneTileRowBands(_ index: Int) {
        WinogradF4x5.$bufferBudgetFloats.withValue(1) {
            checkAgainstReference(winograd5Geometry(winograd5Shapes[index]), winograd5, seed: UInt64(700 + index),
                                  tolerance: 2e-5)
        }
    }

    /// Small images in groups sharing one GEMM per ξ: exactly two images per group over batches of 5, 7 and 3
    /// (groups 2, 2, 1 …), and the default budget (whole batch in one group). Tolerance 2e-5 relative.
    @Test(arguments: [(5, 6, 10, 9, 7, 2), (7, 16, 7, 7, 16, 2), (3, 5, 14, 14, 4, 2)])
    func matchesReferenceInImageGroups(_ shape: (Int, Int, Int, Int, Int, Int)) {
        let g = winograd5Geometry(shape)
        // Padding 2: backward data (channels swapped, padding 4 − 2) has the same tile count and floats per tile.
        let tiles = ((g.outHeight + 3) / 4) * ((g.outWidth + 3) / 4)
        WinogradF4x5.$bufferBudgetFloats.withValue(2 * 64 * (g.inChannels + g.outChannels) * tiles) {
            checkAgainstReference(g, winograd5, seed: UInt64(800 + shape.0), tolerance: 2e-5)
        }
        checkAgainstReference(g, winograd5, seed: UInt64(900 + shape.0), tolerance: 2e-5)
    }

    /// The seeds CNN's conv2 at training magnitudes: post-ReLU activations in [0, 4), weights ~N(0, 0.03), output
    /// gradients ~N(0, 1e-3), 32 → 64 channels on 14², batch 8. Relative error (max |Δ| / max |ref|) ≤ 1e-4 in all
    /// three directions.
    @Test func accurateAtClassifierScale() {
        let g = ConvGeometry(batch: 8, inChannels: 32, inHeight: 14, inWidth: 14, outChannels: 64,
                             kernelHeight: 5, kernelWidth: 5, padH: 2, padW: 2)
        var rng = SeededRandom(seed: 11)
        let x = (0..<g.inputCount).map { _ in rng.uniform(0, 4) }
        let w = (0..<g.weightCount).map { _ in rng.normal(0.03) }
        let dy = (0..<g.outputCount).map { _ in rng.normal(1e-3) }
        func scaled(_ a: [Float], _ r: [Float]) -> Float {
            zip(a, r).map { abs($0 - $1) }.max()! / r.map { abs($0) }.max()!
        }
        let y = ConvRun.forward(g, input: x, weight: w, bias: nil, winograd5.forward)
        let yr = ConvRun.forward(g, input: x, weight: w, bias: nil, Conv2DReference.forward)
        #expect(scaled(y, yr) <= 1e-4)
        let dx = ConvRun.backwardData(g, gradOutput: dy, weight: w, winograd5.backwardData)
        let dxr = ConvRun.backwardData(g, gradOutput: dy, weight: w, Conv2DReference.backwardData)
        #expect(scaled(dx, dxr) <= 1e-4)
        let (dw, db) = ConvRun.backwardFilter(g, gradOutput: dy, input: x, winograd5.backwardFilter)
        let (dwr, dbr) = ConvRun.backwardFilter(g, gradOutput: dy, input: x, Conv2DReference.backwardFilter)
        #expect(scaled(dw, dwr) <= 1e-4)
        #expect(scaled(db, dbr) <= 1e-4)
    }

    /// Conv2DKernel routes the seeds conv2 (32 → 64, 5×5, pad 2, 14²) through F(4×4,5×5) in all three directions,
    /// and conv1 (1 input channel) not; its results equal the direct Winograd calls exactly (same arithmetic).
    @Test func conv2DKernelTakesThePathForSeedsConv2() {
        let conv2 = ConvGeometry(batch: 4, inChannels: 32, inHeight: 14, inWidth: 14, outChannels: 64,
                                 kernelHeight: 5, kernelWidth: 5, padH: 2, padW: 2)
        let conv1 = ConvGeometry(batch: 4, inChannels: 1, inHeight: 28, inWidth: 28, outChannels: 32,
                                 kernelHeight: 5, kernelWidth: 5, padH: 2, padW: 2)
        #expect(Conv2DKernel.useWinograd5(conv2, inChannels: 32, outChannels: 64))
        #expect(Conv2DKernel.useWinograd5(conv2, inChannels: 64, outChannels: 32))
        #expect(!Conv2DKernel.useWinograd5(conv1, inChannels: 1, outChannels: 32))
        var rng = SeededRandom(seed: 12)
        let x = rng.buffer(conv2.inputCount), w = rng.buffer(conv2.weightCount), b = rng.buffer(64)
        let dy = rng.buffer(conv2.outputCount)
        let viaKernel = ConvRun.forward(conv2, input: x, weight: w, bias: b, Conv2DKernel.forward)
        #expect(viaKernel == ConvRun.forward(conv2, input: x, weight: w, bias: b, winograd5.forward))
        let dxKernel = ConvRun.backwardData(conv2, gradOutput: dy, weight: w, Conv2DKernel.backwardData)
        #expect(dxKernel == ConvRun.backwardData(conv2, gradOutput: dy, weight: w, winograd5.backwardData))
        let dwKernel = ConvRun.backwardFilter(conv2, gradOutput: dy, input: x, Conv2DKernel.backwardFilter)
        let dwDirect = ConvRun.backwardFilter(conv2, gradOutput: dy, input: x, winograd5.backwardFilter)
        #expect(dwKernel.0 == dwDirect.0 && dwKernel.1 == dwDirect.1)
    }

    /// The cache holds 64·O·C floats per direction for 5×5 weights and gives the uncached results exactly.
    @Test func weightCacheHolds64TransformsPerDirection() {
        let g = ConvGeometry(batch: 2, inChannels: 16, inHeight: 9, inWidth: 11, outChannels: 24,
                             kernelHeight: 5, kernelWidth: 5, padH: 2, padW: 2)
        var rng = SeededRandom(seed: 13)
        let x = rng.buffer(g.inputCount), w = rng.buffer(g.weightCount), dy = rng.buffer(g.outputCount)
        let cache = ConvWeightCache()
        func run(_ cache: ConvWeightCache?) -> ([Float], [Float]) {
            (ConvRun.forward(g, input: x, weight: w, bias: nil) { x, w, b, y, g in
                Conv2DKernel.forward(input: x, weight: w, bias: b, output: y, geometry: g, weightCache: cache)
            }, ConvRun.backwardData(g, gradOutput: dy, weight: w) { dy, w, dx, g in
                Conv2DKernel.backwardData(gradOutput: dy, weight: w, gradInput: dx, geometry: g, weightCache: cache)
            })
        }
        let plain = run(nil), cached = run(cache)
        #expect(cached.0 == plain.0 && cached.1 == plain.1)
        #expect(cache.byteCount == 2 * 64 * 16 * 24 * 4)
    }
}
