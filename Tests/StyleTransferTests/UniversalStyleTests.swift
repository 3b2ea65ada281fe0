// UniversalStyle end to end with randomly initialised decoders (sizes, finiteness, working resolution, colour options,
// option checks), the reflection pad/crop helper, and loadDecoders' one-line errors.
import Foundation
import ImageIO
import NeuralCore
import Networks
import Testing
@testable import StyleTransfer

@Suite(.serialized) struct UniversalStyleTests {
    static let vgg = try! VGG16Features(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../weights/vgg16-imagenet.safetensors").standardizedFileURL)

    static func decoders(_ levels: [VGGLayer]) -> [VGGDecoder] {
        levels.map { try! VGGDecoder(level: $0, weights: WeightStore(seed: UInt64($0.depth))) }
    }

    static func noise(width: Int, height: Int, seed: UInt64) -> Image {
        var g = SeededGenerator(seed: seed)
        return Image(width: width, height: height, channels: 3, pixels: (0..<3 * width * height).map { _ in g.nextFloat(in: 0..<1) })
    }

    @Test func allLevelsOnAnOddSizedImageGiveTheContentSize() throws {
        var config = UniversalStyleConfig()
        config.maxSize = nil
        var seen: [VGGLayer] = []
        let out = try UniversalStyle.stylize(content: Self.noise(width: 37, height: 23, seed: 1),
                                             styles: [Self.noise(width: 20, height: 30, seed: 2)], blend: [],
                                             decoders: Self.decoders(VGGDecoder.supportedLevels), vgg: Self.vgg, config: config) {
            seen.append($0.level)
        }
        #expect(out.width == 37 && out.height == 23 && out.channels == 3)
        #expect(out.pixels.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        #expect(seen == [.relu5_1, .relu4_1, .relu3_1, .relu2_1, .relu1_1])   // coarse to fine
    }

    @Test func worksAtMaxSizeAndUpsamplesOnlyWhenAsked() throws {
        let content = Self.noise(width: 60, height: 30, seed: 3), styles = [Self.noise(width: 16, height: 16, seed: 4), Self.noise(width: 40, height: 24, seed: 5)]
        var config = UniversalStyleConfig()
        config.maxSize = 32
        config.preserveColors = .luminance
        let small = try UniversalStyle.stylize(content: content, styles: styles, blend: [1, 2],
                                               decoders: Self.decoders([.relu1_1, .relu3_1]), vgg: Self.vgg, config: config)
        #expect(small.width == 32 && small.height == 16)
        config.upsampleToContent = true
        config.preserveColors = .histogram
        let full = try UniversalStyle.stylize(content: content, styles: styles, blend: [1, 2],
                                              decoders: Self.decoders([.relu3_1, .relu1_1]), vgg: Self.vgg, config: config)
        #expect(full.width == 60 && full.height == 30)
        #expect(full.pixels.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
    }

    @Test func inconsistentSettingsAreRejected() {
        let image = Self.noise(width: 16, height: 16, seed: 6), decoders = Self.decoders([.relu1_1])
        func message(blend: [Float] = [], strength: Float = 1, styleScale: Float = 1, decoders: [VGGDecoder] = decoders) -> String {
            var config = UniversalStyleConfig()
            config.strength = strength
            config.styleScale = styleScale
            do {
                _ = try UniversalStyle.stylize(content: image, styles: [image, image], blend: blend, decoders: decoders, vgg: Self.vgg, config: config)
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(message(blend: [1]) == "give one blend weight per style image (got 1 for 2)")
        #expect(message(blend: [0, 0]).hasPrefix("blend weights must be ≥ 0 and not all 0"))
        #expect(message(strength: 1.5) == "strength must be between 0 and 1 (got 1.5)")
        #expect(message(styleScale: 0) == "style scale must be positive (got 0.0)")
        #expect(message(decoders: []) == "give at least one decoder level")
        #expect(message(decoders: decoders + decoders).hasPrefix("each decoder level may be given once"))
        var tones = UniversalStyleConfig()
        tones.photoTones = 1.5
        #expect(throws: StyleTransferError.self) {
            try UniversalStyle.stylize(content: image, styles: [image], blend: [], decoders: decoders, vgg: Self.vgg, config: tones)
        }
    }

    /// The photo-tone step: amount 0 and a photo with the image's own layout change nothing; a photo lit from the
    /// other side moves the light there (with the image's own coarse values, so its range is kept); the shift is the
    /// same in every channel. Tolerances 1e-5 (float sums of a few hundred terms).
    @Test func photoTonesMoveTheLightWhereThePhotoHasIt() {
        let (w, h) = (40, 24)
        // A left-to-right ramp in a reddish image; the photo is a right-to-left ramp.
        let ramp = (0..<h).flatMap { _ in (0..<w).map { Float($0) / Float(w - 1) } }
        let image = Image(width: w, height: h, channels: 3, pixels: ramp.map { 0.2 + 0.6 * $0 } + ramp.map { 0.1 + 0.5 * $0 } + ramp.map { 0.5 * $0 })
        let photo = Image(width: w, height: h, channels: 3, pixels: Array(repeating: ramp.map { 1 - $0 }, count: 3).flatMap { $0 })
        let same = UniversalStyle.withPhotoTones(of: image, in: image, amount: 1, radius: 2)
        #expect(zip(same.pixels, image.pixels).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(UniversalStyle.withPhotoTones(of: photo, in: image, amount: 0, radius: 2).pixels == image.pixels)

        let moved = UniversalStyle.withPhotoTones(of: photo, in: image, amount: 1, radius: 2)
        func meanLuma(_ im: Image, columns: Range<Int>) -> Float {
            let g = im.gray()
            var total: Float = 0
            for y in 0..<h { for x in columns { total += g.pixels[y * w + x] } }
            return total / Float(h * columns.count)
        }
        #expect(meanLuma(image, columns: 0..<10) < meanLuma(image, columns: 30..<40))
        #expect(meanLuma(moved, columns: 0..<10) > meanLuma(moved, columns: 30..<40))
        // Same shift in every channel: the channel differences are the image's.
        let n = w * h
        for i in stride(from: 0, to: n, by: 37) {
            #expect(abs((moved.pixels[i] - moved.pixels[n + i]) - (image.pixels[i] - image.pixels[n + i])) < 1e-5)
            #expect(abs((moved.pixels[n + i] - moved.pixels[2 * n + i]) - (image.pixels[n + i] - image.pixels[2 * n + i])) < 1e-5)
        }
        // The luminance range stays the image's (within the blur's reach).
        let g = moved.gray().pixels, g0 = image.gray().pixels
        #expect(abs(g.max()! - g0.max()!) < 0.1 && abs(g.min()! - g0.min()!) < 0.1)
    }

    @Test func reflectionPaddingMirrorsAndCropsBack() {
        let image = Image(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])
        let padded = image.mirrorPadded(width: 8, height: 3)
        // Columns mirror without repeating the edge: 1 2 3 2 1 2 3 2; row 2 mirrors row 0.
        #expect(Array(padded.pixels[0..<8]) == [1, 2, 3, 2, 1, 2, 3, 2])
        #expect(Array(padded.pixels[16..<24]) == [1, 2, 3, 2, 1, 2, 3, 2])
        #expect(padded.cropped(x: 0, y: 0, width: 3, height: 2) == image)
        let single = Image(width: 1, height: 1, channels: 1, pixels: [7]).mirrorPadded(width: 2, height: 2)
        #expect(single.pixels == [7, 7, 7, 7])
        // Offsets mirror to the left and top too: column −1 is column 1, −3 is column 1 again (period 4).
        let centred = image.mirrorPadded(width: 9, height: 2, left: 3)
        #expect(Array(centred.pixels[0..<9]) == [2, 3, 2, 1, 2, 3, 2, 1, 2])
        #expect(centred.cropped(x: 3, y: 0, width: 3, height: 2) == image)
    }

    @Test func loadDecodersNamesTheProblemFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nst-wct-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func message(_ levels: [VGGLayer]) -> String {
            do { _ = try UniversalStyle.loadDecoders(directory: folder, levels: levels); return "no error" } catch { return "\(error)" }
        }
        let path = { (level: VGGLayer) in UniversalStyle.decoderURL(directory: folder, level: level).path }

        #expect(message([.relu1_1]) == "\(path(.relu1_1)): decoder for relu1_1 not found (train it with nst train-decoder --level relu1_1)")

        try Self.decoders([.relu1_1])[0].save(to: UniversalStyle.decoderURL(directory: folder, level: .relu1_1))
        let loaded = try UniversalStyle.loadDecoders(directory: folder, levels: [.relu1_1])
        #expect(loaded.map(\.level) == [.relu1_1])

        // A relu1_1 decoder saved under relu2_1's name: wrong level.
        try FileManager.default.copyItem(atPath: path(.relu1_1), toPath: path(.relu2_1))
        #expect(message([.relu1_1, .relu2_1]) == "\(path(.relu2_1)): decoder is for level 'relu1_1', expected relu2_1")

        // Something else entirely: wrong kind.
        try SafeTensorsFile.write(tensors: ["w": Tensor(zeros: [2])], metadata: ["kind": "transformer-net"], to: URL(fileURLWithPath: path(.relu3_1)))
        #expect(message([.relu3_1]) == "\(path(.relu3_1)): not a VGG16 decoder (metadata kind is 'transformer-net', expected 'vgg16-decoder')")

        // Right metadata, wrong tensors.
        try SafeTensorsFile.write(tensors: ["dec1_1.weight": Tensor(zeros: [3, 32, 3, 3]), "dec1_1.bias": Tensor(zeros: [3])],
                                  metadata: ["kind": "vgg16-decoder", "level": "relu1_1"], to: URL(fileURLWithPath: path(.relu1_1)))
        #expect(message([.relu1_1]).hasPrefix("\(path(.relu1_1)): decoder weights do not fit a vgg16-decoder (tensor dec1_1.weight has shape [3, 32, 3, 3], expected [3, 64, 3, 3]"))

        // Garbage bytes: unreadable.
        try Data("not a safetensors file".utf8).write(to: URL(fileURLWithPath: path(.relu4_1)))
        #expect(message([.relu4_1]).hasPrefix("\(path(.relu4_1)): not a readable decoder file ("))
    }

    /// The paintings' features kept between photos change no result: each photo painted with the cache equals it
    /// painted alone (bit for bit: the same arithmetic), and photos of two shapes take two entries.
    @Test func aCacheOfPaintingFeaturesChangesNoResult() throws {
        let style = Self.noise(width: 24, height: 24, seed: 12), decoders = Self.decoders([.relu2_1])
        let photos = [Self.noise(width: 40, height: 24, seed: 13), Self.noise(width: 40, height: 24, seed: 14),
                      Self.noise(width: 30, height: 20, seed: 15)]
        let cache = UniversalStyleCache()
        for photo in photos {
            let cached = try UniversalStyle.stylize(content: photo, styles: [style], blend: [], decoders: decoders, vgg: Self.vgg,
                                                    config: UniversalStyleConfig(), cache: cache)
            let alone = try UniversalStyle.stylize(content: photo, styles: [style], blend: [], decoders: decoders, vgg: Self.vgg,
                                                   config: UniversalStyleConfig())
            #expect(cached.pixels == alone.pixels)
        }
        #expect(cache.features.count == 2)
    }
}
