// A 2-D convolution with its weights (OIHW) and optional bias, fetched from a WeightStore under "weight"/"bias".
import NeuralCore

/// Zero-padded convolution layer. Input [N, inChannels, H, W] → [N, outChannels, H', W'].
public struct Conv2dLayer {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int
    public let padding: Int

    /// Reads (or creates, He-normal) `weight` [out, in, k, k] and, if `bias`, a zero-initialised `bias` [out].
    /// Throws the store's error when a loaded tensor is missing or has the wrong shape.
    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, weights: WeightStore) throws {
        self.weight = try weights.tensor("weight", shape: [outChannels, inChannels, kernelSize, kernelSize],
                                         initializer: .heNormal)
        self.bias = bias ? try weights.tensor("bias", shape: [outChannels], initializer: .zeros) : nil
        self.stride = stride
        self.padding = padding
    }

    /// The convolution, with `relu` followed by a ReLU fused into it.
    public func callAsFunction(_ x: Tensor, relu: Bool = false) -> Tensor {
        x.conv2d(weight: weight, bias: bias, stride: stride, padding: padding, relu: relu)
    }
}
