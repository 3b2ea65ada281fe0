// Files written by earlier versions still load: the shipped stylizers and decoders in weights/ (the decoders name
// their kind only under the old `kind` key and store none of the crop settings added since), and hand-crafted
// metadata that lacks each setting added after the first files, whose meaning then is filled in on decoding.
// New files keep every key the old ones had, so readers from before still read them.
import Foundation
import NeuralCore
import Networks
import Testing
@testable import StyleTransfer

@Suite struct OlderModelFileTests {
    static let weights = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../weights")
        .standardizedFileURL
    static func shipped(_ name: String) -> URL { weights.appendingPathComponent(name) }
    static let stylizers = ["stylizer-shipwreck", "stylizer-starry-night", "stylizer-the-scream", "stylizer-wave"]

    /// The keys of a JSON object string.
    static func keys(_ json: String?) throws -> Set<String> {
        Set((try JSONSerialization.jsonObject(with: Data((json ?? "").utf8)) as? [String: Any] ?? [:]).keys)
    }

    // MARK: Stylizers

    @Test(arguments: stylizers) func shippedStylizerLoadsAndRewritesEveryKeyItHad(name: String) throws {
        let url = Self.shipped("\(name).safetensors")
        let old = try SafeTensorsFile.read(url)
        let (model, _) = try StylizerModel.read(url)
        let t = model.metadata.training
        #expect(model.metadata.architecture == .light && model.metadata.iterationsDone == t.iterations)
        #expect(t.styleSize == 1024 && t.outputStage == .pixels && t.upsampling == .bilinear && t.noise && t.tvMean)
        #expect(t.contentLayers == [.relu2_2, .relu4_2] && t.contentLayerWeights == [0.4, 1] && t.paletteWeight == 50)
        let rewritten = StylizerModel.modelFile(network: model.network, metadata: model.metadata)
        #expect(Set(rewritten.metadata.keys).isSuperset(of: old.metadata.keys))
        #expect(try Self.keys(rewritten.metadata[ModelFile.settingsKey]).isSuperset(of: Self.keys(old.metadata[ModelFile.settingsKey])))
        #expect(try StylizerMetadata.decode(rewritten, path: name) == model.metadata)
    }

