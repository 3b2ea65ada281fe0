// The stylised objective of `nst train-decoder --style-weight`: which layers it compares, that each crop is paired with
// the style crop at its own batch position, that its gradient reaches the decoder and lowers it, that a run started
// from a decoder file records its settings, and that settings written before the objective read as reconstruction.
import Foundation
import ImageIO
import NeuralCore
import Networks
import Testing
@testable import StyleTransfer

@Suite struct StylisedObjectiveTests {
    static let vgg = try! VGG16Features(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../weights/vgg16-imagenet.safetensors"))

    /// A VGG-space batch of `n` 32×32 images of smooth random colour fields (distinct per seed).
    static func batch(_ n: Int, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        let images = (0..<n).map { _ -> Tensor in
            var image = Image(width: 32, height: 32, channels: 3)
            let f = (0..<6).map { _ in Float.random(in: 0.05...0.4, using: &generator) }
            for c in 0..<3 { for y in 0..<32 { for x in 0..<32 {
                image.pixels[(c * 32 + y) * 32 + x] = 0.5 + 0.4 * sin(f[c] * Float(x) + f[c + 3] * Float(y) + Float(c))
            } } }
            return VGG16Features.preprocess(image)
        }
        return Tensor.concat(images, axis: 0)
    }

    @Test func styleLayersAreEachBlocksFirstReLUUpToTheLevel() {
        #expect(DecoderTraining.styleLayers(upTo: .relu1_1) == [.relu1_1])
        #expect(DecoderTraining.styleLayers(upTo: .relu3_1) == [.relu1_1, .relu2_1, .relu3_1])
    }

    @Test func eachCropIsTransformedWithTheStyleAtItsOwnPosition() throws {
        let content = Self.vgg.features(Self.batch(2, seed: 1), at: [.relu2_1])[.relu2_1]!
        let style = Self.vgg.features(Self.batch(2, seed: 2), at: [.relu2_1])[.relu2_1]!
        let both = try DecoderTraining.transformed(content: content, style: style)
        #expect(both.shape == content.shape)
        let plane = content.count / 2
        func item(_ t: Tensor, _ i: Int) -> Tensor {
            Tensor(shape: [1] + t.shape.dropFirst(), data: Array(t.data[i * plane..<(i + 1) * plane]))
        }
        for i in 0..<2 {
            let alone = try WCT.transform(content: item(content, i), styles: [item(style, i)])
            // Tolerance 0: the same computation on the same numbers.
            #expect(Array(both.data[i * plane..<(i + 1) * plane]) == alone.data, "image \(i)")
        }
        let swapped = try WCT.transform(content: item(content, 0), styles: [item(style, 1)])
        #expect(Array(both.data[0..<plane]) != swapped.data)
    }

    /// One small Adam step along the objective's gradient lowers the objective on the same crops: the gradient goes
    /// through the re-encoding and the Gram matrices to the decoder's weights, with the right sign.
    @Test func aStepAlongTheGradientLowersTheObjective() throws {
        let decoder = try VGGDecoder(level: .relu2_1, weights: WeightStore(seed: 4))
        let x = Self.batch(2, seed: 5), s = Self.batch(2, seed: 6)
        func objective() throws -> Tensor {
            let terms = try DecoderTraining.stylisedLoss(decoder: decoder, vgg: Self.vgg, content: x, style: s)
            #expect(terms.feature.item().isFinite && terms.style.item() > 0)
            return terms.feature + terms.style * 10
        }
        let before = try objective()
        before.backward()
        #expect(decoder.parameters.allSatisfy { $0.grad != nil })
        let adam = Adam(parameters: decoder.parameters, learningRate: 1e-4)
        adam.step()
        adam.zeroGrad()
        let after = try withoutGradients { try objective() }
        #expect(after.item() < before.item(), "objective \(before.item()) → \(after.item())")
    }

    /// Two stylised steps on one photo, started from a decoder file: the record keeps the style term and the settings
    /// (start file, style weight) and a resume goes on with them.
    @Test func fineTuningFromAFileRecordsItsSettingsAndResumes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nst-stylised-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var photo = Image(width: 48, height: 40, channels: 3)
        for k in photo.pixels.indices { photo.pixels[k] = Float((k * 37) % 251) / 251 }
        try photo.save(to: dir.appendingPathComponent("p.png"))
        let start = dir.appendingPathComponent("start.safetensors")
        try VGGDecoder(level: .relu1_1, weights: WeightStore(seed: 9)).modelFile.write(to: start)

        var config = DecoderTrainingConfig()
        config.level = .relu1_1; config.imageSize = 32; config.batchSize = 2; config.iterations = 2
        config.styleWeight = 1; config.initialModel = start.path; config.learningRate = 1e-4
        let output = dir.appendingPathComponent("d.safetensors"), checkpoint = dir.appendingPathComponent("d.ckpt")
        func train(stopAfter: Int? = nil, resume: Bool = false) throws -> DecoderTrainingResult {
            try DecoderTraining.run(config: config, contentFolders: [dir], output: output, checkpoint: checkpoint,
                                    checkpointEvery: 1, curve: nil, resume: resume, vgg: Self.vgg, stopAfter: stopAfter)
        }
        let first = try train(stopAfter: 1)
        #expect(first.history.last?.style.map { $0 > 0 } == true && first.history.last?.pixel == 0)
        config.initialModel = nil   // as `--resume` gives it (the CLI refuses --init-model with --resume)
        let resumed = try train(resume: true)
        #expect(resumed.iterationsDone == 2)
        let record = DecoderRecord.decode(ModelFile(try SafeTensorsFile.read(output)))
        #expect(record.training?.styleWeight == 1 && record.training?.initialModel == start.path)
        #expect(record.history.last?.style != nil)
    }

    @Test func settingsFromBeforeTheObjectiveReadAsReconstruction() throws {
        var old = try JSONSerialization.jsonObject(with: JSONEncoder().encode(DecoderTrainingConfig())) as! [String: Any]
        old["styleWeight"] = nil; old["initialModel"] = nil
        let decoded = try JSONDecoder().decode(DecoderTrainingConfig.self, from: JSONSerialization.data(withJSONObject: old))
        #expect(decoded.styleWeight == 0 && decoded.initialModel == nil && decoded == DecoderTrainingConfig())
        var negative = DecoderTrainingConfig()
        negative.styleWeight = -1
        #expect(negative.problem?.contains("--style-weight") == true)
    }
}
