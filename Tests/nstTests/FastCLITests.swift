// `nst train-decoder` and `nst stylize --fast` at toy sizes: a short decoder training run, resume, the model file
// described by `nst info`, a --fast result from it, and a missing decoder reported with the command that makes it.
import ArgumentParser
import Foundation
import ImageIO
import StyleTransfer
import Testing
@testable import nst

@Suite(.serialized) struct FastCLITests {
    static let weights = StylizeCLITests.weights

    func workspace() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nst-fast-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("photos"), withIntermediateDirectories: true)
        for i in 0..<2 {
            var image = Image(width: 40, height: 36 + 4 * i, channels: 3, value: 0)
            for k in image.pixels.indices { image.pixels[k] = Float((k * (i + 2)) % 13) / 13 }
            try image.save(to: dir.appendingPathComponent("photos/p\(i).png"))
        }
        return dir
    }

    func trainDecoder(_ dir: URL, iterations: Int, resume: Bool = false, stop: Bool = false) throws {
        let command = try #require(try NST.parseAsRoot([
            "train-decoder", "--level", "relu1_1", "--content-dir", dir.appendingPathComponent("photos").path,
            "-o", dir.appendingPathComponent("decoder-relu1_1.safetensors").path, "--image-size", "32", "--batch-size", "2",
            "--iterations", String(iterations), "--checkpoint-every", "2", "--learning-rate", "0.01", "--orientations", "all",
            "--colors", "permuted", "--photo-size", "40", "--feature-images", "1", "--quiet",
            "--vgg-weights", Self.weights] + (resume ? ["--resume"] : [])) as? NST.TrainDecoder)
        try command.run()
    }

    @Test func trainResumeDescribeAndPaintFast() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        try trainDecoder(dir, iterations: 4)
        try trainDecoder(dir, iterations: 6, resume: true)   // two more steps from the checkpoint
        let model = dir.appendingPathComponent("decoder-relu1_1.safetensors").path
        let line = try NST.Info.describe(model).line
        #expect(line.contains("VGG16 decoder for relu1_1") && line.contains("6/6 steps") && line.contains("all 8 orientations, colours permuted, from photos at most 40 px on the short side")
                && line.contains("on 1 of 2 images"), "\(line)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("decoder-relu1_1-loss.png").path))

        let photo = dir.appendingPathComponent("photos/p0.png").path, style = dir.appendingPathComponent("photos/p1.png").path
        let out = dir.appendingPathComponent("fast.png").path
        let fast = try #require(try NST.parseAsRoot(["stylize", photo, style, "--fast", "--levels", "relu1_1",
                                                     "--decoders", dir.path, "--strength", "0.7", "-o", out, "--quiet",
                                                     "--vgg-weights", Self.weights]) as? NST.Stylize)
        try fast.run()
        let image = try Image.load(URL(fileURLWithPath: out))
        #expect(image.width == 40 && image.height == 36)

        // Without --size a photo keeps its own size up to 1024 px (past the optimisation's 512 default); wider ones
        // are brought down to 1024.
        for (width, expected) in [(700, 700), (1100, 1024)] {
            var wide = Image(width: width, height: 20, channels: 3, value: 0)
            for k in wide.pixels.indices { wide.pixels[k] = Float(k % 11) / 11 }
            let widePhoto = dir.appendingPathComponent("wide\(width).png")
            try wide.save(to: widePhoto)
            let wideOut = dir.appendingPathComponent("wide\(width)-fast.png").path
            let command = try #require(try NST.parseAsRoot(["stylize", widePhoto.path, style, "--fast", "--levels", "relu1_1",
                                                            "--decoders", dir.path, "-o", wideOut, "--quiet",
                                                            "--vgg-weights", Self.weights]) as? NST.Stylize)
            try command.run()
            let painted = try Image.load(URL(fileURLWithPath: wideOut))
            #expect(painted.width == expected, "\(width) px wide photo")
        }

        // --style-scale takes the painting's statistics at another size, so the result changes.
        let scaled = dir.appendingPathComponent("scaled.png").path
        let scale = try #require(try NST.parseAsRoot(["stylize", photo, style, "--fast", "--levels", "relu1_1",
                                                      "--decoders", dir.path, "--strength", "0.7", "--style-scale", "0.5",
                                                      "-o", scaled, "--quiet", "--vgg-weights", Self.weights]) as? NST.Stylize)
        try scale.run()
        let smallStyle = try Image.load(URL(fileURLWithPath: scaled))
        #expect(smallStyle.width == 40 && smallStyle.height == 36)
        #expect(zip(smallStyle.pixels, image.pixels).contains { abs($0 - $1) > 2 / 255 })

        // --refine: optimiser steps from the transform's result, at the same size.
        let refined = dir.appendingPathComponent("refined.png").path
        let refine = try #require(try NST.parseAsRoot(["stylize", photo, style, "--fast", "--levels", "relu1_1",
                                                       "--decoders", dir.path, "--strength", "0.7", "--refine", "2", "--optimizer", "adam", "-o", refined, "--quiet",
                                                       "--vgg-weights", Self.weights]) as? NST.Stylize)
        try refine.run()
        let second = try Image.load(URL(fileURLWithPath: refined))
        #expect(second.width == 40 && second.height == 36)
        #expect(zip(second.pixels, image.pixels).contains { abs($0 - $1) > 2 / 255 })   // Adam steps of 10 pixel units
        // --finish 0 leaves the decoders' result: it differs from the default's (one finishing step, RMS 10/255).
        let unfinished = dir.appendingPathComponent("unfinished.png").path
        let plain = try #require(try NST.parseAsRoot(["stylize", photo, style, "--fast", "--levels", "relu1_1",
                                                      "--decoders", dir.path, "--strength", "0.7", "--finish", "0", "-o", unfinished,
                                                      "--quiet", "--vgg-weights", Self.weights]) as? NST.Stylize)
        try plain.run()
        let decoded = try Image.load(URL(fileURLWithPath: unfinished))
        #expect(zip(decoded.pixels, image.pixels).contains { abs($0 - $1) > 2 / 255 })
        // A folder of photos: one output per photo in --output-dir, <photo>-<painting>.jpg; -o with several is refused.
        let painted = dir.appendingPathComponent("painted")
        try FileManager.default.createDirectory(at: painted, withIntermediateDirectories: true)
        let photos = dir.appendingPathComponent("photos").path
        let folder = try #require(try NST.parseAsRoot(["stylize", photos, style, "--fast", "--levels", "relu1_1", "--decoders", dir.path,
                                                       "--output-dir", painted.path, "--quiet", "--vgg-weights", Self.weights]) as? NST.Stylize)
        try folder.run()
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: painted.path)) == ["p0-p1.jpg", "p1-p1.jpg"])
        #expect(try Image.load(painted.appendingPathComponent("p1-p1.jpg")).height == 40)
        let oneOutput = try #require(try NST.parseAsRoot(["stylize", photos, style, "--fast", "--levels", "relu1_1", "--decoders", dir.path,
                                                          "-o", out, "--quiet", "--vgg-weights", Self.weights]) as? NST.Stylize)
        #expect(throws: (any Error).self) { try oneOutput.run() }
        #expect(throws: (any Error).self) { try NST.parseAsRoot(["stylize", photo, style, "--output-dir", painted.path]) }
        #expect(throws: (any Error).self) { try NST.parseAsRoot(["stylize", photo, style, "--finish", "2"]) }
        #expect(throws: (any Error).self) { try NST.parseAsRoot(["stylize", photo, style, "--fast", "--finish", "-1"]) }
        #expect(throws: (any Error).self) { try NST.parseAsRoot(["stylize", photo, style, "--refine", "2"]) }
        #expect(throws: (any Error).self) { try NST.parseAsRoot(["stylize", photo, style, "--fast", "--init-image", photo]) }
    }

    @Test func refineUsesAdamUnlessAnotherOptimiserIsNamed() throws {
        let plain = try #require(try NST.parseAsRoot(["stylize", "c.jpg", "s.jpg", "--fast", "--refine", "5"]) as? NST.Stylize)
        #expect(plain.optimizer == nil)
        #expect(plain.optimizer == nil && Gatys.refineOptimizer == .adam)
        #expect(try plain.config().optimizer == .lbfgs)   // the optimisation method's own default is unchanged
        let named = try #require(try NST.parseAsRoot(["stylize", "c.jpg", "s.jpg", "--fast", "--refine", "5", "--optimizer", "lbfgs"]) as? NST.Stylize)
        #expect(named.optimizer == .lbfgs)
    }

    @Test func missingDecoderNamesTheCommandThatMakesIt() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let photo = dir.appendingPathComponent("photos/p0.png").path
        let out = dir.appendingPathComponent("fast.png").path
        let fast = try #require(try NST.parseAsRoot(["stylize", photo, photo, "--fast", "--decoders", dir.path, "-o", out,
                                                     "--quiet"]) as? NST.Stylize)
        do { try fast.run(); Issue.record("ran without decoders") } catch {
            #expect("\(error)".contains("nst train-decoder --level relu4_1"), "\(error)")
            #expect(!"\(error)".contains("\n"))
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(throws: (any Error).self) { try NST.parseAsRoot(["train-decoder", "--level", "relu4_2", "--content-dir", "d", "-o", "x"]) }
        #expect(throws: (any Error).self) {
            try NST.parseAsRoot(["train-decoder", "--content-dir", "d", "-o", "x", "--batch-size", "2", "--feature-images", "3"])
        }
    }
}
