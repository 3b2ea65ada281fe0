// Pieces of decoder training that the CLI run in FastCLITests does not pin down: crops in all 8 orientations,
// checkpoints written before that setting, the feature term on part of the batch, weights averaged over the last
// steps, and the PSNR the held-out report gives.
import Foundation
import ImageIO
import NeuralCore
import Networks
import Testing
@testable import StyleTransfer

@Suite struct DecoderTrainingTests {
    /// One 32×32 photo whose pixels all differ, as the only content image, so a 32-px crop is the whole photo and
    /// each sample of a batch can only differ by orientation.
    static func onePhoto() throws -> (ContentImages, Image, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nst-dec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var photo = Image(width: 32, height: 32, channels: 3)
        for k in photo.pixels.indices { photo.pixels[k] = Float(k % 251) / 251 }
        try photo.save(to: dir.appendingPathComponent("p.png"))
        return (try ContentImages(folders: [dir], cropSize: 32), try Image.load(dir.appendingPathComponent("p.png")), dir)
    }

    /// The samples of a batch, each as its [3, 32, 32] floats.
    static func samples(_ batch: Tensor) -> [[Float]] {
        let plane = 3 * 32 * 32
        return (0..<batch.shape[0]).map { Array(batch.data[($0 * plane)..<(($0 + 1) * plane)]) }
    }

    @Test func allOrientationsGivesEachOfTheEightAndMirrorOnlyTwo() throws {
        let (photos, photo, dir) = try Self.onePhoto()
        defer { try? FileManager.default.removeItem(at: dir) }
        let turned = photo.transposed()
        let eight = [photo, photo.flippedHorizontally(), photo.flippedVertically(), photo.flippedHorizontally().flippedVertically(),
                     turned, turned.flippedHorizontally(), turned.flippedVertically(), turned.flippedHorizontally().flippedVertically()]
            .map { VGG16Features.preprocess($0).data }
        #expect(Set(eight.map { $0.description }).count == 8)

        var generator = SeededGenerator(seed: 3)
        let all = Self.samples(photos.batch(64, orientations: .all, using: &generator))
        #expect(all.allSatisfy { eight.contains($0) })
        #expect(Set(all.map { eight.firstIndex(of: $0) ?? -1 }).count == 8)   // 64 draws of 8 equally likely: all appear

        let mirror = Self.samples(photos.batch(64, using: &generator))
        #expect(Set(mirror.map { eight.firstIndex(of: $0) ?? -1 }) == [0, 1])
    }

    @Test func permutedColorsKeepHalfAsPhotographedAndShowAllSixOrders() throws {
        let (photos, photo, dir) = try Self.onePhoto()
        defer { try? FileManager.default.removeItem(at: dir) }
        let orders = [[0, 1, 2]] + CropColors.otherOrders
        var generator = SeededGenerator(seed: 5)
        let batch = Self.samples(photos.batch(200, colors: .permuted, using: &generator))
        // With .mirror each sample is the photo or its mirror image, in one of the six channel orders.
        let variants = [photo, photo.flippedHorizontally()].flatMap { p in orders.map { VGG16Features.preprocess(p.withChannels(in: $0)).data } }
        let found = batch.map { sample in variants.firstIndex(of: sample).map { $0 % 6 } ?? -1 }
        #expect(Set(found) == Set(0..<6))   // no sample is anything else, and every order appears
        let natural = found.filter { $0 == 0 }.count
        #expect(natural > 70 && natural < 130, "\(natural) of 200 kept their colours; expected about 100")   // binomial sd ≈ 7
    }

    @Test func naturalColorsDrawTheSameCropsAsBefore() throws {
        // Like `.mirror` below: the default colours must leave every older run's crops as they were.
        try Self.expectDefaultDrawsAsBefore(explicit: { $0.batch(4, colors: .natural, using: &$1) },
                                            changed: { $0.batch(4, colors: .permuted, using: &$1) })
        // Checkpoints from before the setting store no colours: they read as natural and resume only so.
        var settings = try JSONSerialization.jsonObject(with: JSONEncoder().encode(DecoderTrainingConfig())) as! [String: Any]
        settings["colors"] = nil
        let old = try JSONDecoder().decode(DecoderTrainingConfig.self, from: JSONSerialization.data(withJSONObject: settings))
        var permuted = DecoderTrainingConfig(), natural = DecoderTrainingConfig()
        permuted.colors = .permuted; natural.colors = .natural
        #expect(old.colors == .natural && old.isResumable(as: natural) && !old.isResumable(as: permuted))
    }

