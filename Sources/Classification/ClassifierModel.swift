// Saving and loading classifier model files: safetensors tensors named as the network's WeightStore names them,
// plus ModelMetadata. One init per network either loads or creates weights, so loading = building from the file.
import Foundation
import ImageIO
import Networks
import NeuralCore

/// A classifier read from disk (or just trained): its metadata and its network, ready for inference.
public final class ClassifierModel {
    public let metadata: ModelMetadata
    public let network: ClassifierNetwork
    /// The VGG16 extractor of a feature head (nil for FashionCNN models).
    public let extractor: VGGFeatureExtractor?
    /// Where the model came from, for error messages.
    public let source: String

    public var labels: [String] { metadata.labels }

    public init(metadata: ModelMetadata, network: ClassifierNetwork, extractor: VGGFeatureExtractor?, source: String = "model") {
        self.metadata = metadata
        self.network = network
        self.extractor = extractor
        self.source = source
    }

    /// Loads `url`. Feature heads also load VGG16 from `vggWeights` (default: `VGG16Features.defaultWeightsURL()`).
    /// Throws `ModelFileError` for a missing file, missing or bad metadata, labels that don't match the network's
    /// outputs, and the store's error for a missing or mis-shaped tensor.
    public convenience init(contentsOf url: URL, vggWeights: URL? = nil) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { throw ModelFileError(file: url.path, problem: "model not found") }
        let file = try SafeTensorsFile.read(url)
        let metadata = try ModelMetadata.decode(ModelFile(file), path: url.path)
        let weights = WeightStore(file: file)
        let (network, extractor) = try ClassifierModel.network(for: metadata, weights: weights, file: url.path,
                                                                vggWeights: vggWeights)
        try ClassifierModel.checkTensorSet(weights, file: url.path)
        self.init(metadata: metadata, network: network, extractor: extractor, source: url.path)
    }

    /// Builds the network described by `metadata` from `weights` (loaded or fresh), checking labels against outputs.
    public static func network(for metadata: ModelMetadata, weights: WeightStore, file: String,
                               vggWeights: URL? = nil) throws -> (ClassifierNetwork, VGGFeatureExtractor?) {
        // Every value from the file is checked here, before any tensor is read or any kernel runs.
        switch metadata.kind {
        case .fashionCNN:
            let config = try metadata.config(FashionCNNConfig.self, file: file)
            if let problem = config.problem { throw ModelFileError(file: file, problem: "metadata nst.config: \(problem)") }
            try checkLabels(metadata.labels, classes: config.classes, file: file)
            try metadata.checkPreprocessing(side: config.side, channels: config.channels, file: file)
            return (try FashionCNN(config: config, weights: weights), nil)
        case .featureHead:
            let config = try checkedHeadConfig(metadata, file: file)
            let vgg = try VGG16Features(contentsOf: vggWeights ?? VGG16Features.defaultWeightsURL())
            return (try FeatureClassifier(config: config, weights: weights), VGGFeatureExtractor(vgg: vgg, layers: config.layers))
        }
    }

    /// A feature head's config after every check that needs no VGG16: ranges, labels, preprocessing.
    static func checkedHeadConfig(_ metadata: ModelMetadata, file: String) throws -> FeatureClassifierConfig {
        let config = try metadata.config(FeatureClassifierConfig.self, file: file)
        if let problem = config.problem { throw ModelFileError(file: file, problem: "metadata nst.config: \(problem)") }
        try checkLabels(metadata.labels, classes: config.classes, file: file)
        try metadata.checkPreprocessing(side: config.inputSize, channels: 3, file: file)
        return config
    }

    /// Every check `init(contentsOf:)` makes, without loading VGG16 for a feature head (for `nst info`): the
    /// metadata decodes, agrees with the network, and the tensors are exactly the network's. Returns the metadata.
    public static func validate(_ file: SafeTensorsFile, path: String) throws -> ModelMetadata {
        let metadata = try ModelMetadata.decode(ModelFile(file), path: path)
        let weights = WeightStore(file: file)
        switch metadata.kind {
        case .fashionCNN: _ = try network(for: metadata, weights: weights, file: path)
        case .featureHead: _ = try FeatureClassifier(config: try checkedHeadConfig(metadata, file: path), weights: weights)
        }
        try checkTensorSet(weights, file: path)
        return metadata
    }

    /// After the network was built from a file: no tensor the architecture does not have (checkpoints may add the
    /// optimiser's "optimizer.*" state), and no NaN or infinite weight.
    static func checkTensorSet(_ weights: WeightStore, file: String) throws {
        if let extra = weights.unusedKeys.first(where: { !OptimizerCheckpoint.isOptimizerTensor($0) }) {
            throw ModelFileError(file: file, problem: "tensor \(extra) is not part of the architecture its metadata declares")
        }
        for (name, tensor) in weights.parameters where !tensor.data.allSatisfy(\.isFinite) {
            throw ModelFileError(file: file, problem: "tensor \(name) holds NaN or infinite values")
        }
    }

    static func checkLabels(_ labels: [String], classes: Int, file: String) throws {
        guard labels.count == classes else {
            throw ModelFileError(file: file, problem: "model lists \(labels.count) labels but its network has \(classes) outputs")
        }
    }

    /// Writes the network's tensors and `metadata` to `url` atomically (F32).
    public static func write(network: ClassifierNetwork, metadata: ModelMetadata, to url: URL) throws {
        try metadata.modelFile(tensors: network.namedTensors()).write(to: url)
    }

    /// Class probabilities [count, K] (row-major) for prepared samples (`metadata.preprocessing.prepare`).
    public func probabilities(prepared: [Float], count: Int) -> [Float] {
        let shape = metadata.preprocessing.sampleShape
        guard let extractor else {
            return BatchInference.probabilities(network, values: prepared, sampleShape: shape, count: count)
        }
        let features = extractor.features(prepared, count: count, side: metadata.preprocessing.size)
        return BatchInference.probabilities(network, values: features, sampleShape: [extractor.featureCount], count: count)
    }

    /// The `k` most probable labels of one probability row, best first.
    public func top(_ k: Int, of probabilities: ArraySlice<Float>) -> [(label: String, probability: Float)] {
        let row = Array(probabilities)
        return row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }.prefix(max(1, k))
            .map { (labels[$0], row[$0]) }
    }
}
