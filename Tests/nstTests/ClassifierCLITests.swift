// Tests for TrainClassifier.swift, Evaluate.swift and Classify.swift: parsing, validation, and an end-to-end run on
// a tiny red-versus-blue image folder.
import ArgumentParser
import Classification
import Foundation
import ImageIO
import Networks
import NeuralCore
import Testing
@testable import nst

@Suite struct ClassifierCLITests {
    @Test func trainClassifierParsesTheIssuesOptions() throws {
        let command = try NST.parseAsRoot([
            "train-classifier", "--dataset", "fashion-mnist", "-o", "/tmp/m.safetensors", "--architecture", "bn-cnn",
            "--epochs", "3", "--batch-size", "32", "--optimizer", "sgd", "--learning-rate", "0.05", "--schedule", "cosine",
            "--weight-decay", "0.0005", "--validation-split", "0.2", "--seed", "7", "--augment", "--resume",
        ])
        let train = try #require(command as? NST.TrainClassifier)
        #expect(train.architecture == .bnCNN && train.epochs == 3 && train.batchSize == 32 && train.optimizer == .sgd)
        #expect(train.learningRate == 0.05 && train.schedule == .cosine && train.weightDecay == 0.0005)
        #expect(train.validationSplit == 0.2 && train.seed == 7 && train.augment && train.checkpointing.resume)
    }

