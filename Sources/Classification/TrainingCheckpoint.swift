// Checkpoints: a model file plus optimiser state ("optimizer.*" tensors) and the epochs done so far, written
// atomically after every epoch so an interrupted run can continue with --resume.
import Foundation
import Networks
import NeuralCore

/// A checkpoint read back from disk.
public struct TrainingCheckpoint {
    public let url: URL
    public let file: SafeTensorsFile
    public let metadata: ModelMetadata
    /// Settings the checkpoint was written with.
    public let training: TrainingConfig
    public var history: [EpochRecord] { metadata.history }
    /// Optimiser state tensors, without the "optimizer." prefix.
    public let optimizerTensors: [String: Tensor]

    /// Reads `url`. Throws `ModelFileError` (or the safetensors reader's error) when it is missing or not a checkpoint.
    public static func read(_ url: URL) throws -> TrainingCheckpoint {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ModelFileError(file: url.path, problem: "checkpoint not found (run without --resume to start afresh)")
        }
        let file = try SafeTensorsFile.read(url)
        let metadata = try ModelMetadata.decode(file.metadata, file: url.path)
        guard let training = metadata.training else {
            throw ModelFileError(file: url.path, problem: "not a training checkpoint (no training settings)")
        }
        var optimizer: [String: Tensor] = [:]
        for (name, tensor) in file.tensors where name.hasPrefix("optimizer.") {
            optimizer[String(name.dropFirst("optimizer.".count))] = tensor
        }
        return TrainingCheckpoint(url: url, file: file, metadata: metadata, training: training, optimizerTensors: optimizer)
    }
}

/// Saving and restoring optimiser state through the names the optimisers give their tensors.
/// Checkpoints written before SGD saved its velocities hold no optimiser tensors; their momentum restarts from zero,
/// as it did then.
enum OptimizerState {
    static func tensors(of optimizer: Optimizer) -> [String: Tensor] {
        (optimizer as? StatefulOptimizer)?.stateTensors() ?? [:]
    }

    static func load(_ tensors: [String: Tensor], into optimizer: Optimizer, file: String) throws {
        guard let stateful = optimizer as? StatefulOptimizer, !(tensors.isEmpty && optimizer is SGD) else { return }
        do { try stateful.loadState(tensors) } catch {
            throw ModelFileError(file: file, problem: "optimizer state does not fit this model (\(error))")
        }
    }
}
