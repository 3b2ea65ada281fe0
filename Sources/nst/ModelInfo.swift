// What `nst info` says about a .safetensors file: for nst's own models the kind, architecture and training settings
// from the metadata; for any other safetensors file its tensor and parameter counts.
import Classification
import Foundation
import Networks
import NeuralCore
import StyleTransfer

struct ModelInfo: Encodable {
    /// "stylizer", "fashion-cnn", "vgg-feature-head", or "safetensors" for files nst did not write.
    var modelKind: String
    var tensors: Int
    var parameters: Int
    /// The metadata as stored (JSON values left as strings).
    var metadata: [String: String]
    /// The human-readable summary.
    var line: String

    private enum Keys: String, CodingKey { case modelKind = "model_kind", tensors, parameters, metadata, summary }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(modelKind, forKey: .modelKind); try c.encode(tensors, forKey: .tensors)
        try c.encode(parameters, forKey: .parameters); try c.encode(metadata, forKey: .metadata); try c.encode(line, forKey: .summary)
    }

    static func read(_ url: URL) throws -> ModelInfo {
        guard FileManager.default.fileExists(atPath: url.path) else { throw CLIError("\(url.path): no such file") }
        let file = try SafeTensorsFile.read(url)
        let modelFile = ModelFile(file)
        // Optimiser state in checkpoints is not part of the model.
        let model = modelFile.modelTensors
        let parameters = model.values.reduce(0) { $0 + $1.count }
        let kind = ModelFileKind.kind(of: file.metadata) ?? "safetensors"
        var line: String
        switch kind {
        case "stylizer":
            // The whole model is checked (tensors against the architecture), as loading it for painting would.
            let m = try StylizerModel.read(url).model.metadata
            let t = m.training
            line = "nst stylizer (\(m.architecture.rawValue), \(grouped(parameters)) parameters), style \(m.style); "
                + "\(m.iterationsDone)/\(t.iterations) steps on \(m.contentImages) photos in \(minutes(m.seconds)); "
                + "crops \(t.imageSize) px, batch \(t.batchSize), lr \(t.learningRate)\(t.cosineDecay ? " cosine" : ""), "
                + "content \(t.contentWeight) at " + zip(t.contentLayers, t.contentLayerWeights).map { $1 == 1 ? $0.rawValue : "\($1)·\($0.rawValue)" }.joined(separator: "+")
                + ", style \(t.styleWeight) at "
                + t.styleLayers.map(\.rawValue).joined(separator: "+") + " (style image \(t.styleSize) px), "
                + (t.paletteWeight > 0 ? "palette \(t.paletteWeight), " : "")
                + "tv \(t.tvWeight)\(t.tvMean ? " (mean)" : " (sum)"), "
                + (t.initialModel.map { "started from \($0), " } ?? "") + "output \(t.outputStage.rawValue), upsampling \(t.upsampling.rawValue)\(t.noise ? " + noise" : ""), seed \(t.seed)"
            if let last = m.history.last { line += String(format: "; final loss %.4g", last.total) }
        case "fashion-cnn", "vgg-feature-head":
            let m = try ClassifierModel.validate(file, path: url.path)
            let architecture = (try? JSONSerialization.jsonObject(with: Data(m.configJSON.utf8)) as? [String: Any])?["architecture"] as? String
            line = "nst classifier (\(kind)\(architecture.map { ", \($0)" } ?? ""), \(grouped(parameters)) parameters), "
                + "\(m.labels.count) labels: \(m.labels.joined(separator: ", ")); input \(m.preprocessing.size)x\(m.preprocessing.size) \(m.preprocessing.color.rawValue)"
            if let last = m.history.last {
                line += "; \(last.epoch) epochs"
                if let accuracy = last.validationAccuracy { line += String(format: ", validation accuracy %.2f%%", accuracy * 100) }
            }
            if let t = m.training { line += "; \(t.optimizerDescription), batch \(t.batchSize), \(t.schedule.rawValue) schedule" }
        case VGGDecoder.kind:
            let level = file.metadata["level"] ?? "?"
            guard let layer = VGGLayer(rawValue: level) else { throw CLIError("\(url.path): decoder level '\(level.prefix(20))' is not a VGG16 layer") }
            _ = try VGGDecoder(contentsOf: url, level: layer)
            line = "nst VGG16 decoder for \(level) (\(grouped(parameters)) parameters)"
            let record = DecoderRecord.decode(modelFile)
            if let t = record.training {
                line += "; \(record.iterationsDone)/\(t.iterations) steps in \(record.seconds.map(minutes) ?? "?"); "
                    + "crops \(t.imageSize) px (\(t.orientations == .all ? "all 8 orientations" : "mirrored")\(t.colors == .permuted ? ", colours permuted" : "")\(t.photoSize.map { ", from photos at most \($0) px on the short side" } ?? "")), batch \(t.batchSize), lr \(t.learningRate), feature weight \(t.featureWeight)"
                    + (t.effectiveFeatureImages < t.batchSize ? " on \(t.effectiveFeatureImages) of \(t.batchSize) images" : "") + ", seed \(t.seed)"
                    + (t.averageLast.map { ", weights averaged over the last \($0) steps" } ?? "")
            }
        default:
            line = "safetensors, \(model.count) tensors, \(grouped(parameters)) values"
                + (file.metadata.isEmpty ? "" : ", metadata keys: " + file.metadata.keys.sorted().joined(separator: ", "))
        }
        return ModelInfo(modelKind: kind, tensors: model.count, parameters: parameters, metadata: file.metadata, line: line)
    }

    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        return String(digits.enumerated().flatMap { i, d in (i > 0 && (digits.count - i) % 3 == 0) ? [",", d] : [d] })
    }

    static func minutes(_ seconds: Double) -> String { formatDuration(seconds) }
}
