// The one codec of nst's model files (stylizers, classifiers, decoders and the training checkpoints of each): a
// safetensors file whose metadata names its kind under `nst.kind`, holds the training settings as one JSON string
// under `nst.training` and other facts as plain or JSON strings, and whose tensors carry the optimiser's state under
// "optimizer." in checkpoints (OptimizerCheckpoint). Each kind says which fields it has; the keys, the JSON
// conventions and the errors for missing or unreadable fields live here once. Settings added after files were
// first written are filled in by the settings' own `init(from:)` with what older files meant.
import Foundation

/// A metadata field of a model file is missing or unreadable. Each kind's loader names the file around it.
public struct ModelFileFieldError: Error, CustomStringConvertible {
    /// The metadata key.
    public let key: String
    /// What is wrong: "is missing", "is not valid JSON for its type (…)", "is not a number".
    public let problem: String
    public var description: String { "metadata \(key) \(problem)" }
}

/// The tensors and metadata of one model file, with typed access to the metadata.
public struct ModelFile {
    /// The metadata key every nst model file names its kind under ("stylizer", "fashion-cnn", "vgg16-decoder", …).
    public static let kindKey = "nst.kind"
    /// The key the first decoders named their kind under, before every model file used `kindKey`.
    public static let legacyKindKey = "kind"
    /// The key of the training settings (a JSON object).
    public static let settingsKey = "nst.training"
    // Keys of the training record that more than one kind writes, spelt once.
    /// The loss or accuracy records of the run so far (a JSON array).
    public static let historyKey = "nst.history"
    /// The command line that trained the model.
    public static let commandKey = "nst.command"
    /// Optimiser steps done so far.
    public static let stepsDoneKey = "nst.iterations_done"
    /// Wall time of all training so far, seconds (`setWallSeconds`, `wallSeconds()`).
    public static let wallSecondsKey = "nst.wall_seconds"
    /// Training photos used.
    public static let contentImagesKey = "nst.content_images"

    /// The model's tensors, plus the optimiser's ("optimizer.*") in a checkpoint.
    public var tensors: [String: Tensor]
    /// The `__metadata__` strings.
    public var metadata: [String: String]

    /// A file to write: the model's `tensors`, and metadata that names `kind`.
    public init(kind: String, tensors: [String: Tensor]) {
        self.tensors = tensors
        metadata = [Self.kindKey: kind]
    }

    /// A file that was read (or crafted in memory).
    public init(_ file: SafeTensorsFile) {
        tensors = file.tensors
        metadata = file.metadata
    }

    // MARK: The kind

    /// The kind `metadata` names under `kindKey`, or, for one of `legacyKinds` (kinds once written only under the
    /// old key), under `legacyKindKey`; nil for files nst did not write. A foreign file's own "kind" is not taken
    /// for an nst kind.
    public static func kind(of metadata: [String: String], legacyKinds: Set<String> = []) -> String? {
        if let kind = metadata[kindKey] { return kind }
        return metadata[legacyKindKey].flatMap { legacyKinds.contains($0) ? $0 : nil }
    }

    // MARK: Writing

    /// Stores `value` as JSON under `key`.
    public mutating func setJSON<T: Encodable>(_ value: T, for key: String) { metadata[key] = Self.json(value) }

    /// Stores the training settings as JSON under `settingsKey`.
    public mutating func setSettings<T: Encodable>(_ settings: T) { setJSON(settings, for: Self.settingsKey) }

    /// Stores a training time, to a tenth of a second.
    public mutating func setWallSeconds(_ seconds: Double) { metadata[Self.wallSecondsKey] = String(format: "%.1f", seconds) }

    /// Adds `optimizer`'s state, so that a resumed run takes the steps an uninterrupted one would have.
    public mutating func addOptimizerState(of optimizer: Optimizer) {
        tensors.merge(OptimizerCheckpoint.tensors(of: optimizer)) { $1 }
    }

    /// Writes the file atomically (SafeTensorsFile.write); throws `SafeTensorsError`.
    public func write(to url: URL) throws {
        try SafeTensorsFile.write(tensors: tensors, metadata: metadata, to: url)
    }

    // MARK: Reading

    /// The string under `key`; throws when it is missing.
    public func string(_ key: String) throws -> String {
        guard let value = metadata[key] else { throw ModelFileFieldError(key: key, problem: "is missing") }
        return value
    }

    /// The number under `key` (Int, Double, …); throws when it is missing or not a number of that type.
    public func number<T: LosslessStringConvertible>(_ type: T.Type, _ key: String) throws -> T {
        guard let value = T(try string(key)) else { throw ModelFileFieldError(key: key, problem: "is not a number") }
        return value
    }

    /// The training time under `wallSecondsKey`; throws when it is missing or not a finite non-negative number (a
    /// crafted time must not reach a JSON summary or the arithmetic of a resumed run).
    public func wallSeconds() throws -> Double {
        let seconds = try number(Double.self, Self.wallSecondsKey)
        guard seconds.isFinite, seconds >= 0 else {
            throw ModelFileFieldError(key: Self.wallSecondsKey, problem: "is out of range (not a finite, non-negative number)")
        }
        return seconds
    }

    /// The JSON value under `key`; throws when it is missing or does not decode as `T`.
    public func json<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
        do { return try Self.decoder.decode(T.self, from: Data(try string(key).utf8)) }
        catch let error as ModelFileFieldError { throw error }
        catch { throw ModelFileFieldError(key: key, problem: "is not valid JSON for its type (\(Self.reason(error)))") }
    }

    /// The JSON value under `key`, nil when the key is absent; throws when it is there but does not decode.
    public func jsonIfPresent<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
        metadata[key] == nil ? nil : try json(type, key)
    }

    /// The training settings, nil when the file has none; throws when they do not decode.
    public func settings<T: Decodable>(_ type: T.Type) throws -> T? { try jsonIfPresent(type, Self.settingsKey) }

    /// The model's tensors, without the optimiser's.
    public var modelTensors: [String: Tensor] { tensors.filter { !OptimizerCheckpoint.isOptimizerTensor($0.key) } }

    /// The optimiser's state, without the prefix (OptimizerCheckpoint.state(in:)).
    public var optimizerState: [String: Tensor] { OptimizerCheckpoint.state(in: tensors) }

    /// Restores `optimizer` from the file's optimiser state; throws `OptimizerStateError` when it does not fit.
    public func restoreOptimizer(_ optimizer: Optimizer) throws { try OptimizerCheckpoint.restore(optimizer, from: tensors) }

    // MARK: JSON conventions

    /// `value` as compact JSON with sorted keys. A diverged run's NaN or infinite losses are written as the strings
    /// "nan", "inf", "-inf" rather than failing the save.
    public static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Encoding these plain Codable values cannot fail.
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    /// The decoder matching `json(_:)`.
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// A decoding error in a few words ("no value for imageSize", "a string where Int was expected"), one line.
    static func reason(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)".replacingOccurrences(of: "\n", with: " ") }
        switch error {
        case .keyNotFound(let key, _): return "no value for \(key.stringValue)"
        case .typeMismatch(let type, let context): return "\(type) expected at \(path(context))"
        case .valueNotFound(let type, let context): return "\(type) expected at \(path(context))"
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "not JSON" : "bad value at \(path(context))"
        @unknown default: return "\(error)".replacingOccurrences(of: "\n", with: " ")
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? "the top" : context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
