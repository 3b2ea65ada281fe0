// What the classifier training loop needs from a network: logits for a batch, and its named tensors.
import NeuralCore

/// A trainable classifier whose tensors all come from one `WeightStore` (names = safetensors keys).
public protocol ClassifierNetwork: AnyObject {
    /// The store every tensor of the network was read from or created in.
    var store: WeightStore { get }
    /// Number of output classes K.
    var classes: Int { get }
    /// Unnormalised class scores [N, K] for a batch. `generator` drives dropout in training mode.
    func logits(_ x: Tensor, mode: Mode, generator: inout SeededGenerator) -> Tensor
    /// Copies live state that is not a tensor (batch-norm running statistics) into the stored tensors.
    func prepareForSaving()
}

extension ClassifierNetwork {
    /// Tensors the optimiser updates (those created trainable), in creation order.
    public var trainableParameters: [Tensor] { store.parameters.map(\.tensor).filter(\.requiresGrad) }

    /// Every tensor to save, by name, after `prepareForSaving()`.
    public func namedTensors() -> [String: Tensor] {
        prepareForSaving()
        var out: [String: Tensor] = [:]
        for (name, tensor) in store.parameters { out[name] = tensor }
        return out
    }

    /// Number of trainable scalars.
    public var parameterCount: Int { trainableParameters.reduce(0) { $0 + $1.count } }
}
