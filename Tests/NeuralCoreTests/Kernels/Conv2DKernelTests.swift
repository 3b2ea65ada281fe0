// Conv2DKernel (whichever path it picks) and the im2col path checked against Conv2DReference on small odd shapes.
// Paths are called directly (not through global switches) so parallel suites never see each other's settings.
import Testing
@testable import NeuralCore

/// (batch, inChannels, H, W, outChannels, kernel, stride, pad)
typealias Shape = (Int, Int, Int, Int, Int, Int, Int, Int)

let oddShapes: [Shape] = [
    (1, 1, 5, 7, 2, 1, 1, 0), (2, 3, 6, 5, 4, 1, 1, 0), (1, 3, 7, 9, 5, 1, 2, 0), (1, 7, 5, 6, 3, 1, 1, 1),
    (1, 3, 9, 7, 4, 3, 1, 1), (2, 7, 8, 11, 5, 3, 1, 1), (1, 16, 6, 5, 7, 3, 1, 0), (1, 1, 7, 6, 3, 3, 1, 2),
    (2, 3, 9, 10, 4, 3, 2, 1), (1, 7, 11, 8, 16, 3, 2, 0), (1, 16, 12, 9, 7, 3, 2, 4), (1, 3, 10, 13, 5, 5, 1, 2),
    (2, 7, 9, 8, 3, 5, 2, 2), (1, 3, 13, 11, 4, 9, 1, 4), (1, 1, 12, 10, 16, 9, 2, 4), (1, 16, 5, 4, 7, 1, 2, 1),
    (1, 7, 4, 3, 3, 5, 1, 4), (2, 16, 7, 7, 16, 3, 1, 2),
]

func geometry(_ s: Shape) -> ConvGeometry {
    ConvGeometry(batch: s.0, inChannels: s.1, inHeight: s.2, inWidth: s.3, outChannels: s.4,
                 kernelHeight: s.5, kernelWidth: s.5, strideH: s.6, strideW: s.6, padH: s.7, padW: s.7)
}

/// The three directions of one implementation, so the same check runs on every path.
struct ConvImplementation {
    var forward: ConvRun.Forward
    var backwardData: ConvRun.BackData
    var backwardFilter: ConvRun.BackFilter

    static let kernel = ConvImplementation(forward: Conv2DKernel.forward, backwardData: Conv2DKernel.backwardData,
                                           backwardFilter: Conv2DKernel.backwardFilter)
    static let im2col = ConvImplementation(forward: ConvIm2Col.forward, backwardData: ConvIm2Col.backwardData,
                                           backwardFilter: ConvIm2Col.backwardFilter)
}

/// Checks all three directions of `impl` against the reference with inputs, weights and gradients uniform in
/// [−1, 1]: relative error (max |Δ| / max(1, max |ref|)) must be ≤ `tolerance`.
func checkAgainstReference(_ g: ConvGeometry, _ impl: ConvImplementation, seed: UInt64, tolerance tol: Float) {
    var rng = SeededRandom(seed: seed)
    let x = rng.buffer(g.inputCount), w = rng.buffer(g.weightCount), b = rng.buffer(g.outChannels)
    let dy = rng.buffer(g.outputCount)
    let yk = ConvRun.forward(g, input: x, weight: w, bias: b, impl.forward)
    let yr = ConvRun.forward(g, input: x, weight: w, bias: b, Conv2DReference.forward)
    #expect(relativeError(yk, yr) <= tol, "forward \(g)")
    let yk0 = ConvRun.forward(g, input: x, weight: w, bias: nil, impl.forward)
    let yr0 = ConvRun.forward(g, input: x, weight: w, bias: nil, Conv2DReference.forward)
    #expect(relativeError(yk0, yr0) <= tol, "forward without bias \(g)")
    let dxk = ConvRun.backwardData(g, gradOutput: dy, weight: w, impl.backwardData)
    let dxr = ConvRun.backwardData(g, gradOutput: dy, weight: w, Conv2DReference.backwardData)
    #expect(relativeError(dxk, dxr) <= tol, "backwardData \(g)")
    let (dwk, dbk) = ConvRun.backwardFilter(g, gradOutput: dy, input: x, impl.backwardFilter)
    let (dwr, dbr) = ConvRun.backwardFilter(g, gradOutput: dy, input: x, Conv2DReference.backwardFilter)
    #expect(relativeError(dwk, dwr) <= tol, "backwardFilter weight \(g)")
    #expect(relativeError(dbk, dbr) <= tol, "backwardFilter bias \(g)")
}

@Suite("Kernels: Conv2DKernel and im2col vs reference")
struct KernelsConv2DKernelTests {
    /// Public entry points, whatever path they choose. Tolerance 1e-5 relative: sums of ≤ 16·81 products of O(1)
    /// numbers, where paths differ only by summation order (and Winograd's exactly-representable-ish constants).
    @Test(arguments: oddShapes.indices)
    func publicEntryPointsMatchReference(_ index: Int) {
        checkAgainstReference(geometry(oddShapes[index]), .kernel, seed: UInt64(index + 1), tolerance: 1e-5)
    }

    /// The im2col path on every shape, including the 3×3 stride-1 ones Conv2DKernel may send to Winograd.
    @Test(arguments: oddShapes.indices)
    func im2colMatchesReference(_ index: Int) {
        checkAgainstReference(geometry(oddShapes[index]), .im2col, seed: UInt64(50 + index), tolerance: 1e-5)
    }

    /// Non-square kernels, strides and paddings.
    @Test func asymmetricGeometry() {
        let g = ConvGeometry(batch: 2, inChannels: 3, inHeight: 9, inWidth: 12, outChannels: 5, kernelHeight: 3,
                             kernelWidth: 5, strideH: 2, strideW: 1, padH: 1, padW: 2)
        checkAgainstReference(g, .im2col, seed: 77, tolerance: 1e-5)
        checkAgainstReference(g, .kernel, seed: 78, tolerance: 1e-5)
    }
}

/// Band-size budgets are global, so these run one at a time; results must not depend on the band size anyway.
@Suite("Kernels: band boundaries", .serialized)
struct KernelsBandTests {
    /// One output row per band (budget 1 float): every band boundary, and col2im accumulation across bands, is hit.
    @Test(arguments: oddShapes.indices)
    func im2colWithOneRowBands(_ index: Int) {
        ConvIm2Col.$bufferBudgetFloats.withValue(1) {
            checkAgainstReference(geometry(oddShapes[index]), .im2col, seed: UInt64(100 + index), tolerance: 1e-5)
        }
    }
}
