// `nst train-stylizer`, `nst stylize --model` and `nst info` on a model, through NST.parseAsRoot at toy sizes:
// a tiny training run, painting a folder, strength and colour options, and bad inputs that leave no output.
import ArgumentParser
import Foundation
import ImageIO
import Networks
import StyleTransfer
import Testing
@testable import nst

@Suite(.serialized) struct StylizerCLITests {
    static let weights = StylizeCLITests.weights

    func workspace() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nst-ffcli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("photos"), withIntermediateDirectories: true)
        for i in 0..<2 {
            var image = Image(width: 40 + 8 * i, height: 36, channels: 3, value: 0)
            for k in image.pixels.indices { image.pixels[k] = Float((k * (i + 3)) % 11) / 11 }
            try image.save(to: dir.appendingPathComponent("photos/p\(i).png"))
        }
        try Data("junk".utf8).write(to: dir.appendingPathComponent("photos/junk.jpg"))
        var style = Image(width: 32, height: 32, channels: 3, value: 0)
        for k in style.pixels.indices { style.pixels[k] = Float(k % 5) / 5 }
        try style.save(to: dir.appendingPathComponent("style.png"))
        return dir
    }

    func train(_ dir: URL, _ extra: [String] = []) throws {
        let command = try #require(try NST.parseAsRoot([
            "train-stylizer", "--style", dir.appendingPathComponent("style.png").path,
            "--content-dir", dir.appendingPathComponent("photos").path, "-o", dir.appendingPathComponent("m.safetensors").path,
            "--image-size", "32", "--batch-size", "1", "--style-layers", "relu1_2,relu2_2", "--style-size", "48", "--quiet",
            "--vgg-weights", Self.weights] + extra) as? NST.TrainStylizer)
        try command.run()
    }

    @Test func trainThenPaintAFolderThenDescribeTheModel() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        try train(dir, ["--epochs", "2", "--checkpoint-every", "1", "--content-layer", "relu4_2"])   // 2 photos, batch 1: 4 steps
        let model = dir.appendingPathComponent("m.safetensors").path
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("m-loss.png").path))
        let info = try NST.Info.describe(model)
        #expect(info.line.contains("nst stylizer (light,") && info.line.contains("4/4 steps on 2 photos"), "\(info.line)")
        #expect(info.line.contains("content 1.0 at relu4_2"), "\(info.line)")
        #expect(info.line.contains("(style image 48 px)"), "\(info.line)")

        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let paint = try #require(try NST.parseAsRoot(["stylize", dir.appendingPathComponent("photos").path, "--model", model,
                                                      "--output-dir", out.path, "--strength", "0.5",
                                                      "--preserve-colors", "luminance", "--quiet"]) as? NST.Stylize)
        // The folder holds junk.jpg too: it is reported, the others are painted, and the exit code says so.
        #expect(throws: ExitCode(1)) { try paint.run() }
        let p1 = try Image.load(out.appendingPathComponent("p1-m.jpg"))
        #expect(p1.width == 48 && p1.height == 36)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("p0-m.jpg").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("junk-m.jpg").path))
    }

    /// Both trainers that can start from a model's weights refuse `--init-model` with `--resume` (one shared check).
    @Test func initModelAndResumeAreRefusedTogether() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("m.safetensors").path
        let message = "--init-model starts a new run; --resume continues one"
        do {
            _ = try NST.parseAsRoot(["train-decoder", "--content-dir", dir.path, "-o", out, "--init-model", "d.safetensors", "--resume"])
            Issue.record("train-decoder took --init-model with --resume")
        } catch { #expect(NST.message(for: error).contains(message), "\(error)") }
        let stylizer = try #require(try NST.parseAsRoot(["train-stylizer", "--style", "s.jpg", "--content-dir", dir.path, "-o", out,
                                                         "--init-model", "m0.safetensors", "--resume", "--quiet"]) as? NST.TrainStylizer)
        do { try stylizer.run(); Issue.record("train-stylizer took --init-model with --resume") } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func badInputsGiveOneLineErrorsAndNoOutput() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let photo = dir.appendingPathComponent("photos/p0.png").path
        let out = dir.appendingPathComponent("out.jpg").path
        let cases: [([String], String)] = [
            ([photo, "--model", dir.appendingPathComponent("none.safetensors").path], "model file not found"),
            ([photo, "--model", dir.appendingPathComponent("photos/junk.jpg").path], "junk.jpg"),
            ([photo, "--model", Self.weights], "not an nst stylizer model"),
        ]
        for (arguments, message) in cases {
            let command = try #require(try NST.parseAsRoot(["stylize"] + arguments + ["-o", out, "--quiet"]) as? NST.Stylize)
            do { try command.run(); Issue.record("no error for \(arguments)") } catch {
                #expect("\(error)".contains(message), "\(error)")
                #expect(!"\(error)".contains("\n"))
            }
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        #expect(throws: (any Error).self) { try NST.parseAsRoot(["stylize", photo, "--model", "m", "--strength", "2"]) }
        #expect(throws: (any Error).self) { try NST.parseAsRoot(["train-stylizer", "--style", "s", "--content-dir", "d", "-o", "m",
                                                                 "--image-size", "30"]) }
        // A content layer the trainer does not offer.
        do { try train(dir, ["--content-layer", "relu5_1"]); Issue.record("relu5_1 accepted as content layer") } catch {
            #expect("\(error)".contains("--content-layer must be relu2_2, relu3_3 or relu4_2"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("m.safetensors").path))
        // An empty content folder.
        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let command = try #require(try NST.parseAsRoot(["train-stylizer", "--style", dir.appendingPathComponent("style.png").path,
            "--content-dir", empty.path, "-o", dir.appendingPathComponent("e.safetensors").path, "--quiet",
            "--vgg-weights", Self.weights]) as? NST.TrainStylizer)
        do { try command.run(); Issue.record("empty folder accepted") } catch {
            #expect("\(error)".contains("no .jpg, .jpeg or .png files found"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("e.safetensors").path))
    }

    @Test func scoreIsZeroContentLossForThePhotoItselfAndLowerStyleLossForThePainting() throws {
        let dir = try workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let photo = dir.appendingPathComponent("photos/p0.png").path, style = dir.appendingPathComponent("style.png").path
        let command = try #require(try NST.parseAsRoot(["score", photo, style, "--content", photo, "--style", style,
                                                        "--size", "32", "--vgg-weights", Self.weights]) as? NST.Score)
        try command.run()   // prints; the numbers themselves are checked through the library below
        let vgg = try VGG16Features(contentsOf: URL(fileURLWithPath: Self.weights))
        let p = try Image.load(URL(fileURLWithPath: photo)), s = try Image.load(URL(fileURLWithPath: style))
        let own = PerceptualScoring.score(p, content: p, style: s, size: 32, vgg: vgg)
        let painting = PerceptualScoring.score(s, content: p, style: s, size: 32, vgg: vgg)
        #expect(own.content == 0)
        #expect(painting.style < own.style)
        #expect(throws: (any Error).self) { try NST.parseAsRoot(["score", photo, "--content", photo, "--style", style, "--size", "8"]) }
    }
}
