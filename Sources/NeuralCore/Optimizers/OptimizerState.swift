// Optimisers whose internal buffers (velocities, squared-gradient sums, moment estimates) travel in checkpoints, so
// that a resumed training run takes exactly the steps an uninterrupted one would have taken.

/// An optimiser whose state can be exported as named tensors and restored from them.
public protocol StatefulOptimizer: Optimizer {
    /// State as named tensors; names are the optimiser's own (callers add a prefix such as "optimizer.").
    func stateTensors() -> [String: Tensor]
    /// Restores state written by `stateTensors()` of an optimiser with the same settings over parameters of the same
    /// shapes. Throws `OptimizerStateError` when a tensor is missing or misshapen; on error nothing changes.
    func loadState(_ state: [String: Tensor]) throws
}

/// A checkpoint's optimizer state does not match the optimizer it is loaded into.
public struct OptimizerStateError: Error, CustomStringConvertible {
    /// What is wrong, one line.
    public let problem: String
    public var description: String { "optimizer state: \(problem)" }
}

/// Reading the common parts of a saved state: the step count and one buffer per parameter.
enum SavedState {
    /// The non-negative whole number stored as the scalar tensor "step".
    static func stepCount(_ state: [String: Tensor], optimizer: String) throws -> Int {
        guard let step = state["step"], step.count == 1, step.item() >= 0, step.item() == step.item().rounded() else {
            throw OptimizerStateError(problem: "missing or invalid \(optimizer) step count")
        }
        return Int(step.item())
    }

    /// The buffers "<name>.0" … "<name>.<n-1>", each as long as its parameter; throws when one is missing or
    /// misshapen, or when the state holds a buffer for a parameter beyond the last (a different model).
    static func buffers(_ name: String, _ state: [String: Tensor], parameters: [Tensor], optimizer: String) throws -> [[Float]] {
        let buffers = try parameters.enumerated().map { i, p -> [Float] in
            guard let t = state["\(name).\(i)"] else { throw OptimizerStateError(problem: "missing \(optimizer) tensor \(name).\(i)") }
            guard t.count == p.count else {
                throw OptimizerStateError(problem: "\(optimizer) tensor \(name).\(i) has shape \(t.shape), expected \(p.shape)")
            }
            return t.data
        }
        if state["\(name).\(parameters.count)"] != nil {
            throw OptimizerStateError(problem: "state has more parameters than the \(parameters.count) being optimised")
        }
        return buffers
    }

    /// `buffers[i]` as "<name>.<i>" tensors shaped like parameter i.
    static func tensors(_ name: String, _ buffers: [[Float]], parameters: [Tensor]) -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (i, p) in parameters.enumerated() { out["\(name).\(i)"] = Tensor(shape: p.shape, data: buffers[i]) }
        return out
    }
}

/// How an optimiser's state travels inside a checkpoint file: its tensors under the "optimizer." prefix, beside the
/// model's. The one codec every trainer (stylizer, decoder, classifier) uses.
public enum OptimizerCheckpoint {
    public static let prefix = "optimizer."

    /// Whether a checkpoint tensor belongs to the optimiser rather than the model.
    public static func isOptimizerTensor(_ name: String) -> Bool { name.hasPrefix(prefix) }

    /// The optimiser's state tensors, keyed for the checkpoint (none for a stateless optimiser).
    public static func tensors(of optimizer: Optimizer) -> [String: Tensor] {
        let state = (optimizer as? StatefulOptimizer)?.stateTensors() ?? [:]
        return Dictionary(uniqueKeysWithValues: state.map { (prefix + $0.key, $0.value) })
    }

    /// The optimiser's state in a checkpoint's tensors, without the prefix.
    public static func state(in tensors: [String: Tensor]) -> [String: Tensor] {
        var state: [String: Tensor] = [:]
        for (name, tensor) in tensors where isOptimizerTensor(name) { state[String(name.dropFirst(prefix.count))] = tensor }
        return state
    }

    /// Restores `optimizer` from a checkpoint's tensors. Throws `OptimizerStateError` when the state does not fit;
    /// callers name the file.
    public static func restore(_ optimizer: Optimizer, from tensors: [String: Tensor]) throws {
        try restore(optimizer, state: state(in: tensors))
    }

    /// Restores `optimizer` from state already taken out of a checkpoint (`state(in:)`). Checkpoints written before
    /// SGD saved its velocities hold no optimiser tensors; an SGD's momentum then restarts from zero, as it did then.
    public static func restore(_ optimizer: Optimizer, state: [String: Tensor]) throws {
        guard let stateful = optimizer as? StatefulOptimizer, !(state.isEmpty && optimizer is SGD) else { return }
        try stateful.loadState(state)
    }
}
