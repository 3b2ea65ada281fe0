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
        let modelFile = ModelFile(file)
        let metadata = try ModelMetadata.decode(modelFile, path: url.path)
        guard let training = metadata.training else {
            throw ModelFileError(file: url.path, problem: "not a training checkpoint (no training settings)")
        }
        return TrainingCheckpoint(url: url, file: file, metadata: metadata, training: training,
                                  optimizerTensors: modelFile.optimizerState)
    }
}

/// Restoring optimiser state with errors that name the checkpoint file.
enum OptimizerState {
    static func load(_ state: [String: Tensor], into optimizer: Optimizer, file: String) throws {
        do { try OptimizerCheckpoint.restore(optimizer, state: state) } catch {
            throw ModelFileError(file: file, problem: "optimizer state does not fit this model (\(error))")
        }
    }
}