    @Test func mirrorBatchesDrawTheSameCropsAsBefore() throws {
        // `.mirror` must consume the generator exactly as before the setting existed, so stylizer training and older
        // decoder checkpoints resume to the same weights: the default and an explicit .mirror agree, .all does not.
        try Self.expectDefaultDrawsAsBefore(explicit: { $0.batch(4, orientations: .mirror, using: &$1) },
                                            changed: { $0.batch(4, orientations: .all, using: &$1) })
    }

    /// The default batch and `explicit` give the same crops and leave the generator alike; `changed` draws more.
    static func expectDefaultDrawsAsBefore(explicit: (ContentImages, inout SeededGenerator) -> Tensor,
                                           changed: (ContentImages, inout SeededGenerator) -> Tensor) throws {
        let (photos, _, dir) = try onePhoto()
        defer { try? FileManager.default.removeItem(at: dir) }
        var a = SeededGenerator(seed: 11), b = SeededGenerator(seed: 11), c = SeededGenerator(seed: 11)
        #expect(photos.batch(4, using: &a).data == explicit(photos, &b).data)
        _ = changed(photos, &c)
        #expect(a.next() == b.next())
        #expect(a.next() != c.next())
    }

    @Test func checkpointsFromBeforeTheSettingResumeAsMirror() throws {
        var settings = try JSONSerialization.jsonObject(with: JSONEncoder().encode(DecoderTrainingConfig())) as! [String: Any]
        settings["orientations"] = nil
        let decoded = try JSONDecoder().decode(DecoderTrainingConfig.self, from: JSONSerialization.data(withJSONObject: settings))
        #expect(decoded.orientations == .mirror)
        var mirror = DecoderTrainingConfig(), all = DecoderTrainingConfig()
        mirror.orientations = .mirror; all.orientations = .all
        #expect(decoded.isResumable(as: mirror))
        #expect(!decoded.isResumable(as: all))
    }

    @Test func photoSizeSetsTheSideLargePhotosAreKeptAt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nst-dec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Image(width: 200, height: 150, channels: 3, value: 0.5).save(to: dir.appendingPathComponent("big.png"))
        let twice = try ContentImages(folders: [dir], cropSize: 32)   // default: shorter side 64
        #expect(twice.photoSize == 64 && twice.images[0].height == 64 && twice.images[0].width == 85)
        let three = try ContentImages(folders: [dir], cropSize: 32, photoSize: 96)
        #expect(three.images[0].height == 96 && three.images[0].width == 128)
        let larger = try ContentImages(folders: [dir], cropSize: 32, photoSize: 400)   // never upscaled
        #expect(larger.images[0].height == 150 && larger.images[0].width == 200)

