// VGGDecoder: mirrored layer shapes, output size 2^(b−1) times the feature map (odd sizes too), gradients that match
// finite differences, and a save/load round trip with its metadata checks.
import Foundation
import NeuralCore
import Testing
import TestSupport
@testable import Networks

@Suite struct VGGDecoderTests {
    @Test(arguments: VGGDecoder.supportedLevels)
    func outputIsAnImageScaledUpByTheBlockFactor(level: VGGLayer) throws {
        let decoder = try VGGDecoder(level: level, weights: WeightStore(seed: 1))
        let features = randomTensor([1, level.channels, 3, 5], seed: 2, in: 0..<1)   // odd sizes
        let image = withoutGradients { decoder(features) }
        let factor = 1 << (level.block - 1)
        #expect(image.shape == [1, 3, 3 * factor, 5 * factor])
        #expect(image.data.allSatisfy { $0.isFinite })
    }

    @Test func relu4_1MirrorsVGG16() throws {
        let decoder = try VGGDecoder(level: .relu4_1, weights: WeightStore(seed: 1))
        let shapes = decoder.parameters.filter { $0.shape.count == 4 }.map(\.shape)
        // conv4_1 (256→512), conv3_3, conv3_2, conv3_1 (128→256), conv2_2, conv2_1 (64→128), conv1_2, conv1_1 (3→64), reversed.
        #expect(shapes == [[256, 512, 3, 3], [256, 256, 3, 3], [256, 256, 3, 3], [128, 256, 3, 3],
                           [128, 128, 3, 3], [64, 128, 3, 3], [64, 64, 3, 3], [3, 64, 3, 3]])
        #expect(decoder.parameters.count == 16)   // weight + bias each
        #expect(decoder.store.parameters.first?.name == "dec4_1.weight")
        #expect(throws: VGGDecoderError.self) { try VGGDecoder(level: .relu4_2, weights: WeightStore(seed: 1)) }
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        let decoder = try VGGDecoder(level: .relu2_1, weights: WeightStore(seed: 3))
        let features = randomTensorAwayFromZero([1, 128, 2, 3], seed: 4)
        let bias = decoder.parameters.last!   // dec1_1 bias [3]; conv weight gradients are checked in NeuralCore's tests
        // ε = 1e-2, relative error ≤ 2e-2 in Float32 (a ReLU kink within ε of a unit is rare at these sizes).
        let check = checkGradients(of: { _ in decoder(features) }, at: [features, bias], epsilon: 1e-2, tolerance: 2e-2)
        #expect(check.passed, "\(check)")
        // Every parameter receives a gradient, not only the checked ones.
        for p in decoder.parameters { p.grad = nil }
        decoder(features).sum().backward()
        for p in decoder.parameters { #expect(p.grad.map { $0.contains { $0 != 0 } } == true) }
    }

    @Test func saveLoadRoundTripAndMetadataChecks() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nst-decoder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let decoder = try VGGDecoder(level: .relu2_1, weights: WeightStore(seed: 5))
        let url = folder.appendingPathComponent("d.safetensors")
        try decoder.save(to: url, extra: ["steps": "10", "kind": "ignored"])
        let file = try SafeTensorsFile.read(url)
        #expect(file.metadata["kind"] == "vgg16-decoder" && file.metadata["level"] == "relu2_1" && file.metadata["steps"] == "10")

        let loaded = try VGGDecoder(contentsOf: url, level: .relu2_1)
        let x = randomTensor([1, 128, 2, 2], seed: 6)
        #expect(loaded.scale == VGGDecoder.defaultScale && file.metadata["scale"] == "255.0")
        #expect(withoutGradients { maxAbsDifference(loaded(x).data, decoder(x).data) } == 0)

        // A file without "scale" (trained before it existed) works at scale 1, which changes the output;
        // a scale that is not a positive number is refused.
        var legacy = file.metadata
        legacy["scale"] = nil
        try SafeTensorsFile.write(tensors: file.tensors, metadata: legacy, to: url)
        let old = try VGGDecoder(contentsOf: url, level: .relu2_1)
        #expect(old.scale == 1)
        #expect(withoutGradients { maxAbsDifference(old(x).data, decoder(x).data) } > 0)
        legacy["scale"] = "-3"
        try SafeTensorsFile.write(tensors: file.tensors, metadata: legacy, to: url)

        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "no error" } catch { return "\(error)" }
        }
        #expect(message { _ = try VGGDecoder(contentsOf: url, level: .relu2_1) }
                == "\(url.path): decoder weights do not fit a vgg16-decoder (metadata scale '-3' is not a positive number)")
        #expect(message { _ = try VGGDecoder(contentsOf: url, level: .relu3_1) }
                == "\(url.path): decoder is for level 'relu2_1', expected relu3_1")
        let missing = folder.appendingPathComponent("none.safetensors")
        #expect(message { _ = try VGGDecoder(contentsOf: missing, level: .relu3_1) }
                == "\(missing.path): decoder for relu3_1 not found (train it with nst train-decoder --level relu3_1)")
    }
}

/// Every nst model file names its kind under `nst.kind`; decoders written before 2026-12-06 name it under `kind`
/// only, and are still recognised.
@Suite struct ModelFileKindTests {
    @Test func kindIsReadUnderOneKeyWithTheOldDecoderKeyAsFallback() {
        #expect(ModelFileKind.kind(of: ["nst.kind": "stylizer"]) == "stylizer")
        #expect(ModelFileKind.kind(of: ["kind": VGGDecoder.kind, "level": "relu4_1"]) == VGGDecoder.kind)
        #expect(ModelFileKind.kind(of: ["kind": "something-else"]) == nil)
        #expect(ModelFileKind.describe(["kind": VGGDecoder.kind, "level": "relu4_1"])?.contains("decoder") == true)
    }

    @Test func newDecodersWriteBothKeys() throws {
        let decoder = try VGGDecoder(level: .relu1_1, weights: WeightStore(seed: 1))
        #expect(decoder.metadata["nst.kind"] == VGGDecoder.kind && decoder.metadata["kind"] == VGGDecoder.kind)
    }
}
