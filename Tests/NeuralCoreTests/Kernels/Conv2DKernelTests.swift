// Conv2DKernel (whichever path it picks) and the im2col path checked against Conv2DReference on small odd shapes.
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

/// Checks all three directions of `Conv2DKernel` against the reference. Tolerance: relative error ≤ 1e-5
/// (sums of ≤ 16·81 products of O(1) numbers; Float32 rounding differs only by summation order).
func checkKernelAgainstReference(_ g: ConvGeometry, seed: UInt64) {
    var rng = SeededRandom(seed: seed)
    let x = rng.buffer(g.inputCount), w = rng.buffer(g.weightCount), b = rng.buffer(g.outChannels)
    let dy = rng.buffer(g.outputCount)
    let tol: Float = 1e-5
    let yk = ConvRun.forward(g, input: x, weight: w, bias: b, Conv2DKernel.forward)
    let yr = ConvRun.forward(g, input: x, weight: w, bias: b, Conv2DReference.forward)
    #expect(relativeError(yk, yr) <= tol, "forward \(g)")
    let yk0 = ConvRun.forward(g, input: x, weight: w, bias: nil, Conv2DKernel.forward)
    let yr0 = ConvRun.forward(g, input: x, weight: w, bias: nil, Conv2DReference.forward)
    #expect(relativeError(yk0, yr0) <= tol, "forward without bias \(g)")
    let dxk = ConvRun.backwardData(g, gradOutput: dy, weight: w, Conv2DKernel.backwardData)
    let dxr = ConvRun.backwardData(g, gradOutput: dy, weight: w, Conv2DReference.backwardData)
    #expect(relativeError(dxk, dxr) <= tol, "backwardData \(g)")
    let (dwk, dbk) = ConvRun.backwardFilter(g, gradOutput: dy, input: x, Conv2DKernel.backwardFilter)
    let (dwr, dbr) = ConvRun.backwardFilter(g, gradOutput: dy, input: x, Conv2DReference.backwardFilter)
    #expect(relativeError(dwk, dwr) <= tol, "backwardFilter weight \(g)")
    #expect(relativeError(dbk, dbr) <= tol, "backwardFilter bias \(g)")
}

@Suite("Kernels: Conv2DKernel vs reference", .serialized)
struct KernelsConv2DKernelTests {
    @Test(arguments: oddShapes.indices)
    func matchesReference(_ index: Int) {
        checkKernelAgainstReference(geometry(oddShapes[index]), seed: UInt64(index + 1))
    }

    /// One output row per band (budget 1 float) so every band boundary, and col2im accumulation across bands, is hit.
    @Test(arguments: oddShapes.indices)
    func matchesReferenceWithOneRowBands(_ index: Int) {
        let saved = ConvIm2Col.bufferBudgetFloats
        ConvIm2Col.bufferBudgetFloats = 1
        defer { ConvIm2Col.bufferBudgetFloats = saved }
        checkKernelAgainstReference(geometry(oddShapes[index]), seed: UInt64(100 + index))
    }

    /// Non-square kernels, strides and paddings.
    @Test func asymmetricGeometry() {
        let g = ConvGeometry(batch: 2, inChannels: 3, inHeight: 9, inWidth: 12, outChannels: 5, kernelHeight: 3,
                             kernelWidth: 5, strideH: 2, strideW: 1, padH: 1, padW: 2)
        checkKernelAgainstReference(g, seed: 77)
    }
}
