// The shape of one 2-D convolution: what every convolution kernel (reference, im2col+GEMM, Winograd) agrees on.

/// Sizes of a 2-D convolution over NCHW input with OIHW weights and symmetric zero padding.
/// Reflection padding is a separate op applied before the convolution.
public struct ConvGeometry: Hashable, Sendable, CustomStringConvertible {
    public var batch: Int
    public var inChannels: Int
    public var inHeight: Int
    public var inWidth: Int
    public var outChannels: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideH: Int
    public var strideW: Int
    /// Zero rows added above and below the input.
    public var padH: Int
    /// Zero columns added left and right of the input.
    public var padW: Int

    public init(batch: Int, inChannels: Int, inHeight: Int, inWidth: Int, outChannels: Int,
                kernelHeight: Int, kernelWidth: Int, strideH: Int = 1, strideW: Int = 1, padH: Int = 0, padW: Int = 0) {
        require(batch > 0 && inChannels > 0 && outChannels > 0 && kernelHeight > 0 && kernelWidth > 0,
                     "conv sizes must be positive")
        require(strideH > 0 && strideW > 0 && padH >= 0 && padW >= 0, "bad conv stride/padding")
        self.batch = batch; self.inChannels = inChannels; self.inHeight = inHeight; self.inWidth = inWidth
        self.outChannels = outChannels; self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.strideH = strideH; self.strideW = strideW; self.padH = padH; self.padW = padW
        require(outHeight > 0 && outWidth > 0, "conv output would be empty: \(self)")
    }

    public var outHeight: Int { (inHeight + 2 * padH - kernelHeight) / strideH + 1 }
    public var outWidth: Int { (inWidth + 2 * padW - kernelWidth) / strideW + 1 }
    public var inputCount: Int { batch * inChannels * inHeight * inWidth }
    public var outputCount: Int { batch * outChannels * outHeight * outWidth }
    public var weightCount: Int { outChannels * inChannels * kernelHeight * kernelWidth }
    /// Multiply-adds of the forward pass, times two.
    public var flops: Double { 2 * Double(outputCount) * Double(inChannels * kernelHeight * kernelWidth) }

    public var description: String {
        "conv N\(batch) C\(inChannels) \(inHeight)x\(inWidth) -> O\(outChannels) k\(kernelHeight)x\(kernelWidth) s\(strideH),\(strideW) p\(padH),\(padW)"
    }
}
