// A fully connected layer: weight [out, in] and bias [out], fetched from a WeightStore under "weight"/"bias".
import NeuralCore

/// Affine map [N, inFeatures] → [N, outFeatures].
public struct LinearLayer {
    public let weight: Tensor
    public let bias: Tensor

    /// Reads (or creates) `weight` [out, in] (He-normal before a ReLU, Xavier-uniform otherwise) and a zero `bias`.
    /// Throws the store's error when a loaded tensor is missing or has the wrong shape.
    public init(inFeatures: Int, outFeatures: Int, beforeReLU: Bool = true, weights: WeightStore) throws {
        self.weight = try weights.tensor("weight", shape: [outFeatures, inFeatures],
                                         initializer: beforeReLU ? .heNormal : .xavierUniform)
        self.bias = try weights.tensor("bias", shape: [outFeatures], initializer: .zeros)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.linear(weight: weight, bias: bias) }
}
