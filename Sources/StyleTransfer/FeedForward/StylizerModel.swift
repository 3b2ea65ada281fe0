// A trained feed-forward stylizer on disk: the TransformerNet's tensors in an nst model file (NeuralCore's ModelFile
// codec), with metadata that records the architecture, the style image and every training setting
// ("nst.kind" = "stylizer").
import Foundation
import ImageIO
import NeuralCore
import Networks

/// A model or checkpoint file that can't be used, "file: problem".
public struct StylizerFileError: Error, CustomStringConvertible {
    public let file: String
    public let problem: String
    public init(file: String, problem: String) { self.file = file; self.problem = problem }
    public var description: String { "\(file): \(problem)" }
}

/// The mean loss terms (unweighted) over a stretch of training steps ending at `iteration` (1-based).
public struct LossRecord: Codable, Equatable, Sendable {
    public var iteration: Int
    public var content: Float, style: Float, tv: Float
    /// Weighted total: contentWeight·content + styleWeight·style + tvWeight·tv + paletteWeight·palette.
    public var total: Float
    /// The palette term, when the run had one (nil in older files and runs without it).
    public var palette: Float? = nil

    public init(iteration: Int, content: Float, style: Float, tv: Float, total: Float, palette: Float? = nil) {
        self.iteration = iteration; self.content = content; self.style = style; self.tv = tv; self.total = total
        self.palette = palette
    }
}

/// What a stylizer file says about itself.
public struct StylizerMetadata: Equatable, Sendable {
    public var architecture: StylizerArchitecture
    /// File name of the style image the network was trained on.
    public var style: String
    public var training: StylizerTrainingConfig
    /// Optimiser steps done so far (equals `training.iterations` in a finished model).
    public var iterationsDone: Int
    /// Training photos used and skipped.
    public var contentImages: Int
    /// Wall time of all training so far, seconds.
    public var seconds: Double
    public var history: [LossRecord]
    /// The command line that trained it, if known.
    public var command: String?

    public init(architecture: StylizerArchitecture, style: String, training: StylizerTrainingConfig, iterationsDone: Int,
                contentImages: Int, seconds: Double, history: [LossRecord], command: String?) {
        self.architecture = architecture; self.style = style; self.training = training; self.iterationsDone = iterationsDone
        self.contentImages = contentImages; self.seconds = seconds; self.history = history; self.command = command
    }

    static let kind = "stylizer"
    static let architectureKey = "nst.architecture", styleKey = "nst.style"

    /// Adds these facts to a stylizer's model file.
    public func encode(into file: inout ModelFile) {
        file.metadata[Self.architectureKey] = architecture.rawValue
        file.metadata[Self.styleKey] = style
        file.setSettings(training)
        file.metadata[ModelFile.stepsDoneKey] = String(iterationsDone)
        file.metadata[ModelFile.contentImagesKey] = String(contentImages)
        file.setWallSeconds(seconds)
        file.setJSON(history, for: ModelFile.historyKey)
        if let command { file.metadata[ModelFile.commandKey] = command }
    }

    /// Reads what `encode(into:)` wrote; throws `StylizerFileError` naming `path` and the first missing or bad key.
    public static func decode(_ file: ModelFile, path: String) throws -> StylizerMetadata {
        guard ModelFileKind.kind(of: file.metadata) == Self.kind else {
            let what = ModelFileKind.describe(file.metadata) ?? "a safetensors file without nst metadata"
            throw StylizerFileError(file: path, problem: "holds \(what), not an nst stylizer model")
        }
        do {
            let name = try file.string(Self.architectureKey)
            guard let architecture = StylizerArchitecture(rawValue: name) else {
                throw StylizerFileError(file: path, problem: "unknown architecture '\(name.prefix(40))' (known: "
                                        + StylizerArchitecture.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            let training = try file.json(StylizerTrainingConfig.self, ModelFile.settingsKey)
            guard training.architecture == architecture else {
                throw StylizerFileError(file: path, problem: "metadata disagrees on the architecture")
            }
            let done = try file.number(Int.self, ModelFile.stepsDoneKey), images = try file.number(Int.self, ModelFile.contentImagesKey)
            // The steps done decide where a resumed run starts: they must lie within the run the file describes.
            guard (0...training.iterations).contains(done), images >= 0 else {
                throw StylizerFileError(file: path, problem: "metadata counts are out of range (\(done) of \(training.iterations) steps done)")
            }
            if let problem = training.problem { throw StylizerFileError(file: path, problem: "metadata nst.training: \(problem)") }
            return StylizerMetadata(architecture: architecture, style: try file.string(Self.styleKey), training: training,
                                    iterationsDone: done, contentImages: images, seconds: try file.wallSeconds(),
                                    history: try file.json([LossRecord].self, ModelFile.historyKey),
                                    command: file.metadata[ModelFile.commandKey])
        } catch let error as ModelFileFieldError {
            throw StylizerFileError(file: path, problem: "\(error)")
        }
    }
}

/// A loaded stylizer, ready to paint photos.
public struct StylizerModel {
    public let network: TransformerNet
    public let metadata: StylizerMetadata

    public init(network: TransformerNet, metadata: StylizerMetadata) { self.network = network; self.metadata = metadata }

    /// Reads a model (or checkpoint) file. Throws `StylizerFileError` for a missing, corrupt or foreign file, or one
    /// whose tensors don't fit its declared architecture.
    public static func read(_ url: URL) throws -> (model: StylizerModel, file: ModelFile) {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw StylizerFileError(file: url.path, problem: "model file not found")
        }
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile.read(url) } catch { throw StylizerFileError(file: url.path, problem: "\(error)") }
        let metadata = try StylizerMetadata.decode(ModelFile(file), path: url.path)
        let network: TransformerNet
        do {
            network = try metadata.training.network(weights: WeightStore(file: file))
        } catch {
            throw StylizerFileError(file: url.path, problem: "tensors don't match the \(metadata.architecture.rawValue) architecture (\((error as? WeightStoreError)?.problem ?? "\(error)"))")
        }
        // Checkpoints add the optimiser's state; anything else means the metadata does not describe these tensors.
        if let extra = network.store.unusedKeys.first(where: { !OptimizerCheckpoint.isOptimizerTensor($0) }) {
            throw StylizerFileError(file: url.path, problem: "tensor \(extra) is not part of the \(metadata.architecture.rawValue) architecture")
        }
        for p in network.store.parameters {
            guard p.tensor.data.allSatisfy(\.isFinite) else {
                throw StylizerFileError(file: url.path, problem: "tensor \(p.name) holds NaN or infinite values")
            }
        }
        return (StylizerModel(network: network, metadata: metadata), ModelFile(file))
    }

