// Tests for TrainClassifier.swift, Evaluate.swift and Classify.swift: parsing, validation, and an end-to-end run on
// a tiny red-versus-blue image folder.
import ArgumentParser
import Foundation
import ImageIO
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
        #expect(train.validationSplit == 0.2 && train.seed == 7 && train.augment && train.resume)
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
            "--feature-cache", "none", "--quiet",
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
            "--epochs", "12", "--feature-cache", "none", "--quiet",
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
