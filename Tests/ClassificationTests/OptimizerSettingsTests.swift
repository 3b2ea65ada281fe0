// Tests for OptimizerSettings.swift and the optimiser parts of TrainingConfig / TrainingCheckpoint: defaults, the
// optimiser each setting builds, settings files written before AdaGrad and RMSProp existed, and what a resume accepts.
import Foundation
import NeuralCore
import Testing
@testable import Classification

@Suite struct OptimizerSettingsTests {
    /// `nst.training` exactly as the version before this one wrote it (sorted keys, no optimiser extras).
    static func olderSettings(optimizer: String, learningRate: String) -> String {
        #"{"augment":false,"batchSize":64,"epochs":10,"gamma":0.1,"learningRate":\#(learningRate),"maxShift":2,"#
            + #""momentum":0.9,"optimizer":"\#(optimizer)","schedule":"constant","seed":1,"stepEvery":5,"validationSplit":0.1,"weightDecay":0}"#
    }

    @Test func settingsWrittenBeforeTheNewOptimisersStillLoadAndResume() throws {
        let adam = try ModelFile.decoder.decode(TrainingConfig.self, from: Data(Self.olderSettings(optimizer: "adam", learningRate: "0.001").utf8))
        #expect(adam.optimizer == .adam && adam.epsilon == 1e-8)
        var now = TrainingConfig()
        now.useOptimizer(.adam)
        #expect(adam.isResumable(as: now))

        let sgd = try ModelFile.decoder.decode(TrainingConfig.self, from: Data(Self.olderSettings(optimizer: "sgd", learningRate: "0.05").utf8))
        #expect(!sgd.nesterov && sgd.epsilon == nil)
        let rmsprop = try ModelFile.decoder.decode(TrainingConfig.self, from: Data(Self.olderSettings(optimizer: "rmsprop", learningRate: "0.001").utf8))
        #expect(rmsprop.alpha == 0.99 && !rmsprop.centered && rmsprop.epsilon == 1e-8)
        let adagrad = try ModelFile.decoder.decode(TrainingConfig.self, from: Data(Self.olderSettings(optimizer: "adagrad", learningRate: "0.01").utf8))
        #expect(adagrad.epsilon == 1e-10)
        now.useOptimizer(.sgd, learningRate: 0.05)
        #expect(sgd.isResumable(as: now))
        now.useOptimizer(.sgd, learningRate: 0.05, nesterov: true)
        #expect(!sgd.isResumable(as: now))
    }

    @Test func newSettingsRoundTripThroughJSON() throws {
        var config = TrainingConfig()
        config.useOptimizer(.rmsprop, momentum: 0.5, alpha: 0.95, epsilon: 1e-6, centered: true)
        let json = ModelFile.json(config)
        #expect(try ModelFile.decoder.decode(TrainingConfig.self, from: Data(json.utf8)) == config)
        // Settings a rule ignores are left out of the file, and read back as their defaults.
        config.useOptimizer(.adam)
        #expect(!ModelFile.json(config).contains("alpha") && !ModelFile.json(config).contains("nesterov"))
        #expect(try ModelFile.decoder.decode(TrainingConfig.self, from: Data(ModelFile.json(config).utf8)) == config)
        config.useOptimizer(.sgd, nesterov: true)
        #expect(!ModelFile.json(config).contains("epsilon") && ModelFile.json(config).contains(#""nesterov":true"#))
        #expect(try ModelFile.decoder.decode(TrainingConfig.self, from: Data(ModelFile.json(config).utf8)) == config)
    }

