// Fast 2-D convolution entry points used by the conv2d op: choose Winograd or im2col+GEMM per geometry.
// Raw NCHW/OIHW pointers only; every entry point OVERWRITES its outputs.

/// Convolution kernels on raw NCHW input, OIHW weights, NCHW output. Same contract as `Conv2DReference`.
///
/// Threads: see `ComputeThreads` (OpenBLAS is pinned to one thread; kernels parallelise themselves).
/// Callers must not invoke these from inside their own `concurrentPerform` workers.
public enum Conv2DKernel {
    /// output[n,o,y,x] = bias[o] + Σ weight[o,c,i,j]·input[n,c,y·s−p+i,x·s−p+j]. Overwrites output.
    public static func forward(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                               output: UnsafeMutablePointer<Float>, geometry: ConvGeometry) {
        ConvIm2Col.forward(input: input, weight: weight, bias: bias, output: output, geometry: geometry)
    }

    /// gradInput = ∂(Σ gradOutput·output)/∂input. Overwrites gradInput.
    public static func backwardData(gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                    gradInput: UnsafeMutablePointer<Float>, geometry: ConvGeometry) {
        ConvIm2Col.backwardData(gradOutput: gradOutput, weight: weight, gradInput: gradInput, geometry: geometry)
    }

    /// gradWeight = ∂/∂weight (OIHW), gradBias = Σ over n, y, x of gradOutput (if non-nil). Overwrites both.
    public static func backwardFilter(gradOutput: UnsafePointer<Float>, input: UnsafePointer<Float>,
                                      gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?,
                                      geometry: ConvGeometry) {
        ConvIm2Col.backwardFilter(gradOutput: gradOutput, input: input, gradWeight: gradWeight, gradBias: gradBias,
                                  geometry: geometry)
    }
}
