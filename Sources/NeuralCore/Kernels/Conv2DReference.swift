// Direct-loop 2-D convolution: slow and obviously correct. The oracle the fast kernels are tested against.

/// Reference convolution kernels on raw NCHW/OIHW buffers. O(everything) loops; use only in tests and tiny shapes.
public enum Conv2DReference {
    /// output[n,o,y,x] = bias[o] + Σ_c,i,j weight[o,c,i,j] · input[n,c,y·s−p+i, x·s−p+j] (zero outside). Overwrites output.
    public static func forward(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                               output: UnsafeMutablePointer<Float>, geometry g: ConvGeometry) {
        let oh = g.outHeight, ow = g.outWidth
        for n in 0..<g.batch { for o in 0..<g.outChannels { for y in 0..<oh { for x in 0..<ow {
            var acc: Float = bias?[o] ?? 0
            for c in 0..<g.inChannels { for i in 0..<g.kernelHeight { for j in 0..<g.kernelWidth {
                let iy = y * g.strideH - g.padH + i, ix = x * g.strideW - g.padW + j
                if iy < 0 || iy >= g.inHeight || ix < 0 || ix >= g.inWidth { continue }
                acc += weight[((o * g.inChannels + c) * g.kernelHeight + i) * g.kernelWidth + j]
                    * input[((n * g.inChannels + c) * g.inHeight + iy) * g.inWidth + ix]
            } } }
            output[((n * g.outChannels + o) * oh + y) * ow + x] = acc
        } } } }
    }

    /// gradInput = ∂(Σ gradOutput·output)/∂input. Overwrites gradInput.
    public static func backwardData(gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                    gradInput: UnsafeMutablePointer<Float>, geometry g: ConvGeometry) {
        gradInput.initialize(repeating: 0, count: g.inputCount)
        let oh = g.outHeight, ow = g.outWidth
        for n in 0..<g.batch { for o in 0..<g.outChannels { for y in 0..<oh { for x in 0..<ow {
            let go = gradOutput[((n * g.outChannels + o) * oh + y) * ow + x]
            for c in 0..<g.inChannels { for i in 0..<g.kernelHeight { for j in 0..<g.kernelWidth {
                let iy = y * g.strideH - g.padH + i, ix = x * g.strideW - g.padW + j
                if iy < 0 || iy >= g.inHeight || ix < 0 || ix >= g.inWidth { continue }
                gradInput[((n * g.inChannels + c) * g.inHeight + iy) * g.inWidth + ix]
                    += go * weight[((o * g.inChannels + c) * g.kernelHeight + i) * g.kernelWidth + j]
            } } }
        } } } }
    }

    /// gradWeight = ∂/∂weight, gradBias = ∂/∂bias (Σ over n, y, x of gradOutput). Overwrites both.
    public static func backwardFilter(gradOutput: UnsafePointer<Float>, input: UnsafePointer<Float>,
                                      gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?,
                                      geometry g: ConvGeometry) {
        gradWeight.initialize(repeating: 0, count: g.weightCount)
        gradBias?.initialize(repeating: 0, count: g.outChannels)
        let oh = g.outHeight, ow = g.outWidth
        for n in 0..<g.batch { for o in 0..<g.outChannels { for y in 0..<oh { for x in 0..<ow {
            let go = gradOutput[((n * g.outChannels + o) * oh + y) * ow + x]
            gradBias?[o] += go
            for c in 0..<g.inChannels { for i in 0..<g.kernelHeight { for j in 0..<g.kernelWidth {
                let iy = y * g.strideH - g.padH + i, ix = x * g.strideW - g.padW + j
                if iy < 0 || iy >= g.inHeight || ix < 0 || ix >= g.inWidth { continue }
                gradWeight[((o * g.inChannels + c) * g.kernelHeight + i) * g.kernelWidth + j]
                    += go * input[((n * g.inChannels + c) * g.inHeight + iy) * g.inWidth + ix]
            } } }
        } } } }
    }
}
