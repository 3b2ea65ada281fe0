// VGG16Features: the shipped weights load with checked shapes, the Caffe input convention round-trips, features stop
// at the deepest layer asked for, and bad weight files give one-line errors.
import Foundation
import ImageIO
import NeuralCore
import Testing
@testable import Networks

@Suite struct VGG16Tests {
    static let weightsURL = sourceRelative("../../weights/vgg16-imagenet.safetensors")

    @Test func shippedWeightsLoadAndGiveFeaturesOfTheRightShape() throws {
        let vgg = try VGG16Features(contentsOf: Self.weightsURL)
        let x = VGG16Features.preprocess(Image(width: 37, height: 21, channels: 3, value: 0.5))
        let features = withoutGradients { vgg.features(x, at: [.relu1_1, .relu3_1]) }
        #expect(Set(features.keys) == [.relu1_1, .relu3_1])
        #expect(features[.relu1_1]!.shape == [1, 64, 21, 37])
        #expect(features[.relu3_1]!.shape == [1, 256, 5, 9])   // two floor-halvings: 21→10→5, 37→18→9
        #expect(features[.relu3_1]!.data.allSatisfy { $0 >= 0 && $0.isFinite })
    }

    @Test func preprocessIsBGRMeanSubtractedAndInverts() {
        let image = Image(width: 2, height: 1, channels: 3, pixels: [1, 0, 0.5, 0.25, 0, 1])   // planar R, G, B
        let x = VGG16Features.preprocess(image)
        // B plane first: B = [0, 1]·255 − 103.939; then G, then R.
        let expected: [Float] = [-103.939, 255 - 103.939, 127.5 - 116.779, 63.75 - 116.779, 255 - 123.68, -123.68]
        for (a, b) in zip(x.data, expected) { #expect(abs(a - b) < 1e-3) }   // tolerance: Float32 rounding
        let back = VGG16Features.deprocess(x)
        for (a, b) in zip(back.pixels, image.pixels) { #expect(abs(a - b) < 1e-5) }
    }

    @Test func layerNamesParseAndUnknownOnesAreNamed() throws {
        #expect(try VGGLayer.parseList("relu1_1, relu4_2") == [.relu1_1, .relu4_2])
        #expect(throws: VGGError.self) { try VGGLayer.parseList("relu1_1,conv9_9") }
        do { _ = try VGGLayer.parseList("relu9_1"); Issue.record("no error") }
        catch { #expect("\(error)".hasPrefix("unknown VGG16 layer 'relu9_1'")) }
    }

    @Test func missingAndMismatchedWeightsSayHowToRegenerate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nst-vgg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("none.safetensors")
        #expect(throws: VGGError.self) { try VGG16Features(contentsOf: missing) }

        let wrong = folder.appendingPathComponent("wrong.safetensors")
        try SafeTensorsFile.write(tensors: ["conv1_1.weight": Tensor(zeros: [8, 3, 3, 3]), "conv1_1.bias": Tensor(zeros: [8])],
                                  metadata: [:], to: wrong)
        do { _ = try VGG16Features(contentsOf: wrong); Issue.record("no error") }
        catch {
            let text = "\(error)"
            #expect(text.contains("conv1_1.weight has shape [8, 3, 3, 3], expected [64, 3, 3, 3]"))
            #expect(text.contains("scripts/convert-vgg16") && !text.contains("\n"))
        }

        let corrupt = folder.appendingPathComponent("corrupt.safetensors")
        try Data([1, 2, 3]).write(to: corrupt)
        #expect(throws: VGGError.self) { try VGG16Features(contentsOf: corrupt) }
    }
}
