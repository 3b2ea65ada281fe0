// What a decoder training run reports (loss records, events, result) and the training record a decoder file (or its
// checkpoint) carries in its metadata, written and read through the model-file codec (NeuralCore's ModelFile):
// `train-decoder` writes and resumes from it, `nst info` describes it.
import Foundation
import NeuralCore

/// Mean loss terms over the steps ending at `iteration`.
public struct DecoderLossRecord: Codable, Equatable, Sendable {
    public var iteration: Int
    public var pixel: Float, feature: Float, total: Float
    /// The style term (unweighted) of the stylised objective; nil for plain reconstruction.
    public var style: Float? = nil
}

public enum DecoderTrainingEvent {
    case loaded(images: Int, skipped: [(file: String, reason: String)])
    case resumed(iteration: Int)
    case step(iteration: Int, iterations: Int, loss: DecoderLossRecord, elapsed: Double, eta: Double)
    case checkpoint(iteration: Int)
}

public struct DecoderTrainingResult {
    public var iterationsDone: Int
    /// Training wall time over all runs of this model, seconds.
    public var trainingSeconds: Double
    public var history: [DecoderLossRecord]
    public var skipped: [(file: String, reason: String)]
}

public struct DecoderRecord: Equatable {
    /// The settings it was trained with (nil in files without them).
    public var training: DecoderTrainingConfig?
    /// Optimiser steps done.
    public var iterationsDone: Int
    /// Wall time of all training so far, seconds (nil when absent or not a finite non-negative number).
    public var seconds: Double?
    public var history: [DecoderLossRecord]
    /// Training photos used.
    public var contentImages: Int?
    /// Steps summed into the weight average (0: none).
    public var averageSteps: Int
    /// The command line that trained it.
    public var command: String?

    public init(training: DecoderTrainingConfig?, iterationsDone: Int, seconds: Double?, history: [DecoderLossRecord],
                contentImages: Int?, averageSteps: Int, command: String?) {
        self.training = training; self.iterationsDone = iterationsDone; self.seconds = seconds; self.history = history
        self.contentImages = contentImages; self.averageSteps = averageSteps; self.command = command
    }

    /// Key of the number of steps summed into the weight average.
    static let averageStepsKey = "nst.average_steps"

    /// Adds the record to a decoder's file (`VGGDecoder.modelFile`, which names kind, level and scale).
    public func encode(into file: inout ModelFile) {
        file.metadata[ModelFile.stepsDoneKey] = String(iterationsDone)
        file.setJSON(history, for: ModelFile.historyKey)
        if let seconds { file.setWallSeconds(seconds) }
        if let training { file.setSettings(training) }
        if let contentImages { file.metadata[ModelFile.contentImagesKey] = String(contentImages) }
        if averageSteps > 0 { file.metadata[Self.averageStepsKey] = String(averageSteps) }
        if let command { file.metadata[ModelFile.commandKey] = command }
    }

    /// Reads the record from a decoder file. Missing or unreadable fields take their empty values (files from before
    /// a field existed); callers that depend on one (resuming needs the settings) check it.
    public static func decode(_ file: ModelFile) -> DecoderRecord {
        DecoderRecord(training: try? file.settings(DecoderTrainingConfig.self),
                      iterationsDone: (try? file.number(Int.self, ModelFile.stepsDoneKey)) ?? 0,
                      seconds: try? file.wallSeconds(),
                      history: (try? file.json([DecoderLossRecord].self, ModelFile.historyKey)) ?? [],
                      contentImages: try? file.number(Int.self, ModelFile.contentImagesKey),
                      averageSteps: (try? file.number(Int.self, Self.averageStepsKey)) ?? 0,
                      command: file.metadata[ModelFile.commandKey])
    }
}
