// What a saved classifier says about itself: kind, architecture config, labels, preprocessing, training settings
// and history, stored as safetensors metadata strings (JSON values) so any safetensors reader can inspect them.
import Foundation
import Networks

/// A problem with a model or checkpoint file. `description` is one line: "<file>: <problem>".
public struct ModelFileError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let problem: String
    public init(file: String, problem: String) { self.file = file; self.problem = problem }
    public var description: String { "\(file): \(problem)" }
}

/// Which network a model file holds.
public enum ModelKind: String, Codable, Sendable {
    /// A FashionCNN on 28×28 gray images.
    case fashionCNN = "fashion-cnn"
    /// A FeatureClassifier head on frozen VGG16 features.
    case featureHead = "vgg-feature-head"
}

/// How an arbitrary image becomes the network's input.
public struct Preprocessing: Codable, Equatable, Sendable {
    public enum Color: String, Codable, Sendable { case gray, rgb }
    /// How the image is brought to `size`×`size`.
    public enum Fit: String, Codable, Sendable {
        /// Longer side scaled to `size`, centred, the rest filled with the (possibly inverted) border colour:
        /// Fashion-MNIST's own centring of products.
        case pad
        /// Shorter side scaled to `size`, then the centre square cut out (ImageNet convention).
        case centerCrop = "center-crop"
    }
    /// Whether to turn dark-on-light photos into light-on-dark like Fashion-MNIST.
    public enum Inversion: String, Codable, CaseIterable, Sendable {
        /// Invert when the image's border is brighter than mid-gray (a light background).
        case auto
        case always
        case never
    }
    public var color: Color
    /// Side of the square network input, in pixels.
    public var size: Int
    public var fit: Fit
    public var inversion: Inversion

    public init(color: Color, size: Int, fit: Fit, inversion: Inversion) {
        self.color = color; self.size = size; self.fit = fit; self.inversion = inversion
    }

    /// Fashion-MNIST: 28×28 gray, padded, inverted when the background is light.
    public static let fashionMNIST = Preprocessing(color: .gray, size: 28, fit: .pad, inversion: .auto)
    /// VGG16 heads: RGB, centre-cropped square of `size` pixels, never inverted.
    public static func vgg(size: Int) -> Preprocessing { Preprocessing(color: .rgb, size: size, fit: .centerCrop, inversion: .never) }
}

/// The metadata of a model or checkpoint file. Keys are "nst.kind", "nst.config", "nst.labels", … (JSON values).
public struct ModelMetadata: Equatable {
    public var kind: ModelKind
    /// The network's Config struct, as JSON (FashionCNNConfig or FeatureClassifierConfig).
    public var configJSON: String
    public var labels: [String]
    public var preprocessing: Preprocessing
    public var training: TrainingConfig?
    public var history: [EpochRecord]
    /// Free-form extra entries (data set, command line, wall time), stored as "nst.extra.<key>".
    public var extra: [String: String]

    public init(kind: ModelKind, configJSON: String, labels: [String], preprocessing: Preprocessing,
                training: TrainingConfig? = nil, history: [EpochRecord] = [], extra: [String: String] = [:]) {
        self.kind = kind; self.configJSON = configJSON; self.labels = labels; self.preprocessing = preprocessing
        self.training = training; self.history = history; self.extra = extra
    }

    /// Metadata for a FashionCNN model.
    public init(fashion config: FashionCNNConfig, labels: [String]) {
        self.init(kind: .fashionCNN, configJSON: ModelMetadata.json(config), labels: labels,
                  preprocessing: Preprocessing(color: config.channels == 1 ? .gray : .rgb, size: config.side, fit: .pad,
                                               inversion: .auto))
    }

    /// Metadata for a VGG feature head.
    public init(head config: FeatureClassifierConfig, labels: [String]) {
        self.init(kind: .featureHead, configJSON: ModelMetadata.json(config), labels: labels,
                  preprocessing: .vgg(size: config.inputSize))
    }

    /// As safetensors metadata strings.
    public func encoded() -> [String: String] {
        var out: [String: String] = [
            "format": "nst-classifier", ModelFileKind.key: kind.rawValue, "nst.config": configJSON,
            "nst.labels": ModelMetadata.json(labels), "nst.preprocessing": ModelMetadata.json(preprocessing),
            "nst.history": ModelMetadata.json(history),
        ]
        if let training { out["nst.training"] = ModelMetadata.json(training) }
        for (key, value) in extra { out["nst.extra." + key] = value }
        return out
    }

    /// Parses metadata written by `encoded()`. Throws `ModelFileError` naming `file` and the bad or missing key.
    public static func decode(_ meta: [String: String], file: String) throws -> ModelMetadata {
        func value(_ key: String) throws -> String {
            guard let v = meta[key] else {
                throw ModelFileError(file: file, problem: "not an nst classifier (metadata key \(key) is missing)")
            }
            return v
        }
        func parse<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
            do { return try decoder.decode(T.self, from: Data(try value(key).utf8)) } catch let error as ModelFileError {
                throw error
            } catch {
                throw ModelFileError(file: file, problem: "metadata \(key) is not valid (\(error))")
            }
        }
        guard let kindName = meta[ModelFileKind.key], let kind = ModelKind(rawValue: kindName) else {
            let what = ModelFileKind.describe(meta) ?? "a safetensors file without nst classifier metadata"
            throw ModelFileError(file: file, problem: "holds \(what), not an nst classifier")
        }
        var result = ModelMetadata(kind: kind, configJSON: try value("nst.config"), labels: try parse([String].self, "nst.labels"),
                                   preprocessing: try parse(Preprocessing.self, "nst.preprocessing"))
        if meta["nst.training"] != nil { result.training = try parse(TrainingConfig.self, "nst.training") }
        if meta["nst.history"] != nil { result.history = try parse([EpochRecord].self, "nst.history") }
        for (key, v) in meta where key.hasPrefix("nst.extra.") { result.extra[String(key.dropFirst("nst.extra.".count))] = v }
        guard !result.labels.isEmpty else { throw ModelFileError(file: file, problem: "model has no labels") }
        // The history's length is the number of epochs a checkpoint has done: its records must be epochs 1, 2, 3, ….
        for (i, record) in result.history.enumerated() where record.epoch != i + 1 {
            throw ModelFileError(file: file, problem: "metadata nst.history lists epoch \(record.epoch) as record \(i + 1)")
        }
        return result
    }

    /// Checks that the preprocessing agrees with the network the config describes: the prepared sample must be
    /// exactly the network's input (size and channels), or the first layer would read past its input or weights.
    public func checkPreprocessing(side: Int, channels: Int, file: String) throws {
        let expected: Preprocessing.Color = channels == 1 ? .gray : .rgb
        guard preprocessing.size == side else {
            throw ModelFileError(file: file, problem:
                "metadata nst.preprocessing says size \(preprocessing.size) but the network takes \(side)×\(side) inputs")
        }
        guard preprocessing.color == expected else {
            throw ModelFileError(file: file, problem:
                "metadata nst.preprocessing says \(preprocessing.color.rawValue) but the network takes \(channels)-channel inputs")
        }
    }

    /// The architecture config decoded as `T`. Throws `ModelFileError` naming `file`.
    public func config<T: Decodable>(_ type: T.Type, file: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(configJSON.utf8)) } catch {
            throw ModelFileError(file: file, problem: "metadata nst.config is not a valid \(T.self) (\(error))")
        }
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // A diverged run has NaN losses; keep them representable instead of failing the save.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Encoding these plain Codable values cannot fail.
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }
}
