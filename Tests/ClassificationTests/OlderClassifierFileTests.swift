// Classifier files written by earlier versions still load: the shipped Fashion-MNIST model in weights/ predates
// the AdaGrad and RMSProp settings (its `nst.training` has no epsilon, alpha, centred or Nesterov setting), which
// read as the defaults its run used; written again, it keeps every key it had.
import Foundation
import NeuralCore
import Networks
import Testing
@testable import Classification

@Suite struct OlderClassifierFileTests {
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../weights/fashion-mnist.safetensors").standardizedFileURL

    @Test func shippedClassifierLoadsWithTheOptimiserDefaultsItWasTrainedWith() throws {
        let old = try SafeTensorsFile.read(Self.shipped)
        let stored = try JSONSerialization.jsonObject(with: Data(old.metadata[ModelFile.settingsKey]!.utf8)) as! [String: Any]
        #expect(stored["epsilon"] == nil && stored["alpha"] == nil && stored["nesterov"] == nil)

        let model = try ClassifierModel(contentsOf: Self.shipped)
        #expect(model.metadata.kind == .fashionCNN && model.labels.count == 10 && model.metadata.history.count == 12)
        let t = try #require(model.metadata.training)
        #expect(t.optimizer == .adam && t.epsilon == Adam.defaultEpsilon && !t.nesterov && !t.centered && t.alpha == 0.99)
        #expect(t.optimizerDescription == "adam (lr 0.002, eps 1e-08)")

        // As a checkpoint, it continues with the settings the command line gives today.
        var now = t
        now.useOptimizer(.adam, learningRate: 0.002)
        now.epochs = 20
        #expect(try TrainingCheckpoint.read(Self.shipped).training.isResumable(as: now))

        let rewritten = model.metadata.modelFile(tensors: old.tensors)
        #expect(Set(rewritten.metadata.keys).isSuperset(of: old.metadata.keys))
        let settings = try JSONSerialization.jsonObject(with: Data(rewritten.metadata[ModelFile.settingsKey]!.utf8)) as! [String: Any]
        #expect(Set(settings.keys).isSuperset(of: stored.keys))
        #expect(try ModelMetadata.decode(rewritten, path: "again") == model.metadata)
    }
}
