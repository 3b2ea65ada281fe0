// The finishing step of --fast (StyleFinish): it lowers the style loss it follows, each step changes the pixels by
// the rate asked for (root mean square), zero steps change nothing, and the pipeline applies it only when asked.
import Foundation
import ImageIO
import NeuralCore
import Networks
import Testing
@testable import StyleTransfer

@Suite(.serialized) struct StyleFinishTests {
    static let layers: [VGGLayer] = [.relu1_1, .relu2_1, .relu3_1]

    static func finish(style: Image) -> StyleFinish {
        let features = withoutGradients { UniversalStyleTests.vgg.features(VGG16Features.preprocess(style), at: Set(layers)) }
        return StyleFinish(styleFeatures: [features], blend: [], layers: layers, vgg: UniversalStyleTests.vgg)
    }

    static func styleLoss(_ image: Image, _ finish: StyleFinish) -> Float {
        withoutGradients {
            PerceptualLoss.style(finish.vgg.features(VGG16Features.preprocess(image), at: finish.layers), targets: finish.targets).item()
        }
    }

    /// A smooth gradient image finished towards a noise "painting": the style loss falls with each step (strictly:
    /// a small step along the negative gradient of a smooth loss), and the first step's RMS change is the rate in
    /// 0–255 units (tolerance 2 %: a few pixels are clamped, the rest move exactly).
    @Test func eachStepLowersTheStyleLossByAChangeOfTheRateAsked() {
        let w = 40, h = 32
        let photo = Image(width: w, height: h, channels: 3, pixels: (0..<3 * w * h).map { i in
            let p = i % (w * h); return 0.3 + 0.4 * Float(p % w) / Float(w) * Float(p / w) / Float(h)
        })
        let finish = Self.finish(style: UniversalStyleTests.noise(width: 36, height: 36, seed: 7))
        let before = Self.styleLoss(photo, finish)
        let one = finish.apply(to: photo, steps: 1, rate: 2), two = finish.apply(to: photo, steps: 2, rate: 2)
        let afterOne = Self.styleLoss(one, finish), afterTwo = Self.styleLoss(two, finish)
        #expect(afterOne < before && afterTwo < afterOne, "style loss \(before) → \(afterOne) → \(afterTwo)")
        let rms = (zip(one.pixels, photo.pixels).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Float(photo.pixels.count)).squareRoot() * 255
        #expect(abs(rms - 2) < 0.04, "RMS change \(rms) for rate 2")
        #expect(finish.apply(to: photo, steps: 0, rate: 2).pixels == photo.pixels)
    }

    /// Blending two styles equally gives the mean of their Gram matrices (tolerance 1e-4 relative: float sums).
    @Test func blendedTargetsAreTheWeightedMeanOfGramMatrices() {
        let a = UniversalStyleTests.noise(width: 24, height: 24, seed: 8), b = UniversalStyleTests.noise(width: 20, height: 28, seed: 9)
        let vgg = UniversalStyleTests.vgg
        let features = [a, b].map { image in withoutGradients { vgg.features(VGG16Features.preprocess(image), at: Set(Self.layers)) } }
        let blended = StyleFinish(styleFeatures: features, blend: [1, 3], layers: Self.layers, vgg: vgg)
        for layer in Self.layers {
            let ga = features[0][layer]!.gram().data, gb = features[1][layer]!.gram().data, g = blended.targets.grams[layer]!.data
            for i in g.indices { #expect(abs(g[i] - (0.25 * ga[i] + 0.75 * gb[i])) <= 1e-4 * max(abs(g[i]), 1)) }
        }
    }

    /// Through the pipeline: finishing changes the result, rate 0 leaves the unfinished one, and bad settings are refused.
    @Test func thePipelineFinishesOnlyWhenAsked() throws {
        let content = UniversalStyleTests.noise(width: 40, height: 24, seed: 10), style = UniversalStyleTests.noise(width: 24, height: 24, seed: 11)
        let decoders = UniversalStyleTests.decoders([.relu2_1])
        func run(_ steps: Int, rate: Float = 10) throws -> Image {
            var config = UniversalStyleConfig()
            config.finishSteps = steps
            config.finishRate = rate
            return try UniversalStyle.stylize(content: content, styles: [style], blend: [], decoders: decoders,
                                              vgg: UniversalStyleTests.vgg, config: config)
        }
        let plain = try run(0), finished = try run(1), unmoved = try run(1, rate: 0)
        // Rate 0 goes through VGG space and back: equal up to float rounding (1e-5 of the 0–1 range).
        #expect(zip(plain.pixels, unmoved.pixels).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(zip(plain.pixels, finished.pixels).map { abs($0 - $1) }.max()! > 0.01)
        #expect(finished.pixels.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        #expect(throws: StyleTransferError.self) { try run(-1) }
        #expect(throws: StyleTransferError.self) { try run(1, rate: .nan) }
    }
}
