// The row-shift route (stride-1 convs with few channels: columns over (c, kx), one GEMM per kernel row) against
// Conv2DReference, forward and data gradient, in both GEMM layouts (O < 8 transposed, O ≥ 8 not), with bands of one
// row and of many, and the stylizer's three full-size shapes in miniature routed through it.
import Testing
@testable import NeuralCore

let rowShift = ConvImplementation(forward: ConvRowShift.forward, backwardData: ConvRowShift.backwardData,
                                  backwardFilter: ConvIm2Col.backwardFilter)

@Suite("Kernels: row-shift conv for few channels vs reference")
struct KernelsConvRowShiftTests {
    /// (O, C, kernel, padding): both layouts, kernels 2…9, padding 0 … k − 1, odd sizes, batch 1 and 2.
    static let shapes: [ConvGeometry] = {
        var list: [ConvGeometry] = []
        for (o, c) in [(1, 1), (3, 8), (8, 3), (7, 16), (16, 16), (8, 16)] { for k in [2, 3, 5, 9] {
            for pad in Set([0, k / 2, k - 1]).sorted() {
                let i = list.count
                list.append(ConvGeometry(batch: 1 + i % 2, inChannels: c, inHeight: k + 2 + i % 5, inWidth: k + 4 + i % 7,
                                         outChannels: o, kernelHeight: k, kernelWidth: k, padH: pad, padW: pad))
            }
        } }
        return list
    }()

    /// Tolerance 1e-5 relative (max |Δ| / max(1, max |ref|)): sums of ≤ 16·81 products of numbers in [−1, 1] that
    /// differ from the reference only in summation order.
    @Test(arguments: shapes.indices)
    func matchesReference(_ index: Int) {
        checkAgainstReference(Self.shapes[index], rowShift, seed: UInt64(1200 + index), tolerance: 1e-5)
    }

    /// Bands of one output row (a row budget of 1 float), so every band boundary and the kh − 1 shared rows are
    /// crossed; non-square kernels and unequal paddings. Tolerance as above.
    @Test(arguments: [(3, 8, 5, 3, 2, 1), (8, 3, 9, 9, 4, 4), (12, 5, 3, 5, 0, 2)])
    func oneRowBands(_ s: (Int, Int, Int, Int, Int, Int)) {
        let g = ConvGeometry(batch: 2, inChannels: s.1, inHeight: 11, inWidth: 13, outChannels: s.0,
                             kernelHeight: s.2, kernelWidth: s.3, padH: s.4, padW: s.5)
        ConvRowShift.$bandBudgetFloats.withValue(1) {
            checkAgainstReference(g, rowShift, seed: 1290, tolerance: 1e-5)
        }
    }

    /// Padding wider than the kernel reach (forward only: the data gradient needs padding < kernel): output rows
    /// and columns that see only zeros get the bias. Tolerance as above.
    @Test func widePaddingForward() {
        let g = ConvGeometry(batch: 1, inChannels: 2, inHeight: 4, inWidth: 5, outChannels: 9,
                             kernelHeight: 3, kernelWidth: 3, padH: 4, padW: 3)
        var rng = SeededRandom(seed: 77)
        let x = rng.buffer(g.inputCount), w = rng.buffer(g.weightCount), b = rng.buffer(g.outChannels)
        let y = ConvRun.forward(g, input: x, weight: w, bias: b, ConvRowShift.forward)
        let r = ConvRun.forward(g, input: x, weight: w, bias: b, Conv2DReference.forward)
        #expect(relativeError(y, r) <= 1e-5)
    }

    /// The light stylizer's full-size convs in miniature (9×9 3 → 8, 3×3 16 → 8, 9×9 8 → 3) take this route through
    /// the public entry points; the 64-channel residual convs do not. Tolerance 1e-5 relative.
    @Test func stylizerShapesAreRouted() {
        for (o, c, k) in [(8, 3, 9), (8, 16, 3), (3, 8, 9)] {
            let g = ConvGeometry(batch: 1, inChannels: c, inHeight: 24, inWidth: 40, outChannels: o,
                                 kernelHeight: k, kernelWidth: k, padH: 0, padW: 0)
            #expect(ConvRowShift.preferred(g))
            checkAgainstReference(g, .kernel, seed: 1300, tolerance: 1e-5)
        }
        #expect(!ConvRowShift.preferred(ConvGeometry(batch: 1, inChannels: 64, inHeight: 12, inWidth: 16, outChannels: 64,
                                                     kernelHeight: 3, kernelWidth: 3, padH: 1, padW: 1)))
    }
}
