// The flipped-conv route (few output channels) and the public entry points on few-channel shapes, against
// Conv2DReference: O = 1…4, C = 1…5, kernels 1/3/5/9, padding 0, k/2 and k − 1, odd sizes, batch 1 and 2.
import Testing
@testable import NeuralCore

let flipped = ConvImplementation(forward: ConvFlipped.forward, backwardData: ConvFlipped.backwardData,
                                 backwardFilter: ConvFlipped.backwardFilter)

/// Every (O, C, kernel, padding) combination, with height, width and batch varying with the index.
let fewChannelShapes: [ConvGeometry] = {
    var list: [ConvGeometry] = []
    for o in 1...4 { for c in 1...5 { for k in [1, 3, 5, 9] { for pad in Set([0, k / 2, k - 1]).sorted() {
        let i = list.count
        list.append(ConvGeometry(batch: 1 + i % 2, inChannels: c, inHeight: k + 1 + i % 4, inWidth: k + 3 + i % 3,
                                 outChannels: o, kernelHeight: k, kernelWidth: k, padH: pad, padW: pad))
    } } } }
    return list
}()

@Suite("Kernels: flipped conv for few output channels vs reference")
struct KernelsConvFlippedTests {
    /// Tolerance 1e-5 relative (max |Δ| / max(1, max |ref|)): sums of ≤ 5·81 products of numbers in [−1, 1],
    /// differing from the reference only by summation order.
    @Test(arguments: fewChannelShapes.indices)
    func flippedMatchesReference(_ index: Int) {
        checkAgainstReference(fewChannelShapes[index], flipped, seed: UInt64(300 + index), tolerance: 1e-5)
    }

    /// Whatever path Conv2DKernel routes these to (flipped when O < C, im2col otherwise). Tolerance as above.
    @Test(arguments: fewChannelShapes.indices)
    func publicEntryPointsMatchReference(_ index: Int) {
        checkAgainstReference(fewChannelShapes[index], .kernel, seed: UInt64(600 + index), tolerance: 1e-5)
    }

    /// The stylizer's output conv in miniature (32 → 3, 9×9, padding 4) is routed through the flipped conv.
    @Test func outputConvIsRoutedAndCorrect() {
        let g = ConvGeometry(batch: 2, inChannels: 32, inHeight: 13, inWidth: 11, outChannels: 3,
                             kernelHeight: 9, kernelWidth: 9, padH: 4, padW: 4)
        #expect(ConvFlipped.preferred(g))
        // Sums of 2592 products: tolerance 1e-4 relative.
        checkAgainstReference(g, .kernel, seed: 901, tolerance: 1e-4)
    }

    /// Rotating and transposing twice (with the channel counts swapped) gives back the original weights.
    @Test func rotateTransposeIsAnInvolution() {
        var rng = SeededRandom(seed: 5)
        let w = rng.buffer(3 * 4 * 3 * 5)
        var once = [Float](repeating: 0, count: w.count), twice = once
        once.withUnsafeMutableBufferPointer {
            ConvFlipped.rotateTranspose(w, outChannels: 3, inChannels: 4, kernelHeight: 3, kernelWidth: 5, into: $0.baseAddress!)
        }
        twice.withUnsafeMutableBufferPointer {
            ConvFlipped.rotateTranspose(once, outChannels: 4, inChannels: 3, kernelHeight: 3, kernelWidth: 5, into: $0.baseAddress!)
        }
        #expect(twice == w)
        #expect(once[0] == w[14])   // dst[0][0][0][0] = src[0][0][2][4]
    }
}

/// The im2col data gradient splits each image into input-row ranges owned by one worker; with one-row bands and
/// batch 1 every range boundary and band boundary is crossed (all three directions are checked, so the narrow and
/// wide packing paths are too). Tolerance 1e-5 relative, as above.
@Suite("Kernels: im2col data gradient over row ranges", .serialized)
struct KernelsIm2ColRowRangeTests {
    static let shapes: [Shape] = [(1, 3, 17, 9, 4, 5, 1, 2), (1, 2, 11, 6, 3, 3, 2, 1), (1, 4, 9, 12, 2, 9, 1, 4),
                                  (3, 2, 7, 7, 5, 3, 3, 0),
                                  // Wider than Im2Col.narrowWidth: the memmove packing and plain col2im.
                                  (1, 2, 6, 70, 3, 3, 1, 1), (2, 3, 4, 67, 2, 5, 1, 2)]

    @Test(arguments: shapes.indices)
    func backwardDataWithOneRowBands(_ index: Int) {
        let s = Self.shapes[index]
        ConvIm2Col.$bufferBudgetFloats.withValue(1) {
            checkAgainstReference(geometry(s), .im2col, seed: 950, tolerance: 1e-5)
        }
    }
}
