// What a saved classifier says about itself: kind, architecture config, labels, preprocessing, training settings
// and history, stored through the model-file codec (NeuralCore's ModelFile) as safetensors metadata strings (JSON
// values) so any safetensors reader can inspect them.
import Foundation
import Networks
import NeuralCore

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
        self.init(kind: .fashionCNN, configJSON: ModelFile.json(config), labels: labels,
                  preprocessing: Preprocessing(color: config.channels == 1 ? .gray : .rgb, size: config.side, fit: .pad,
                                               inversion: .auto))
    }

    /// Metadata for a VGG feature head.
    public init(head config: FeatureClassifierConfig, labels: [String]) {
        self.init(kind: .featureHead, configJSON: ModelFile.json(config), labels: labels,
                  preprocessing: .vgg(size: config.inputSize))
    }

    static let configKey = "nst.config", labelsKey = "nst.labels", preprocessingKey = "nst.preprocessing"
    /// Prefix of the free-form extra entries.
    static let extraPrefix = "nst.extra."

    /// A classifier's model file: `tensors` (the network's) and this metadata. "format" = "nst-classifier" stays for
    /// readers that looked for it.
    public func modelFile(tensors: [String: Tensor]) -> ModelFile {
        var file = ModelFile(kind: kind.rawValue, tensors: tensors)
        file.metadata["format"] = "nst-classifier"
        file.metadata[Self.configKey] = configJSON
        file.setJSON(labels, for: Self.labelsKey)
        file.setJSON(preprocessing, for: Self.preprocessingKey)
        file.setJSON(history, for: ModelFile.historyKey)
        if let training { file.setSettings(training) }
        for (key, value) in extra { file.metadata[Self.extraPrefix + key] = value }
        return file
    }

    /// Reads what `modelFile(tensors:)` wrote. Throws `ModelFileError` naming `path` and the bad or missing key.
    public static func decode(_ file: ModelFile, path: String) throws -> ModelMetadata {
        guard let kindName = ModelFileKind.kind(of: file.metadata), let kind = ModelKind(rawValue: kindName) else {
            let what = ModelFileKind.describe(file.metadata) ?? "a safetensors file without nst classifier metadata"
            throw ModelFileError(file: path, problem: "holds \(what), not an nst classifier")
        }
        var result: ModelMetadata
        do {
            result = ModelMetadata(kind: kind, configJSON: try file.string(configKey), labels: try file.json([String].self, labelsKey),
                                   preprocessing: try file.json(Preprocessing.self, preprocessingKey),
                                   training: try file.settings(TrainingConfig.self),
                                   history: try file.jsonIfPresent([EpochRecord].self, ModelFile.historyKey) ?? [])
        } catch let error as ModelFileFieldError {
            throw ModelFileError(file: path, problem: error.problem == "is missing" ? "not an nst classifier (\(error))" : "\(error)")
        }
        for (key, v) in file.metadata where key.hasPrefix(extraPrefix) { result.extra[String(key.dropFirst(extraPrefix.count))] = v }
        guard !result.labels.isEmpty else { throw ModelFileError(file: path, problem: "model has no labels") }
        // The history's length is the number of epochs a checkpoint has done: its records must be epochs 1, 2, 3, ….
        for (i, record) in result.history.enumerated() where record.epoch != i + 1 {
            throw ModelFileError(file: path, problem: "metadata nst.history lists epoch \(record.epoch) as record \(i + 1)")
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
        do { return try ModelFile.decoder.decode(T.self, from: Data(configJSON.utf8)) } catch {
            throw ModelFileError(file: file, problem: "metadata nst.config is not a valid \(T.self) (\(error))")
        }
    }
}