    @Test func eachRuleGetsItsDefaults() {
        var config = TrainingConfig()
        config.useOptimizer(.sgd)
        #expect(config.learningRate == 0.01 && config.momentum == 0.9 && config.nesterov == false && config.epsilon == nil)
        config.useOptimizer(.adagrad)
        #expect(config.learningRate == 0.01 && config.epsilon == 1e-10 && !config.nesterov)
        config.useOptimizer(.rmsprop)
        #expect(config.learningRate == 0.001 && config.momentum == 0 && config.alpha == 0.99 && config.epsilon == 1e-8
                && config.centered == false)
        config.useOptimizer(.adam, learningRate: 0.002)
        #expect(config.learningRate == 0.002 && config.epsilon == 1e-8 && !config.centered)
    }

    @Test func theOptimiserBuiltMatchesTheSettings() throws {
        let p = Tensor(zeros: [2], requiresGrad: true)
        var config = TrainingConfig()
        config.weightDecay = 0.001
        config.useOptimizer(.sgd, learningRate: 0.03, momentum: 0.8, nesterov: true)
        let sgd = try #require(config.makeOptimizer(parameters: [p]) as? SGD)
        #expect(sgd.learningRate == 0.03 && sgd.momentum == 0.8 && sgd.nesterov && sgd.weightDecay == 0.001)
        config.useOptimizer(.adagrad, epsilon: 1e-7)
        let adagrad = try #require(config.makeOptimizer(parameters: [p]) as? AdaGrad)
        #expect(adagrad.learningRate == 0.01 && adagrad.epsilon == 1e-7 && adagrad.weightDecay == 0.001)
        config.useOptimizer(.rmsprop, momentum: 0.9, alpha: 0.9, centered: true)
        let rmsprop = try #require(config.makeOptimizer(parameters: [p]) as? RMSProp)
        #expect(rmsprop.alpha == 0.9 && rmsprop.momentum == 0.9 && rmsprop.centered && rmsprop.epsilon == 1e-8)
        config.useOptimizer(.adam)
        let adam = try #require(config.makeOptimizer(parameters: [p]) as? Adam)
        #expect(adam.learningRate == 0.001 && adam.epsilon == 1e-8)
    }

    @Test func descriptionsNameWhatTheRuleUses() {
        var config = TrainingConfig()
        config.useOptimizer(.rmsprop, centered: true)
        #expect(config.optimizerDescription == "rmsprop (lr 0.001, alpha 0.99, eps 1e-08, momentum 0, centered)")
        config.useOptimizer(.sgd, nesterov: true)
        #expect(config.optimizerDescription == "sgd (lr 0.01, momentum 0.9, Nesterov)")
        config.weightDecay = 0.0005
        config.useOptimizer(.adagrad)
        #expect(config.optimizerDescription == "adagrad (lr 0.01, eps 1e-10, weight decay 0.0005)")
    }

    @Test func resumeRefusesOtherOptimiserSettingsButIgnoresUnusedOnes() {
        var a = TrainingConfig(), b = TrainingConfig()
        a.useOptimizer(.rmsprop); b.useOptimizer(.rmsprop, alpha: 0.9)
        #expect(!a.isResumable(as: b))
        b.useOptimizer(.rmsprop, centered: true)
        #expect(!a.isResumable(as: b))
        b.useOptimizer(.rmsprop, epsilon: 1e-6)
        #expect(!a.isResumable(as: b))
        b.useOptimizer(.rmsprop)
        b.epochs = 99
        #expect(a.isResumable(as: b))
        // Adam ignores momentum: a file's stored 0.9 and a 0 agree.
        a.useOptimizer(.adam); b.useOptimizer(.adam, momentum: 0)
        #expect(a.isResumable(as: b))
    }

    @Test func sgdCheckpointsWithoutStateRestartMomentumButOtherRulesNeedTheirs() throws {
        let p = Tensor(zeros: [3], requiresGrad: true)
        // Checkpoints written before SGD saved its velocities hold no optimizer tensors.
        try OptimizerState.load([:], into: SGD(parameters: [p], learningRate: 0.1, momentum: 0.9), file: "old.checkpoint")
        #expect(throws: ModelFileError.self) {
            try OptimizerState.load([:], into: RMSProp(parameters: [p]), file: "x.checkpoint")
        }
        #expect(throws: ModelFileError.self) {
            try OptimizerState.load(["step": Tensor(scalar: 1)], into: SGD(parameters: [p], learningRate: 0.1, momentum: 0.9), file: "x")
        }
        let adagrad = AdaGrad(parameters: [p])
        #expect(Set(OptimizerCheckpoint.tensors(of: adagrad).keys) == ["optimizer.step", "optimizer.sum.0"])
    }
}
