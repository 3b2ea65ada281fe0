// Tests for ImageFolder.swift, FeatureCache.swift, ImagePreparation.swift and ClassifierModel.swift on tiny synthetic
// folders (red vs blue), plus the bad inputs: empty class folder, 1×1 image, labels that don't match the network.
import Foundation
import ImageIO
import Networks
import NeuralCore
import Testing
@testable import Classification

/// Writes `perClass` noisy 40×36 PNGs per colour into root/<name>/ and returns root.
func makeColourFolder(_ tag: String, classes: [(String, RGBColor)], perClass: Int = 8) throws -> URL {
    let root = try temporaryFolder(tag)
    var generator = SeededGenerator(seed: 21)
    for (name, colour) in classes {
        let folder = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for i in 0..<perClass {
            let (w, h) = (40, 36)
            var pixels = [Float](repeating: 0, count: 3 * w * h)
            for (c, v) in [colour.red, colour.green, colour.blue].enumerated() {
                for p in 0..<(w * h) { pixels[c * w * h + p] = min(1, max(0, v + generator.nextFloat(in: -0.15..<0.15))) }
            }
            try Image(width: w, height: h, channels: 3, pixels: pixels).save(to: folder.appendingPathComponent("\(i).png"))
        }
    }
    return root
}

let vggAvailable = FileManager.default.fileExists(atPath: VGG16Features.defaultWeightsURL().path)

@Suite struct ImageFolderTests {
    @Test(.enabled(if: vggAvailable, "VGG16 weights missing (run scripts/bootstrap)"))
    func headReachesFullValidationAccuracyOnRedVersusBlue() throws {
        let root = try makeColourFolder("rb", classes: [("blue", RGBColor(red: 0.1, green: 0.2, blue: 0.9)),
                                                        ("red", RGBColor(red: 0.9, green: 0.1, blue: 0.1))])
        defer { try? FileManager.default.removeItem(at: root) }
        // One unreadable file is skipped, not fatal.
        try Data("not an image".utf8).write(to: root.appendingPathComponent("red/broken.png"))
        let cache = root.appendingPathComponent(".cache")
        var training = TrainingConfig()
        training.epochs = 15; training.batchSize = 4; training.validationSplit = 0.25; training.learningRate = 1e-2
        let head = FeatureClassifierConfig(layers: [.relu3_3, .relu5_3], inputSize: 32)
        let outputs = TrainingOutputs(model: root.appendingPathComponent("head.safetensors"), checkpoint: nil, curve: nil)
        let summary = try ClassifierTraining.imageFolder(root, head: head, training: training, outputs: outputs, resume: false,
                                                         cacheDirectory: cache)
        #expect(summary.validationAccuracy == 1)
        #expect(summary.skipped.count == 1 && summary.skipped[0].file.hasSuffix("broken.png"))
        #expect(summary.trainingSamples + summary.validationSamples == 16)

        // The cache is used on the second run and gives the same features.
        let scanned = try ImageFolder.scan(root)
        var full = head; full.classes = 2
        let again = try FeatureCache.features(of: scanned, config: full, vgg: try VGG16Features(), cacheDirectory: cache)
        #expect(again.fromCache && again.dataset.count == 16 && again.skipped.count == 1)

        // The saved model classifies fresh images correctly.
        let model = try ClassifierModel(contentsOf: outputs.model)
        #expect(model.labels == ["blue", "red"])
        let predictions = model.classify([root.appendingPathComponent("red/3.png"), root.appendingPathComponent("blue/5.png")])
        let tops = predictions.map { p -> String in
            guard case .success(let probabilities) = p.result else { return "error" }
            return model.top(1, of: probabilities[...])[0].label
        }
        #expect(tops == ["red", "blue"])
    }

    @Test func emptyClassFolderIsAClearError() throws {
        let root = try makeColourFolder("empty", classes: [("a", .white)], perClass: 2)
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("b"), withIntermediateDirectories: true)
        do {
            _ = try ImageFolder.scan(root)
            Issue.record("scanned a folder with an empty class")
        } catch {
            #expect("\(error)".contains("/b/: no .jpg, .jpeg or .png files found"))
        }
    }

    @Test func oneClassIsNotEnough() throws {
        let root = try makeColourFolder("one", classes: [("a", .white)], perClass: 1)
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: ModelFileError.self) { try ImageFolder.scan(root) }
    }

    @Test func onePixelImageIsRejectedWithItsSize() {
        let tiny = Image(width: 1, height: 1, channels: 3, value: 0.5)
        do {
            _ = try Preprocessing.fashionMNIST.prepare(tiny, name: "dot.png")
            Issue.record("prepared a 1×1 image")
        } catch {
            #expect("\(error)" == "dot.png: image too small to classify (1×1 px; needs at least 8 px on each side)")
        }
    }

    @Test func fashionPreparationInvertsLightBackgroundsAndPads() throws {
        // A dark 20×10 bar on white: after auto inversion the bar is bright on black, padded to 28×28.
        var image = Image(width: 40, height: 20, channels: 1, value: 1)
        for y in 5..<15 { for x in 10..<30 { image[x: x, y: y, c: 0] = 0 } }
        let v = try Preprocessing.fashionMNIST.prepare(image, name: "bar.png")
        #expect(v.count == 28 * 28)
        #expect(v[0] < 0.05)                      // corner: background, now black (tolerance 0.05)
        #expect(v[14 * 28 + 14] > 0.95)           // centre: the bar, now white
        let kept = try Preprocessing.fashionMNIST.prepare(image, name: "bar.png", inversion: .never)
        #expect(kept[14 * 28 + 14] < 0.05)
    }

    @Test func labelsThatDoNotMatchTheNetworkAreRefused() throws {
        let folder = try temporaryFolder("labels")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = FashionCNNConfig(architecture: .seeds, classes: 2, side: 8, hidden: 4)
        let network = try FashionCNN(config: config, weights: WeightStore(seed: 1))
        var metadata = ModelMetadata(fashion: config, labels: ["a", "b"])
        metadata.labels = ["a", "b", "c"]
        let url = folder.appendingPathComponent("m.safetensors")
        try ClassifierModel.write(network: network, metadata: metadata, to: url)
        do {
            _ = try ClassifierModel(contentsOf: url)
            Issue.record("loaded a model whose labels don't match")
        } catch {
            #expect("\(error)".contains("3 labels but its network has 2 outputs"))
        }
    }

    @Test func nonClassifierFileIsRefused() throws {
        let folder = try temporaryFolder("notmodel")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("x.safetensors")
        try SafeTensorsFile.write(tensors: ["w": Tensor(zeros: [2])], metadata: [:], to: url)
        #expect(throws: ModelFileError.self) { try ClassifierModel(contentsOf: url) }
    }
}

@Suite struct EvaluationInputTests {
    @Test func classFoldersThatMatchNoLabelAreNamed() throws {
        let root = try makeColourFolder("eval", classes: [("a", .white), ("zzz", .black)], perClass: 1)
        defer { try? FileManager.default.removeItem(at: root) }
        let config = FashionCNNConfig(architecture: .seeds, classes: 2, side: 8, hidden: 4)
        let network = try FashionCNN(config: config, weights: WeightStore(seed: 1))
        let model = ClassifierModel(metadata: ModelMetadata(fashion: config, labels: ["a", "b"]), network: network, extractor: nil)
        do {
            _ = try model.evaluate(imageFolder: root)
            Issue.record("evaluated a folder whose classes don't match the labels")
        } catch {
            #expect("\(error)".contains("class folders zzz match none of the model's labels (a, b)"))
        }
    }
}