    /// The network and `metadata` as a model file (add the optimiser's state for a checkpoint).
    public static func modelFile(network: TransformerNet, metadata: StylizerMetadata) -> ModelFile {
        var file = ModelFile(kind: StylizerMetadata.kind, tensors: network.store.namedTensors)
        metadata.encode(into: &file)
        return file
    }

    /// Writes the network and `metadata` (plus the state of `optimizer`, in checkpoints) atomically.
    public static func write(network: TransformerNet, metadata: StylizerMetadata, optimizer: Optimizer? = nil, to url: URL) throws {
        var file = modelFile(network: network, metadata: metadata)
        if let optimizer { file.addOptimizerState(of: optimizer) }
        try file.write(to: url)
    }

    /// Paints `image` (any size) in the model's style. `strength` 0…1 blends with the original (1: fully stylized);
    /// `preserveColors` keeps the photo's colours (as `nst stylize --preserve-colors` says).
    /// `workingSize` nil paints at the photo's own size (the CLI's default is `automaticWorkingSize`); otherwise the
    /// network paints the photo brought to that longest side and the result is carried back to the photo's size:
    /// reduced by area averaging, or enlarged by the fast guided filter with the photo as the guide (the photo's fine
    /// edges come back, the painting's colours and strokes stay). Measured on the validation photos at 1024 px,
    /// painting at 512 and carrying the result up kept more of the photo's structure but lost the fine strokes the
    /// style loss measures (docs/feedforward-quality.md).
    public func stylize(_ image: Image, strength: Float = 1, preserveColors: ColorPreservation? = nil, workingSize: Int?) -> Image {
        let photo = image.rgb()
        // Luminance transfer happens where the network paints; histogram matching on the final picture.
        let luminance: ColorPreservation? = preserveColors == .luminance ? .luminance : nil
        var result: Image
        if let side = workingSize, side != max(photo.width, photo.height) {
            let painted = stylize(photo.resized(longestSide: side), strength: strength, preserveColors: luminance)
            result = painted.width >= photo.width && painted.height >= photo.height
                ? painted.resized(width: photo.width, height: photo.height)
                : guidedUpsample(painted, guide: photo, radius: Self.guidedRadius, epsilon: Self.guidedEpsilon)
        } else {
            result = stylize(photo, strength: strength, preserveColors: luminance)
        }
        if preserveColors == .histogram { result = result.histogramMatched(to: photo) }
        return result
    }

    /// The longest side at which the network paints a photo whose longest side is `side`, when no working size is
    /// asked for: the photo's own size, enlarged up to 1.5× when the model learnt the painting at a larger size, and
    /// the result reduced back. The network paints the painting's strokes at the size in pixels it learnt them, so a
    /// photo far smaller than the painting was gets strokes too large for it; painting larger and reducing brings them
    /// nearer the photo's scale and keeps them crisp. It never paints smaller than the photo: enlarging a result
    /// painted small lost the fine strokes (docs/feedforward-quality.md). Measured on the validation photos with a
    /// model that learnt its painting at 1024 px, 512-px photos painted at 1.5× (768) had 0.81× lite's style loss,
    /// against 0.73× at 1× with less of the photo's structure than lite's and 1.02× at 2×.
    public func automaticWorkingSize(longestSide side: Int) -> Int {
        max(side, min(metadata.training.styleSize, side * 3 / 2))
    }

    /// Window radius (in working-size pixels) and ridge of the guided upsampling, chosen on the validation photos
    /// (docs/feedforward-quality.md): small windows keep the painted strokes, the ridge keeps the guide's weak
    /// textures from coming back.
    static let guidedRadius = 2
    static let guidedEpsilon: Float = 1e-3

    /// Paints `image` at its own size. `preserveColors`: `.luminance` keeps the photo's chrominance (YIQ) with the
    /// painted luminance; `.histogram` matches the result's colour histogram to the photo's.
    public func stylize(_ image: Image, strength: Float = 1, preserveColors: ColorPreservation? = nil) -> Image {
        let photo = image.rgb()
        var out = network.stylize(photo)
        if preserveColors == .luminance { out = ColorTransfer.combine(luminanceOf: out, colorsOf: photo) }
        if strength < 1 {
            let s = max(0, strength)
            out.pixels.withUnsafeMutableBufferPointer { o in
                photo.pixels.withUnsafeBufferPointer { p in
                    for i in o.indices { o[i] = s * o[i] + (1 - s) * p[i] }
                }
            }
        }
        if preserveColors == .histogram { out = out.histogramMatched(to: photo) }
        return out
    }
}
