// `nst stylize` through NST.parseAsRoot: option checks, a tiny real run writing its output, and failures that leave
// no output behind.
import ArgumentParser
import Foundation
import ImageIO
import Testing
@testable import nst

@Suite(.serialized) struct StylizeCLITests {
    static let weights = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../weights/vgg16-imagenet.safetensors").standardizedFileURL.path

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nst-stylize-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        var a = Image(width: 40, height: 30, channels: 3, value: 0.3), b = Image(width: 32, height: 32, channels: 3, value: 0.6)
        for i in a.pixels.indices { a.pixels[i] = Float(i % 7) / 7 }
        for i in b.pixels.indices { b.pixels[i] = Float(i % 5) / 5 }
        try a.save(to: url.appendingPathComponent("content.png"))
        try b.save(to: url.appendingPathComponent("style.jpg"))
        try Image(width: 8, height: 8, channels: 3, value: 0.5).save(to: url.appendingPathComponent("tiny.png"))
        try Data("text".utf8).write(to: url.appendingPathComponent("fake.jpg"))
        return url
    }

    func parse(_ arguments: [String]) throws -> NST.Stylize {
        try #require(try NST.parseAsRoot(["stylize"] + arguments) as? NST.Stylize)
    }

    @Test func optionRulesAreChecked() {
        #expect(throws: (any Error).self) { try NST.parseAsRoot(["stylize", "only-content.jpg"]) }
        #expect(throws: (any Error).self) { try NST.parseAsRoot(["stylize", "c.jpg", "s.jpg", "--style-blend", "1,2"]) }
        #expect(throws: (any Error).self) { try NST.parseAsRoot(["stylize", "c.jpg", "s.jpg", "--optimizer", "sgd"]) }
        #expect(throws: (any Error).self) { try NST.parseAsRoot(["stylize", "c.jpg", "s.jpg", "--size", "64", "--scales", "4"]) }
    }

    @Test func tinyRunWritesTheOutput() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.png").path
        let command = try parse([dir.appendingPathComponent("content.png").path, dir.appendingPathComponent("style.jpg").path,
                                 "-o", out, "--size", "32", "--iterations", "2", "--quiet", "--vgg-weights", Self.weights])
        try command.run()
        let image = try Image.load(URL(fileURLWithPath: out))
        #expect(image.width == 32 && image.height == 24)

        // --init-image: one Adam step of 0.001 pixel units from a first (Adam) result gives that result back, not the photo.
        let moved = dir.appendingPathComponent("moved.png").path, again = dir.appendingPathComponent("again.png").path
        let common = [dir.appendingPathComponent("content.png").path, dir.appendingPathComponent("style.jpg").path,
                      "--size", "32", "--optimizer", "adam", "--quiet", "--vgg-weights", Self.weights]
        try parse(common + ["-o", moved, "--iterations", "3"]).run()
        try parse(common + ["-o", again, "--iterations", "1", "--learning-rate", "0.001", "--init-image", moved]).run()
        let first = try Image.load(URL(fileURLWithPath: moved)), second = try Image.load(URL(fileURLWithPath: again))
        let photo = try Image.load(dir.appendingPathComponent("content.png")).resized(width: 32, height: 24)
        #expect(second.width == 32 && second.height == 24)
        #expect(zip(first.pixels, second.pixels).allSatisfy { abs($0 - $1) <= 1.5 / 255 })   // tolerance: 8-bit rounding
        #expect(zip(first.pixels, photo.pixels).contains { abs($0 - $1) > 5 / 255 })
    }

    @Test func badInputsFailWithoutLeavingOutput() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let content = dir.appendingPathComponent("content.png").path
        let out = dir.appendingPathComponent("out.jpg").path
        let cases: [([String], String)] = [
            ([content, dir.appendingPathComponent("fake.jpg").path], "fake.jpg: not a PNG or JPEG file"),
            ([content, dir.appendingPathComponent("tiny.png").path], "tiny.png: image is 8x8 pixels"),
            ([content, dir.appendingPathComponent("missing.jpg").path], "missing.jpg"),
            ([content, content, "--vgg-weights", dir.appendingPathComponent("fake.jpg").path], "not usable as VGG16 weights"),
            ([content, content, "--init-image", dir.appendingPathComponent("tiny.png").path], "tiny.png: image is 8x8 pixels"),
            ([content, content, "--init-image", dir.appendingPathComponent("fake.jpg").path], "fake.jpg: not a PNG or JPEG file"),
        ]
        for (arguments, message) in cases {
            let command = try parse(arguments + ["-o", out, "--size", "32", "--iterations", "1", "--quiet"])
            do { try command.run(); Issue.record("no error for \(arguments)") }
            catch {
                #expect("\(error)".contains(message), "\(error)")
                #expect(!"\(error)".contains("\n"))
            }
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        // A bad layer name is a usage error, found while the options are parsed, before any file is read.
        do { _ = try parse([content, content, "--style-layers", "relu1_1,relu9_9", "-o", out]); Issue.record("relu9_9 accepted") }
        catch { #expect(NST.message(for: error).contains("unknown VGG16 layer 'relu9_9'")) }
        let unwritable = try parse([content, content, "-o", "/nonexistent-folder/out.jpg", "--quiet"])
        #expect(throws: (any Error).self) { try unwritable.run() }
    }
}
