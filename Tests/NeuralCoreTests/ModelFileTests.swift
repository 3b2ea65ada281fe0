// The one model-file codec: what a kind writes (kind, settings, strings, JSON, optimiser state) reads back the same
// from disk, old decoders' `kind` key counts only for the kinds that once used it, and a missing or unreadable
// field is one error naming its key.
import Foundation
import Testing
@testable import NeuralCore

@Suite struct ModelFileTests {
    struct Settings: Codable, Equatable { var size: Int; var rate: Float }

    @Test func whatIsWrittenReadsBackFromDisk() throws {
        let p = Tensor(shape: [2], data: [1, 2], requiresGrad: true)
        let adam = Adam(parameters: [p], learningRate: 0.1)
        (p * p).sum().backward(); adam.step(); adam.zeroGrad()
        var file = ModelFile(kind: "toy", tensors: ["w": p])
        file.setSettings(Settings(size: 3, rate: 0.5))
        file.setJSON([1.5, Float.nan], for: ModelFile.historyKey)   // a diverged run's loss is kept, not a failed save
        file.setWallSeconds(12.34)
        file.metadata[ModelFile.stepsDoneKey] = "7"
        file.addOptimizerState(of: adam)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nst-modelfile-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try file.write(to: url)

        let read = ModelFile(try SafeTensorsFile.read(url))
        #expect(ModelFile.kind(of: read.metadata) == "toy")
        #expect(try read.settings(Settings.self) == Settings(size: 3, rate: 0.5))
        let history = try read.json([Float].self, ModelFile.historyKey)
        #expect(history.count == 2 && history[0] == 1.5 && history[1].isNaN)
        #expect(try read.wallSeconds() == 12.3 && read.metadata[ModelFile.wallSecondsKey] == "12.3")
        #expect(try read.number(Int.self, ModelFile.stepsDoneKey) == 7)
        #expect(Set(read.modelTensors.keys) == ["w"] && !read.optimizerState.isEmpty)
        let restored = Adam(parameters: [Tensor(shape: [2], data: [1, 2], requiresGrad: true)], learningRate: 0.1)
        try read.restoreOptimizer(restored)
        #expect(OptimizerCheckpoint.tensors(of: restored).mapValues(\.data) == OptimizerCheckpoint.tensors(of: adam).mapValues(\.data))
    }

    @Test func theOldKindKeyCountsOnlyForKindsThatUsedIt() {
        #expect(ModelFile.kind(of: ["nst.kind": "stylizer"]) == "stylizer")
        #expect(ModelFile.kind(of: ["kind": "vgg16-decoder"], legacyKinds: ["vgg16-decoder"]) == "vgg16-decoder")
        #expect(ModelFile.kind(of: ["kind": "vgg16-decoder"]) == nil)
        #expect(ModelFile.kind(of: ["kind": "transformer-net"], legacyKinds: ["vgg16-decoder"]) == nil)
        #expect(ModelFile.kind(of: ["nst.kind": "a", "kind": "vgg16-decoder"], legacyKinds: ["vgg16-decoder"]) == "a")
    }

    @Test func missingOrBadFieldsNameTheirKey() throws {
        let file = ModelFile(SafeTensorsFile(tensors: [:], metadata: [
            "nst.training": #"{"size":"three","rate":1}"#, "nst.iterations_done": "seven", "nst.wall_seconds": "-1",
        ]))
        func problem(_ body: () throws -> Void) -> String {
            do { try body(); return "no error" } catch { return "\(error)" }
        }
        #expect(problem { _ = try file.string("nst.style") } == "metadata nst.style is missing")
        #expect(problem { _ = try file.number(Int.self, "nst.iterations_done") } == "metadata nst.iterations_done is not a number")
        #expect(problem { _ = try file.wallSeconds() } == "metadata nst.wall_seconds is out of range (not a finite, non-negative number)")
        let settings = problem { _ = try file.settings(Settings.self) }
        #expect(settings.hasPrefix("metadata nst.training is not valid JSON for its type") && settings.contains("size")
                && !settings.contains("\n"), "\(settings)")
        #expect(try ModelFile(SafeTensorsFile(tensors: [:])).settings(Settings.self) == nil)
    }
}
