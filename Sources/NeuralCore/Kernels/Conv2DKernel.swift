// Fast 2-D convolution entry points used by the conv2d op. The kernels helper replaces these bodies
// with im2col+GEMM / Winograd; until then they call the reference loops.

/// Convolution kernels on raw NCHW input, OIHW weights, NCHW output. Same contract as `Conv2DReference`.
public enum Conv2DKernel {
    public static func forward(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                               output: UnsafeMutablePointer<Float>, geometry: ConvGeometry) {
        Conv2DReference.forward(input: input, weight: weight, bias: bias, output: output, geometry: geometry)
    }
    public static func backwardData(gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                    gradInput: UnsafeMutablePointer<Float>, geometry: ConvGeometry) {
        Conv2DReference.backwardData(gradOutput: gradOutput, weight: weight, gradInput: gradInput, geometry: geometry)
    }
    public static func backwardFilter(gradOutput: UnsafePointer<Float>, input: UnsafePointer<Float>,
                                      gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?,
                                      geometry: ConvGeometry) {
        Conv2DReference.backwardFilter(gradOutput: gradOutput, input: input, gradWeight: gradWeight,
                                       gradBias: gradBias, geometry: geometry)
    }
}