    @Test func trainClassifierParsesTheOptimiserOptions() throws {
        let rmsprop = try #require(try NST.parseAsRoot([
            "train-classifier", "--dataset", "fashion-mnist", "-o", "m.safetensors", "--optimizer", "rmsprop", "--alpha", "0.9",
            "--eps", "1e-6", "--momentum", "0.5", "--centered",
        ]) as? NST.TrainClassifier)
        #expect(rmsprop.optimizer == .rmsprop && rmsprop.alpha == 0.9 && rmsprop.eps == 1e-6 && rmsprop.momentum == 0.5 && rmsprop.centered)
        #expect(rmsprop.learningRate == nil)
        let sgd = try #require(try NST.parseAsRoot([
            "train-classifier", "--dataset", "fashion-mnist", "-o", "m.safetensors", "--optimizer", "sgd", "--nesterov",
        ]) as? NST.TrainClassifier)
        #expect(sgd.optimizer == .sgd && sgd.nesterov && sgd.momentum == nil)
        let help = NST.helpMessage(for: NST.TrainClassifier.self, columns: 400)
        #expect(help.contains("sgd 0.01, adagrad 0.01, rmsprop 0.001, adam 0.001"))
        #expect(help.contains("adagrad (default 1e-10), rmsprop (default 1e-08), adam (default 1e-08)"))
    }

    /// Options given to a rule that does not use them, and values outside their range.
    @Test(arguments: [
        ["--optimizer", "adam", "--momentum", "0.9"], ["--optimizer", "adagrad", "--nesterov"], ["--optimizer", "sgd", "--eps", "1e-8"],
        ["--optimizer", "sgd", "--alpha", "0.9"], ["--optimizer", "adam", "--centered"], ["--optimizer", "rmsprop", "--nesterov"],
        ["--optimizer", "sgd", "--momentum", "0", "--nesterov"], ["--optimizer", "rmsprop", "--alpha", "1"],
        ["--optimizer", "adam", "--eps", "0"], ["--optimizer", "sgd", "--momentum", "-0.5"], ["--learning-rate", "0"],
    ])
    func optimiserOptionsOutsideTheirRuleAreRejected(options: [String]) {
        #expect(throws: (any Error).self) {
            try NST.parseAsRoot(["train-classifier", "--dataset", "fashion-mnist", "-o", "m.safetensors"] + options)
        }
    }

    /// Each rule from the command line: one epoch then `--resume` to a second gives the same model as two epochs
    /// straight (tolerance 0), and `nst info` names the rule and its settings.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"),
                   "Fashion-MNIST is not installed"),
          arguments: [["--optimizer", "sgd", "--nesterov"], ["--optimizer", "sgd", "--momentum", "0"], ["--optimizer", "adagrad"],
                      ["--optimizer", "rmsprop", "--momentum", "0.5", "--centered"], ["--optimizer", "adam", "--eps", "1e-7"]])
    func everyRuleTrainsAndResumesExactlyFromTheCommandLine(options: [String]) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nst-cli-o-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        func train(_ name: String, epochs: Int, resume: Bool = false) throws {
            var command = try NST.parseAsRoot(["train-classifier", "--dataset", "fashion-mnist", "-o", root.appendingPathComponent(name).path,
                                               "--limit", "96", "--batch-size", "16", "--hidden", "16", "--epochs", "\(epochs)",
                                               "--no-curve", "--quiet"] + options + (resume ? ["--resume"] : []))
            try command.run()
        }
        try train("straight.safetensors", epochs: 2)
        try train("resumed.safetensors", epochs: 1)
        try train("resumed.safetensors", epochs: 2, resume: true)
        let straight = try SafeTensorsFile.read(root.appendingPathComponent("straight.safetensors"))
        let resumed = try SafeTensorsFile.read(root.appendingPathComponent("resumed.safetensors"))
        #expect(Set(straight.tensors.keys) == Set(resumed.tensors.keys))
        for (name, tensor) in straight.tensors { #expect(tensor.data == resumed.tensors[name]?.data, "\(name) differs after --resume") }
        let info = try ModelInfo.read(root.appendingPathComponent("resumed.safetensors")).line
        #expect(info.contains("; 2 epochs") && info.contains("; \(options[1]) (lr "), "\(info)")
    }

    /// The optimiser comparison (nst-bench optimizers) trains exactly what `nst train-classifier` trains with the same
    /// settings: the same losses epoch by epoch (tolerance 0), so its page may list its runs as commands.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"),
                   "Fashion-MNIST is not installed"))
    func comparisonRunsAreTheCommandLinesRuns() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nst-cli-c-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let model = root.appendingPathComponent("rmsprop.safetensors").path
        var command = try NST.parseAsRoot(["train-classifier", "--dataset", "fashion-mnist", "-o", model, "--architecture", "seeds",
                                           "--epochs", "2", "--batch-size", "16", "--seed", "1", "--optimizer", "rmsprop",
                                           "--learning-rate", "0.001", "--limit", "96", "--hidden", "16", "--no-curve", "--quiet"])
        try command.run()
        let history = try ModelMetadata.decode(ModelFile(SafeTensorsFile.read(URL(fileURLWithPath: model))), path: model).history

        var base = TrainingConfig()
        base.epochs = 2; base.batchSize = 16; base.seed = 1
        let network = FashionCNNConfig(architecture: .seeds, hidden: 16)
        let data = try FashionMNIST.load(.train, limit: 96)
        let rule = try #require(OptimizerComparison.lectureRules(base: base).first { $0.name == "rmsprop" })
        let runs = try OptimizerComparison.run([rule], data: data, test: nil, metadata: ModelMetadata(fashion: network, labels: data.classNames),
                                               build: { try FashionCNN(config: network, weights: WeightStore(seed: 1)) })
        #expect(history.count == 2 && runs[0].history.map(\.trainLoss) == history.map(\.trainLoss))
        #expect(runs[0].history.map(\.validationLoss) == history.map(\.validationLoss))
    }

    @Test(arguments: [
        ["train-classifier", "-o", "m.safetensors"],
        ["train-classifier", "--dataset", "fashion-mnist", "--image-folder", "x", "-o", "m.safetensors"],
        ["train-classifier", "--dataset", "fashion-mnist", "-o", "m.safetensors", "--validation-split", "1"],
        ["train-classifier", "--image-folder", "x", "-o", "m.safetensors", "--layers", "relu9_9"],
        ["classify", "--model", "m.safetensors"],
        ["classify", "a.png", "--model", "m.safetensors", "--top", "0"],
        ["evaluate", "--model", "m.safetensors"],
    ])
    func badOptionCombinationsAreRejected(arguments: [String]) {
        #expect(throws: (any Error).self) { try NST.parseAsRoot(arguments) }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "weights/vgg16-imagenet.safetensors"), "VGG16 weights missing"))
    func trainEvaluateAndClassifyAnImageFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nst-cli-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: root) }
        var generator = SeededGenerator(seed: 4)
        for (name, rgb) in [("blue", [Float(0.1), 0.2, 0.9]), ("red", [Float(0.9), 0.1, 0.1])] {
            let folder = root.appendingPathComponent("data/\(name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for i in 0..<6 {
                let pixels = (0..<3).flatMap { c in (0..<(24 * 24)).map { _ in rgb[c] + generator.nextFloat(in: -0.1..<0.1) } }
                try Image(width: 24, height: 24, channels: 3, pixels: pixels.map { min(max($0, 0), 1) })
                    .save(to: folder.appendingPathComponent("\(i).png"))
            }
        }
        let model = root.appendingPathComponent("head.safetensors").path
        var train = try NST.parseAsRoot([
            "train-classifier", "--image-folder", root.appendingPathComponent("data").path, "-o", model, "--input-size", "32",
            "--epochs", "12", "--batch-size", "4", "--learning-rate", "0.01", "--validation-split", "0.25",
            "--no-feature-cache", "--quiet",
        ])
        try train.run()
        #expect(FileManager.default.fileExists(atPath: model))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("head-curve.png").path))
        #expect(FileManager.default.fileExists(atPath: model + ".checkpoint"))
        let curve = try Image.load(root.appendingPathComponent("head-curve.png"))
        #expect(curve.width == 640 && curve.height == 720)

        var evaluate = try NST.parseAsRoot(["evaluate", "--model", model, "--image-folder", root.appendingPathComponent("data").path,
                                            "--quiet", "--json"])
        try evaluate.run()
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("head-confusion.png").path))

        // classify accepts a folder; a 1×1 image inside it is reported and skipped, the others classified, and the
        // exit code (1) says that one failed.
        try Image(width: 1, height: 1, channels: 3, value: 0.5).save(to: root.appendingPathComponent("data/red/dot.png"))
        var classify = try NST.parseAsRoot(["classify", root.appendingPathComponent("data/red").path, "--model", model, "--top", "1", "--quiet"])
        #expect(throws: ExitCode(1)) { try classify.run() }
        var classifyGood = try NST.parseAsRoot(["classify", root.appendingPathComponent("data/red/0.png").path, "--model", model, "--quiet"])
        try classifyGood.run()

        // A fresh run would replace the checkpoint of the first: refused before any work, naming both ways out.
        var again = try NST.parseAsRoot([
            "train-classifier", "--image-folder", root.appendingPathComponent("data").path, "-o", model, "--input-size", "32",
            "--epochs", "12", "--no-feature-cache", "--quiet",
        ])
        do { try again.run(); Issue.record("a fresh run replaced an existing checkpoint") } catch {
            #expect("\(error)".contains("--resume") && "\(error)".contains("--overwrite"), "\(error)")
        }

        let mismatch = try NST.parseAsRoot(["classify", root.appendingPathComponent("nothing").path, "--model", model])
        var command = mismatch
        #expect(throws: (any Error).self) { try command.run() }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"),
                   "Fashion-MNIST is not installed"))
    func trainAndEvaluateOnAFashionMNISTSlice() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nst-cli-f-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let model = root.appendingPathComponent("f.safetensors").path
        var train = try NST.parseAsRoot(["train-classifier", "--dataset", "fashion-mnist", "-o", model, "--limit", "256",
                                         "--epochs", "2", "--hidden", "32", "--quiet"])
        try train.run()
        var resume = try NST.parseAsRoot(["train-classifier", "--dataset", "fashion-mnist", "-o", model, "--limit", "256",
                                          "--epochs", "3", "--hidden", "32", "--resume", "--quiet"])
        try resume.run()
        let curve = try Image.load(root.appendingPathComponent("f-curve.png"))
        #expect(curve.height == 720)
        var evaluate = try NST.parseAsRoot(["evaluate", "--model", model, "--dataset", "fashion-mnist", "--limit", "100", "--quiet"])
        try evaluate.run()
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("f-confusion.png").path))
        // Resuming with fewer epochs than the checkpoint has done is an error, not a silent no-op.
        var fewer = try NST.parseAsRoot(["train-classifier", "--dataset", "fashion-mnist", "-o", model, "--limit", "256",
                                         "--epochs", "2", "--hidden", "32", "--resume", "--quiet"])
        do { try fewer.run(); Issue.record("resuming 3 done epochs with --epochs 2 succeeded") } catch {
            #expect("\(error)".contains("has done 3 epochs, more than --epochs 2"), "\(error)")
        }
        // A resume with a different network is refused.
        var other = try NST.parseAsRoot(["train-classifier", "--dataset", "fashion-mnist", "-o", model, "--limit", "256",
                                         "--epochs", "4", "--hidden", "64", "--resume", "--quiet"])
        #expect(throws: (any Error).self) { try other.run() }
    }
}
