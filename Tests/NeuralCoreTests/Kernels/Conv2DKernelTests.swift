// Tests that Kernels/Conv2DKernel (the fast path) matches Conv2DReference on assorted geometries.
import Testing
import TestSupport
@testable import NeuralCore

@Suite struct Conv2DKernelTests {
    static let geometries: [ConvGeometry] = [
        ConvGeometry(batch: 1, inChannels: 3, inHeight: 5, inWidth: 7, outChannels: 4, kernelHeight: 3, kernelWidth: 3, padH: 1, padW: 1),
        ConvGeometry(batch: 2, inChannels: 5, inHeight: 9, inWidth: 6, outChannels: 3, kernelHeight: 1, kernelWidth: 1),
        ConvGeometry(batch: 1, inChannels: 2, inHeight: 11, inWidth: 8, outChannels: 6, kernelHeight: 5, kernelWidth: 5,
                     strideH: 2, strideW: 2, padH: 2, padW: 2),
        ConvGeometry(batch: 2, inChannels: 16, inHeight: 12, inWidth: 10, outChannels: 8, kernelHeight: 3, kernelWidth: 3,
                     strideH: 2, strideW: 2, padH: 1, padW: 1),
        ConvGeometry(batch: 1, inChannels: 3, inHeight: 13, inWidth: 13, outChannels: 2, kernelHeight: 9, kernelWidth: 9, padH: 4, padW: 4),
    ]

    // Tolerance 1e-4 · (1 + |reference|): different summation orders in Float32.
    @Test(arguments: geometries)
    func matchesReference(g: ConvGeometry) {
        let x = randomTensor([g.inputCount], seed: 1).data, w = randomTensor([g.weightCount], seed: 2).data
        let b = randomTensor([g.outChannels], seed: 3).data, dy = randomTensor([g.outputCount], seed: 4).data
        func run(_ fast: Bool) -> ([Float], [Float], [Float], [Float]) {
            var y = [Float](repeating: 0, count: g.outputCount), gx = [Float](repeating: 0, count: g.inputCount)
            var gw = [Float](repeating: 0, count: g.weightCount), gb = [Float](repeating: 0, count: g.outChannels)
            if fast {
                Conv2DKernel.forward(input: x, weight: w, bias: b, output: &y, geometry: g)
                Conv2DKernel.backwardData(gradOutput: dy, weight: w, gradInput: &gx, geometry: g)
                Conv2DKernel.backwardFilter(gradOutput: dy, input: x, gradWeight: &gw, gradBias: &gb, geometry: g)
            } else {
                Conv2DReference.forward(input: x, weight: w, bias: b, output: &y, geometry: g)
                Conv2DReference.backwardData(gradOutput: dy, weight: w, gradInput: &gx, geometry: g)
                Conv2DReference.backwardFilter(gradOutput: dy, input: x, gradWeight: &gw, gradBias: &gb, geometry: g)
            }
            return (y, gx, gw, gb)
        }
        let f = run(true), r = run(false)
        func close(_ a: [Float], _ b: [Float]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) <= 1e-4 * (1 + abs($1)) } }
        #expect(close(f.0, r.0), "forward \(g)")
        #expect(close(f.1, r.1), "backwardData \(g)")
        #expect(close(f.2, r.2), "backwardFilter weight \(g)")
        #expect(close(f.3, r.3), "backwardFilter bias \(g)")
    }
}
