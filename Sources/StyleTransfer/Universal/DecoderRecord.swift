// What a decoder training run reports (loss records, events, result) and the training record a decoder file (or its
// checkpoint) carries in its metadata, with the one encoder and decoder of its keys: `train-decoder` writes and
// resumes from it, `nst info` describes it.
import Foundation

/// Mean loss terms over the steps ending at `iteration`.
public struct DecoderLossRecord: Codable, Equatable, Sendable {
    public var iteration: Int
    public var pixel: Float, feature: Float, total: Float
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

    /// The `nst.*` metadata strings (VGGDecoder adds kind, level and scale).
    public func encoded() -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var meta = [
            "nst.iterations_done": String(iterationsDone),
            "nst.history": String(decoding: (try? encoder.encode(history)) ?? Data(), as: UTF8.self),
        ]
        if let seconds { meta["nst.wall_seconds"] = String(format: "%.1f", seconds) }
        if let training { meta["nst.training"] = String(decoding: (try? encoder.encode(training)) ?? Data(), as: UTF8.self) }
        if let contentImages { meta["nst.content_images"] = String(contentImages) }
        if averageSteps > 0 { meta["nst.average_steps"] = String(averageSteps) }
        if let command { meta["nst.command"] = command }
        return meta
    }

    /// Reads the record from a file's metadata. Missing or unreadable fields take their empty values (files from
    /// before a field existed); callers that depend on one (resuming needs the settings) check it.
    public static func decode(_ meta: [String: String]) -> DecoderRecord {
        let decoder = JSONDecoder()
        let training = meta["nst.training"].flatMap { try? decoder.decode(DecoderTrainingConfig.self, from: Data($0.utf8)) }
        // A crafted time must not reach the JSON summary or the arithmetic of a resumed run.
        let seconds = Double(meta["nst.wall_seconds"] ?? "").flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
        let history = meta["nst.history"].flatMap { try? decoder.decode([DecoderLossRecord].self, from: Data($0.utf8)) } ?? []
        return DecoderRecord(training: training, iterationsDone: Int(meta["nst.iterations_done"] ?? "") ?? 0, seconds: seconds,
                             history: history, contentImages: meta["nst.content_images"].flatMap { Int($0) },
                             averageSteps: Int(meta["nst.average_steps"] ?? "") ?? 0, command: meta["nst.command"])
    }
}