    /// A stylizer's model file whose settings lack `removed`, as a file from before those settings existed.
    static func olderStylizer(_ config: StylizerTrainingConfig, without removed: [String]) throws -> ModelFile {
        let network = try config.network(weights: WeightStore(seed: 1))
        let metadata = StylizerMetadata(architecture: config.architecture, style: "s.png", training: config, iterationsDone: 1,
                                        contentImages: 1, seconds: 1, history: [], command: nil)
        var file = StylizerModel.modelFile(network: network, metadata: metadata)
        var settings = try JSONSerialization.jsonObject(with: Data(file.metadata[ModelFile.settingsKey]!.utf8)) as! [String: Any]
        for key in removed { #expect(settings.removeValue(forKey: key) != nil, "\(key)") }
        file.metadata[ModelFile.settingsKey] = String(decoding: try JSONSerialization.data(withJSONObject: settings, options: .sortedKeys),
                                                      as: UTF8.self)
        return file
    }

    /// The first models had Johnson's network (150·tanh output, nearest upsampling, no noise), a single content layer,
    /// TV summed over pixels, no palette term and the style image at twice the crop size; a file that says nothing of
    /// these settings is read so, and its network is built so.
    @Test func stylizerWithoutTheNewerSettingsIsTheFirstModelsRecipe() throws {
        var config = StylizerTrainingConfig()
        config.iterations = 1; config.imageSize = 64
        config.outputStage = .tanh150; config.upsampling = .nearest; config.noise = false
        let file = try Self.olderStylizer(config, without: ["outputStage", "upsampling", "noise", "tvMean", "paletteWeight",
                                                            "contentLayers", "contentLayerWeights", "styleSize"])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nst-old-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try file.write(to: url)
        let model = try StylizerModel.read(url).model
        let t = model.metadata.training
        #expect(t.outputStage == .tanh150 && t.upsampling == .nearest && !t.noise)
        #expect(model.network.outputStage == .tanh150 && model.network.upsampling == .nearest && !model.network.noise)
        #expect(!t.tvMean && t.paletteWeight == 0 && t.contentLayers == [.relu4_2] && t.contentLayerWeights == [1])
        #expect(t.styleSize == 128 && model.automaticWorkingSize(longestSide: 64) == 96)
    }

    /// Each setting on its own: a file from between two versions has some and not others.
    @Test func stylizerWithoutOneNewerSettingGetsItsOldMeaningOnly() throws {
        var config = StylizerTrainingConfig()
        config.iterations = 1
        config.contentLayers = [.relu3_3]; config.contentLayer = .relu3_3; config.contentLayerWeights = [2]
        let weights = try StylizerMetadata.decode(try Self.olderStylizer(config, without: ["contentLayerWeights"]), path: "old")
        #expect(weights.training.contentLayers == [.relu3_3] && weights.training.contentLayerWeights == [1])
        let layers = try StylizerMetadata.decode(try Self.olderStylizer(config, without: ["contentLayers", "contentLayerWeights"]), path: "old")
        #expect(layers.training.contentLayers == [.relu3_3])
        let noStyleSize = try StylizerMetadata.decode(try Self.olderStylizer(config, without: ["styleSize"]), path: "old")
        #expect(noStyleSize.training.styleSize == 2 * config.imageSize && noStyleSize.training.tvMean && noStyleSize.training.noise)
        // The settings a file from the first version has must all be there: a missing one is an error naming it.
        do {
            _ = try StylizerMetadata.decode(try Self.olderStylizer(config, without: ["imageSize"]), path: "old")
            Issue.record("decoded settings without imageSize")
        } catch { #expect("\(error)".contains("nst.training is not valid") && "\(error)".contains("imageSize"), "\(error)") }
    }

    // MARK: Decoders

    @Test(arguments: [VGGLayer.relu1_1, .relu2_1, .relu3_1, .relu4_1])
    func shippedDecoderLoadsWithTheOldKindKeyAndDefaultCrops(level: VGGLayer) throws {
        let url = Self.shipped("decoder-\(level.rawValue).safetensors")
        let old = try SafeTensorsFile.read(url)
        #expect(old.metadata[ModelFile.kindKey] == nil && old.metadata[ModelFile.legacyKindKey] == VGGDecoder.kind)
        #expect(ModelFileKind.kind(of: old.metadata) == VGGDecoder.kind)
        let decoder = try VGGDecoder(contentsOf: url, level: level)
        let record = DecoderRecord.decode(ModelFile(old))
        let t = try #require(record.training)
        #expect(t.level == level && record.iterationsDone == t.iterations && record.seconds != nil && !record.history.isEmpty)
        // None stores the orientations, only relu4_1 the colours; both read as what training used then.
        #expect(t.colors == .natural)
        #expect(t.orientations == (level == .relu4_1 ? .all : .mirror))
        #expect(t.effectivePhotoSize == (level == .relu4_1 ? 576 : 384))
        // Written again, the file keeps every key and setting it had, and now names its kind under both keys.
        var rewritten = decoder.modelFile
        record.encode(into: &rewritten)
        #expect(Set(rewritten.metadata.keys).isSuperset(of: old.metadata.keys) && rewritten.metadata[ModelFile.kindKey] == VGGDecoder.kind)
        #expect(try Self.keys(rewritten.metadata[ModelFile.settingsKey]).isSuperset(of: Self.keys(old.metadata[ModelFile.settingsKey])))
        #expect(DecoderRecord.decode(rewritten) == record)
    }

    /// A decoder checkpoint from before the crop settings existed resumes as a run with their defaults, and only so.
    @Test func decoderSettingsWithoutTheNewerOnesResumeAsTheirDefaults() throws {
        var first = DecoderTrainingConfig()
        first.level = .relu3_1; first.iterations = 400
        var settings = try JSONSerialization.jsonObject(with: Data(ModelFile.json(first).utf8)) as! [String: Any]
        settings["orientations"] = nil; settings["colors"] = nil
        let file = ModelFile(SafeTensorsFile(tensors: [:], metadata: [
            ModelFile.legacyKindKey: VGGDecoder.kind, "level": "relu3_1",
            ModelFile.settingsKey: String(decoding: try JSONSerialization.data(withJSONObject: settings), as: UTF8.self),
        ]))
        let old = try #require(DecoderRecord.decode(file).training)
        #expect(old.orientations == .mirror && old.colors == .natural && old.photoSize == nil && old.featureImages == nil)
        var same = first, all = first, permuted = first
        same.iterations = 800; all.orientations = .all; permuted.colors = .permuted
        #expect(old.isResumable(as: same) && !old.isResumable(as: all) && !old.isResumable(as: permuted))
    }
}
