// The CLI's side of untrusted inputs (Stylize.swift, OutputChecks.swift, Info.swift, StylizeWithModel.swift):
// options a mode ignores are errors, outputs are checked before any work, files of the wrong kind say what they are,
// and `info` decodes every pixel, so its exit code means the image is usable.
import ArgumentParser
import Foundation
import ImageIO
import NeuralCore
import Testing
@testable import nst

@Suite struct UntrustedInputCLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nst-untrusted-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("a"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: url.appendingPathComponent("b"), withIntermediateDirectories: true)
        var photo = Image(width: 24, height: 20, channels: 3, value: 0.3)
        for i in photo.pixels.indices { photo.pixels[i] = Float((i * 7) % 13) / 13 }
        try photo.save(to: url.appendingPathComponent("a/photo.png"))
        try photo.save(to: url.appendingPathComponent("b/photo.jpg"))
        return url
    }

    @Test(arguments: [
        (["p.jpg", "--model", "m.safetensors", "--iterations", "10"], "--iterations does not apply with --model"),
        (["p.jpg", "--model", "m.safetensors", "--style-weight", "30"], "--style-weight does not apply with --model"),
        (["p.jpg", "--model", "m.safetensors", "--refine", "3"], "--refine does not apply with --model"),
        (["p.jpg", "--model", "m.safetensors", "--fast"], "--fast does not apply with --model"),
        (["p.jpg", "--model", "m.safetensors", "--pooling", "average"], "--pooling does not apply with --model"),
        (["p.jpg", "--model", "m.safetensors", "--style-scale", "0.5"], "--style-scale does not apply with --model"),
        (["c.jpg", "s.jpg", "--fast", "--pooling", "average"], "--pooling does not apply with --fast"),
        (["c.jpg", "s.jpg", "--fast", "--iterations", "50"], "--iterations does not apply with --fast"),
        (["c.jpg", "s.jpg", "--fast", "--scales", "2"], "--scales does not apply with --fast"),
        (["c.jpg", "s.jpg", "--fast", "--style-weight", "3"], "--style-weight only applies with --fast when --refine is given"),
        (["c.jpg", "s.jpg", "--levels", "relu1_1"], "--levels applies only with --fast"),
        (["c.jpg", "s.jpg", "--decoders", "weights"], "--decoders applies only with --fast"),
    ])
    func optionsAModeIgnoresAreErrors(arguments: [String], expected: String) {
        do {
            _ = try NST.parseAsRoot(["stylize"] + arguments)
            Issue.record("accepted \(arguments)")
        } catch {
            let message = NST.message(for: error)
            #expect(message.contains(expected), "\(message)")
            #expect(NST.exitCode(for: error) == .validationFailure)
        }
    }

    @Test(arguments: [
        (["--dataset", "fashion-mnist", "--input-size", "64"], "--input-size applies only with --image-folder"),
        (["--dataset", "fashion-mnist", "--layers", "relu4_1"], "--layers applies only with --image-folder"),
        (["--dataset", "fashion-mnist", "--no-feature-cache"], "--no-feature-cache applies only with --image-folder"),
        (["--image-folder", "x", "--augment"], "--augment applies only with --dataset fashion-mnist"),
        (["--image-folder", "x", "--architecture", "bn-cnn"], "--architecture applies only with --dataset fashion-mnist"),
        (["--dataset", "fashion-mnist", "--optimizer", "adam", "--momentum", "0.5"], "--momentum applies to --optimizer sgd or rmsprop only"),
        (["--dataset", "fashion-mnist", "--gamma", "0.5"], "--gamma applies only with --schedule step"),
    ])
    func trainClassifierOptionsTheRunIgnoresAreErrors(arguments: [String], expected: String) {
        do {
            _ = try NST.parseAsRoot(["train-classifier", "-o", "m.safetensors"] + arguments)
            Issue.record("accepted \(arguments)")
        } catch {
            #expect(NST.message(for: error).contains(expected), "\(NST.message(for: error))")
        }
    }

    @Test func optionsTheModeReadsAreAccepted() throws {
        _ = try NST.parseAsRoot(["train-classifier", "-o", "m.safetensors", "--dataset", "fashion-mnist", "--optimizer", "sgd",
                                 "--momentum", "0.5", "--schedule", "step", "--gamma", "0.5", "--augment", "--architecture", "bn-cnn"])
        _ = try NST.parseAsRoot(["train-classifier", "-o", "m.safetensors", "--image-folder", "x", "--input-size", "64", "--layers", "relu4_1"])
        _ = try NST.parseAsRoot(["stylize", "c.jpg", "s.jpg", "--fast", "--refine", "3", "--style-weight", "3", "--learning-rate", "5"])
        _ = try NST.parseAsRoot(["stylize", "c.jpg", "s.jpg", "--iterations", "5", "--pooling", "average", "--scales", "2"])
        _ = try NST.parseAsRoot(["stylize", "p.jpg", "--model", "m.safetensors", "--strength", "0.5", "--size", "64"])
    }

    /// Two photos named alike in different folders would both paint to photo-<model>.jpg: refused before the model
    /// is even read (the model path here does not exist).
    @Test func outputsTwoInputsWouldShareAreRefusedBeforeWork() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var command = try NST.parseAsRoot(["stylize", dir.appendingPathComponent("a").path, dir.appendingPathComponent("b").path,
                                           "--model", dir.appendingPathComponent("missing.safetensors").path,
                                           "--output-dir", dir.path, "--quiet"])
        do { try command.run(); Issue.record("ran") } catch {
            #expect("\(error)".contains("both") && "\(error)".contains("photo-missing.jpg"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("photo-missing.jpg").path))
    }

    @Test(arguments: [("out.tif", "extension .tif"), ("no/such/folder/out.jpg", "does not exist"), ("out", "no extension")])
    func badOutputsFailBeforeWork(output: String, expected: String) throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        // With --model, and with the default method: both fail on the output before reading any model or image.
        for arguments in [[dir.appendingPathComponent("a/photo.png").path, "--model", "missing.safetensors"],
                          [dir.appendingPathComponent("a/photo.png").path, dir.appendingPathComponent("b/photo.jpg").path]] {
            var command = try NST.parseAsRoot(["stylize"] + arguments + ["-o", dir.appendingPathComponent(output).path, "--quiet"])
            do { try command.run(); Issue.record("ran with -o \(output)") } catch {
                #expect("\(error)".contains(expected) && !"\(error)".contains("\n"), "\(error)")
            }
        }
    }

    /// A decoder handed to --model says what it is and where it belongs.
    @Test func aDecoderPassedAsModelSaysWhatItIs() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let decoder = Self.repository.appendingPathComponent("weights/decoder-relu1_1.safetensors").path
        var command = try NST.parseAsRoot(["stylize", dir.appendingPathComponent("a/photo.png").path, "--model", decoder,
                                           "-o", dir.appendingPathComponent("out.jpg").path, "--quiet"])
        do { try command.run(); Issue.record("painted with a decoder") } catch {
            #expect("\(error)" == "\(decoder): holds a VGG16 relu1_1 decoder (for --fast, in --decoders), not an nst stylizer model", "\(error)")
        }
    }

    /// `info` decodes the whole image: a file whose headers are intact but whose data is cut short is an error.
    @Test func infoDecodesEveryPixel() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var noisy = Image(width: 64, height: 48, channels: 3, value: 0)
        var generator = SeededGenerator(seed: 5)
        for i in noisy.pixels.indices { noisy.pixels[i] = generator.nextFloat(in: 0..<1) }
        for name in ["n.png", "n.jpg"] {
            let url = dir.appendingPathComponent(name)
            try noisy.save(to: url)
            let bytes = try Data(contentsOf: url)
            let cut = dir.appendingPathComponent("cut-" + name)
            try bytes.prefix(bytes.count * 2 / 3).write(to: cut)
            #expect(try NST.Info.describe(url.path).line.hasPrefix(url.path))
            #expect(throws: (any Error).self) { try NST.Info.describe(cut.path) }
            var command = try NST.parseAsRoot(["info", cut.path])
            #expect(throws: ExitCode(1)) { try command.run() }
        }
    }

    /// A stylizer checkpoint claiming more steps than its run: one-line error, no crash on resume.
    @Test func stylizerStepCountsMustBeInRange() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let shipped = try SafeTensorsFile.read(Self.repository.appendingPathComponent("weights/stylizer-wave.safetensors"))
        for (key, value, expected) in [("nst.iterations_done", "99999", "out of range"), ("nst.iterations_done", "-5", "out of range"),
                                       ("nst.wall_seconds", "nan", "out of range"), ("nst.architecture", "johnson", "disagrees")] {
            var metadata = shipped.metadata
            metadata[key] = value
            let url = dir.appendingPathComponent("crafted.safetensors")
            try SafeTensorsFile.write(tensors: shipped.tensors, metadata: metadata, to: url)
            var command = try NST.parseAsRoot(["stylize", dir.appendingPathComponent("a/photo.png").path, "--model", url.path,
                                               "-o", dir.appendingPathComponent("out.jpg").path, "--quiet"])
            do { try command.run(); Issue.record("\(key)=\(value) accepted") } catch {
                #expect("\(error)".hasPrefix(url.path + ": ") && "\(error)".contains(expected), "\(error)")
            }
        }
        var tensors = shipped.tensors
        tensors["extra.weight"] = Tensor(shape: [1], data: [0])
        let url = dir.appendingPathComponent("extra.safetensors")
        try SafeTensorsFile.write(tensors: tensors, metadata: shipped.metadata, to: url)
        var command = try NST.parseAsRoot(["stylize", dir.appendingPathComponent("a/photo.png").path, "--model", url.path,
                                           "-o", dir.appendingPathComponent("out.jpg").path, "--quiet"])
        do { try command.run(); Issue.record("extra tensor accepted") } catch {
            #expect("\(error)".contains("tensor extra.weight is not part of the light architecture"), "\(error)")
        }
    }

    /// `info` checks a model as loading it would: a classifier whose metadata disagrees with its network is an error,
    /// and a decoder's crafted wall time is shown as unknown, not a trap.
    @Test func infoChecksModelsAsLoadingWould() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let shipped = try SafeTensorsFile.read(Self.repository.appendingPathComponent("weights/fashion-mnist.safetensors"))
        var metadata = shipped.metadata
        metadata["nst.preprocessing"] = #"{"color":"gray","fit":"pad","inversion":"auto","size":200}"#
        let crafted = dir.appendingPathComponent("size200.safetensors")
        try SafeTensorsFile.write(tensors: shipped.tensors, metadata: metadata, to: crafted)
        #expect(throws: (any Error).self) { try NST.Info.describe(crafted.path) }

        let decoder = try SafeTensorsFile.read(Self.repository.appendingPathComponent("weights/decoder-relu1_1.safetensors"))
        for seconds in ["nan", "1e308", "-5"] {
            var meta = decoder.metadata
            meta["nst.wall_seconds"] = seconds
            let url = dir.appendingPathComponent("decoder.safetensors")
            try SafeTensorsFile.write(tensors: decoder.tensors, metadata: meta, to: url)
            #expect(try NST.Info.describe(url.path).line.contains("steps in ?"))
        }
    }
}
