// Stride-1 convs with few output channels (the stylizer's 32 → 3 output conv), computed through the adjoint conv.
// Their im2col GEMMs have M = O (forward) or K = O (backward data): OpenBLAS then spends its time packing the
// K·kh·kw-row patch matrix for 3 rows of output. The flipped conv (O → C channels, kernel rotated 180°, padding
// k − 1 − p) turns each direction into another direction of a conv whose GEMMs are O·kh·kw wide instead.
//
//   forward(g)        = backwardData(g′) with gradOutput = input          (GEMM M = O·kh·kw, K = C)
//   backwardData(g)   = forward(g′) with input = gradOutput               (GEMM M = C, K = O·kh·kw)
//   backwardFilter(g) = backwardFilter(g′) with the roles of input and gradOutput swapped, weight rotated back

/// The flipped-conv route for stride-1 convs with few output channels. Same contract as `Conv2DKernel`.
enum ConvFlipped {
    /// Routes convs with at most this many output channels (and more input channels) through the flipped conv.
    nonisolated(unsafe) static var maxOutChannels = 8

    /// Stride 1, padding ≤ kernel − 1 (so the flipped padding is ≥ 0), not 1×1 (the pointwise path has no im2col
    /// to save), and few output channels relative to input channels.
    static func preferred(_ g: ConvGeometry) -> Bool {
        applicable(g) && g.outChannels <= maxOutChannels && g.outChannels < g.inChannels
    }

    static func applicable(_ g: ConvGeometry) -> Bool {
        g.strideH == 1 && g.strideW == 1 && g.padH <= g.kernelHeight - 1 && g.padW <= g.kernelWidth - 1
            && g.kernelHeight * g.kernelWidth > 1
    }

    /// g′: input is g's output (O channels, H′×W′), output is g's input (C channels, H×W), padding k − 1 − p.
    static func flippedGeometry(_ g: ConvGeometry) -> ConvGeometry {
        ConvGeometry(batch: g.batch, inChannels: g.outChannels, inHeight: g.outHeight, inWidth: g.outWidth,
                     outChannels: g.inChannels, kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth,
                     padH: g.kernelHeight - 1 - g.padH, padW: g.kernelWidth - 1 - g.padW)
    }

    /// dst[c][o][i][j] = src[o][c][kh−1−i][kw−1−j] (src is outChannels × inChannels × kh × kw). Its own inverse
    /// with the channel counts swapped.
    static func rotateTranspose(_ src: UnsafePointer<Float>, outChannels: Int, inChannels: Int, kernelHeight kh: Int,
                                kernelWidth kw: Int, into dst: UnsafeMutablePointer<Float>) {
        let kk = kh * kw
        for o in 0..<outChannels {
            for c in 0..<inChannels {
                let s = src + (o * inChannels + c) * kk, d = dst + (c * outChannels + o) * kk
                for t in 0..<kk { d[kk - 1 - t] = s[t] }
            }
        }
    }

    static func forward(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        output: UnsafeMutablePointer<Float>, geometry g: ConvGeometry) {
        let f = flippedGeometry(g)
        KernelScratch.with(g.weightCount) { w in
            rotateTranspose(weight, outChannels: g.outChannels, inChannels: g.inChannels, kernelHeight: g.kernelHeight,
                            kernelWidth: g.kernelWidth, into: w)
            ConvIm2Col.backwardData(gradOutput: input, weight: w, gradInput: output, geometry: f)
        }
        guard let bias else { return }
        let plane = g.outHeight * g.outWidth
        ComputeThreads.parallelRanges(g.batch * g.outChannels) { planes in
            for item in planes {
                let row = output + item * plane, v = bias[item % g.outChannels]
                for x in 0..<plane { row[x] += v }
            }
        }
    }

    static func backwardData(gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                             gradInput: UnsafeMutablePointer<Float>, geometry g: ConvGeometry) {
        backwardData(gradOutput: gradOutput, weight: weight, gradInput: gradInput, geometry: g, forward: ConvIm2Col.forward)
    }

    /// The data gradient as `forward` of the flipped conv: any forward path (im2col here, row-shift columns in
    /// `ConvRowShift`).
    static func backwardData(gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                             gradInput: UnsafeMutablePointer<Float>, geometry g: ConvGeometry,
                             forward: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>?,
                                       UnsafeMutablePointer<Float>, ConvGeometry) -> Void) {
        KernelScratch.with(g.weightCount) { w in
            rotateTranspose(weight, outChannels: g.outChannels, inChannels: g.inChannels, kernelHeight: g.kernelHeight,
                            kernelWidth: g.kernelWidth, into: w)
            forward(gradOutput, w, nil, gradInput, flippedGeometry(g))
        }
    }

    static func backwardFilter(gradOutput: UnsafePointer<Float>, input: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?,
                               geometry g: ConvGeometry) {
        // In g′ the data gradient is g's input and the input is g's gradOutput; its filter gradient is g's, rotated.
        KernelScratch.with(g.weightCount) { w in
            ConvIm2Col.backwardFilter(gradOutput: input, input: gradOutput, gradWeight: w, gradBias: nil,
                                      geometry: flippedGeometry(g))
            rotateTranspose(w, outChannels: g.inChannels, inChannels: g.outChannels, kernelHeight: g.kernelHeight,
                            kernelWidth: g.kernelWidth, into: gradWeight)
        }
        if let gradBias { ConvIm2Col.biasGradient(gradOutput: gradOutput, geometry: g, into: gradBias) }
    }
}