        var old = DecoderTrainingConfig(), explicit = DecoderTrainingConfig(), other = DecoderTrainingConfig(), small = DecoderTrainingConfig()
        explicit.photoSize = 2 * old.imageSize; other.photoSize = 3 * old.imageSize; small.photoSize = old.imageSize - 16
        #expect(!String(decoding: try JSONEncoder().encode(old), as: UTF8.self).contains("photoSize"))
        #expect(old.effectivePhotoSize == 384 && old.isResumable(as: explicit) && !old.isResumable(as: other))
        #expect(other.problem == nil && small.problem?.contains("--photo-size") == true)
    }

    @Test func featureImagesDefaultToTheWholeBatchAndStayOutOfOldCheckpoints() throws {
        let whole = DecoderTrainingConfig()
        #expect(whole.effectiveFeatureImages == whole.batchSize)
        #expect(!String(decoding: try JSONEncoder().encode(whole), as: UTF8.self).contains("featureImages"))
        var four = whole, one = whole, tooMany = whole, none = whole
        four.featureImages = whole.batchSize; one.featureImages = 1; tooMany.featureImages = whole.batchSize + 1; none.featureImages = 0
        #expect(whole.isResumable(as: four) && !whole.isResumable(as: one))
        #expect(one.problem == nil && four.problem == nil)
        #expect(tooMany.problem?.contains("--feature-images") == true && none.problem?.contains("--feature-images") == true)
    }

    @Test func averageLastDefaultsToNoneAndMayChangeOnResume() throws {
        let plain = DecoderTrainingConfig()
        #expect(plain.averageStart == plain.iterations)
        #expect(!String(decoding: try JSONEncoder().encode(plain), as: UTF8.self).contains("averageLast"))
        var tail = plain, tooMany = plain, none = plain
        tail.averageLast = 300; tooMany.averageLast = plain.iterations + 1; none.averageLast = 0
        #expect(tail.averageStart == plain.iterations - 300 && tail.problem == nil && plain.isResumable(as: tail))
        #expect(tooMany.problem?.contains("--average-last") == true && none.problem?.contains("--average-last") == true)
    }

    /// A relu1_1 decoder trained 3 steps on one photo, the last 2 averaged: through a checkpoint after step 2 (the
    /// average then holds one step) and straight through.
    @Test func averagedWeightsAreTheMeanOfTheLastStepsAndSurviveResume() throws {
        let (_, _, dir) = try Self.onePhoto()
        defer { try? FileManager.default.removeItem(at: dir) }
        let vgg = try VGG16Features(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../weights/vgg16-imagenet.safetensors"))
        var config = DecoderTrainingConfig()
        config.level = .relu1_1; config.imageSize = 32; config.batchSize = 1; config.iterations = 3; config.averageLast = 2
        config.learningRate = 0.01
        func train(_ name: String, stopAfter: Int? = nil, resume: Bool = false, _ c: DecoderTrainingConfig) throws {
            _ = try DecoderTraining.run(config: c, contentFolders: [dir], output: dir.appendingPathComponent("\(name).safetensors"),
                                        checkpoint: dir.appendingPathComponent("\(name).ckpt"), checkpointEvery: 1, curve: nil,
                                        resume: resume, vgg: vgg, stopAfter: stopAfter)
        }
        func weights(_ file: String) throws -> [String: [Float]] {
            let f = try SafeTensorsFile.read(dir.appendingPathComponent(file))
            return f.tensors.filter { !$0.key.hasPrefix(WeightAverage.prefix) && !$0.key.hasPrefix(OptimizerCheckpoint.prefix) }.mapValues(\.data)
        }
        try train("a", stopAfter: 2, config)
        let afterTwo = try weights("a.ckpt")
        let checkpoint = try SafeTensorsFile.read(dir.appendingPathComponent("a.ckpt"))
        #expect(checkpoint.metadata["nst.average_steps"] == "1")
        // Asking for a 3-step average now is refused: step 1 is already past.
        var longer = config
        longer.averageLast = 3
        #expect(throws: (any Error).self) { try train("a", resume: true, longer) }
        try train("a", resume: true, config)
        let afterThree = try weights("a.ckpt"), averaged = try weights("a.safetensors")
        #expect(!afterTwo.isEmpty && Set(afterTwo.keys) == Set(averaged.keys))
        var largest: Float = 0
        for (name, mean) in averaged {
            let a = try #require(afterTwo[name]), b = try #require(afterThree[name])
            #expect(a != b, "\(name) did not change in step 3")
            // Tolerance: 1e-6 relative to the weight (one Float addition and one multiplication apart).
            for k in mean.indices { largest = max(largest, abs(mean[k] - (a[k] + b[k]) / 2) / max(abs(a[k]), abs(b[k]), 1e-3)) }
        }
        #expect(largest < 1e-6, "largest relative difference \(largest)")
        try train("b", config)
        #expect(try weights("b.safetensors") == averaged, "resume changed the average")
    }

    @Test func psnrOfKnownErrors() {
        // Tolerances: 1e-5 dB where 0.6 − 0.5 is not exact in Float, 1e-9 dB where every value is (sums are in Double).
        let a = Image(width: 4, height: 3, channels: 3, value: 0.5)
        #expect(abs(DecoderTraining.psnr(Image(width: 4, height: 3, channels: 3, value: 0.6), a) - 20) < 1e-5)   // MSE 0.01
        var half = a
        for k in stride(from: 0, to: half.pixels.count, by: 2) { half.pixels[k] = 0.25 }   // MSE 0.0625 / 2
        #expect(abs(DecoderTraining.psnr(half, a) - 10 * log10(32)) < 1e-9)
        #expect(DecoderTraining.psnr(a, a) == 120)
    }
}

/// The decoder files' metadata has one encoder and decoder (DecoderRecord): what train-decoder writes reads back
/// the same, and files missing newer fields, or carrying crafted ones, still decode.
@Suite struct DecoderRecordTests {
    @Test func roundTripsAndToleratesOldOrCraftedFields() {
        let record = DecoderRecord(training: DecoderTrainingConfig(), iterationsDone: 12, seconds: 3.5,
                                   history: [DecoderLossRecord(iteration: 1, pixel: 2, feature: 3, total: 4)],
                                   contentImages: 7, averageSteps: 2, command: "nst train-decoder")
        var file = ModelFile(kind: VGGDecoder.kind, tensors: [:])
        record.encode(into: &file)
        #expect(DecoderRecord.decode(file) == record)
        func decode(_ metadata: [String: String]) -> DecoderRecord { DecoderRecord.decode(ModelFile(SafeTensorsFile(tensors: [:], metadata: metadata))) }
        let old = decode(["kind": "vgg16-decoder", "level": "relu1_1"])
        #expect(old.training == nil && old.iterationsDone == 0 && old.history.isEmpty && old.averageSteps == 0)
        #expect(decode(["nst.wall_seconds": "nan"]).seconds == nil)
        #expect(decode(["nst.wall_seconds": "-5"]).seconds == nil)
    }
}
