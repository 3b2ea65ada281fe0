// A source of named parameters plus a dotted prefix (candle's VarBuilder): one model constructor serves both
// fresh training (seeded initialisers) and loading a safetensors file, and each tensor's key is its field path.

/// A requested weight is missing from the file or has the wrong shape. Description: "file: problem".
public struct WeightStoreError: Error, CustomStringConvertible {
    /// The weights file (or "weights" for an in-memory store).
    public let file: String
    /// What is wrong, one line.
    public let problem: String
    public init(file: String, problem: String) { self.file = file; self.problem = problem }
    public var description: String { "\(file): \(problem)" }
}

/// Named tensors under a dotted prefix. Scopes share one underlying store, so `parameters` on any scope
/// lists everything created or loaded through any of them.
public final class WeightStore {
    /// State shared by every scope of one store.
    final class Storage {
        var file: SafeTensorsFile?
        var generator: SeededGenerator
        var created: [(name: String, tensor: Tensor)] = []
        var byName: [String: Tensor] = [:]
        init(file: SafeTensorsFile?, seed: UInt64) { self.file = file; generator = SeededGenerator(seed: seed) }
    }

    let storage: Storage
    /// Dotted prefix of this scope ("" at the root, else ends with ".").
    public let prefix: String

    /// Load mode: every tensor must come from `file`.
    public init(file: SafeTensorsFile) { storage = Storage(file: file, seed: 0); prefix = "" }

    /// Fresh mode: tensors are created by their initializer from a generator seeded with `seed`
    /// (same seed and same creation order → same weights).
    public init(seed: UInt64) { storage = Storage(file: nil, seed: seed); prefix = "" }

    private init(storage: Storage, prefix: String) { self.storage = storage; self.prefix = prefix }

    /// The file the tensors come from, for error messages ("weights" for a fresh store).
    public var source: String { storage.file?.source ?? "weights" }

    /// Whether tensors come from a file (rather than initializers).
    public var isLoading: Bool { storage.file != nil }

    /// The scope one level down: `scope("res1").scope("conv1")` names keys "res1.conv1.<name>".
    public func scope(_ name: String) -> WeightStore { WeightStore(storage: storage, prefix: prefix + name + ".") }

    /// The tensor at key prefix + name, with requiresGrad = trainable. Asking twice for one key returns the same
    /// tensor. Load mode throws for a missing key or a wrong shape ("tensor k has shape [..], expected [..]").
    public func tensor(_ name: String, shape: [Int], initializer: Initializer, trainable: Bool = true) throws -> Tensor {
        let key = prefix + name
        let source = storage.file?.source ?? "weights"
        if let existing = storage.byName[key] {
            guard existing.shape == shape else {
                throw WeightStoreError(file: source, problem: "tensor \(key) has shape \(existing.shape), expected \(shape)")
            }
            return existing
        }
        let t: Tensor
        if let file = storage.file {
            guard let loaded = file.tensors[key] else { throw WeightStoreError(file: source, problem: "missing tensor \(key)") }
            guard loaded.shape == shape else {
                throw WeightStoreError(file: source, problem: "tensor \(key) has shape \(loaded.shape), expected \(shape)")
            }
            t = Tensor(shape: shape, data: loaded.data, requiresGrad: trainable)
        } else {
            t = Tensor(shape: shape, data: initializer.values(shape: shape, generator: &storage.generator), requiresGrad: trainable)
        }
        storage.byName[key] = t
        storage.created.append((key, t))
        return t
    }

    /// Everything created or loaded through this store (all scopes), in creation order, with full keys.
    public var parameters: [(name: String, tensor: Tensor)] { storage.created }

    /// Parameters with requiresGrad (what an optimizer should update), in creation order.
    public var trainableParameters: [Tensor] { storage.created.map(\.tensor).filter(\.requiresGrad) }

    /// All parameters keyed by name, ready for `SafeTensorsFile.write`.
    public var namedTensors: [String: Tensor] { storage.byName }

    /// Keys in the file that no `tensor(_:)` call asked for (load mode), sorted; useful to catch misnamed layers.
    public var unusedKeys: [String] {
        guard let file = storage.file else { return [] }
        return file.tensors.keys.filter { storage.byName[$0] == nil }.sorted()
    }
}
