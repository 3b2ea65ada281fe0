// Gatys style transfer at small sizes: the loss formulation of the README, optimisation lowering the loss with
// both optimisers, colour preservation, and option checks.
import Foundation
import ImageIO
import NeuralCore
import Networks
import Testing
@testable import StyleTransfer

@Suite(.serialized) struct GatysTests {
    static let vgg = try! VGG16Features(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../weights/vgg16-imagenet.safetensors").standardizedFileURL)

    /// A smooth two-colour test image, deterministic.
    static func pattern(width: Int, height: Int, phase: Float) -> Image {
        var pixels = [Float](repeating: 0, count: 3 * width * height)
        for c in 0..<3 { for y in 0..<height { for x in 0..<width {
            let v = 0.5 + 0.4 * sin(Float(x) * 0.4 + phase * Float(c + 1)) * cos(Float(y) * 0.3 - phase)
            pixels[(c * height + y) * width + x] = v
        } } }
        return Image(width: width, height: height, channels: 3, pixels: pixels)
    }

    @Test func gramIsNormalisedByCHW() {
        // F = all ones, C=2, H·W=6: G = F·Fᵀ/(C·H·W) = 6/12 everywhere.
        let g = Tensor(repeating: 1, shape: [1, 2, 2, 3]).gram()
        #expect(g.shape == [1, 2, 2])
        for v in g.data { #expect(abs(v - 0.5) < 1e-6) }   // tolerance: exact in Float32 up to rounding
    }

    @Test func styleLossIsZeroForTheStyleItselfAndContentLossForTheContent() {
        let x = VGG16Features.preprocess(Self.pattern(width: 32, height: 32, phase: 0.3))
        let layers: [VGGLayer] = [.relu1_1, .relu2_1]
        let targets = StyleTargets(styles: [x], blend: [1], layers: layers, vgg: Self.vgg)
        let features = withoutGradients { Self.vgg.features(x, at: Set(layers)) }
        #expect(abs(PerceptualLoss.style(features, targets: targets).item()) < 1e-3)   // tolerance: Float32 sums
        #expect(PerceptualLoss.content(features, targets: [.relu2_1: features[.relu2_1]!]).item() == 0)
    }

    @Test(arguments: [GatysOptimizer.lbfgs, .adam])
    func optimisationLowersTheLoss(optimizer: GatysOptimizer) throws {
        var config = GatysConfig()
        config.imageSize = 32; config.iterations = 20; config.optimizer = optimizer
        config.styleWeight = 1000; config.initialization = .content
        var losses: [Float] = []
        let result = try Gatys.stylize(content: Self.pattern(width: 32, height: 24, phase: 0.2),
                                       styles: [Self.pattern(width: 40, height: 40, phase: 1.7)],
                                       config: config, vgg: Self.vgg) { event in
            if case .progress(let p) = event { losses.append(p.totalLoss) }
        }
        #expect(losses.count >= 2)
        #expect(result.image.width == 32 && result.image.height == 24)
        #expect(result.totalLoss < 0.9 * losses.first!)   // at least a 10% drop in twenty iterations
        #expect(result.image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func startsFromAGivenImage() throws {
        // One Adam step of size 1e-6 leaves the image where it started: the result is the starting image (resized to
        // the output size), not the content photo.
        var config = GatysConfig()
        config.imageSize = 32; config.iterations = 1; config.optimizer = .adam; config.learningRate = 1e-6
        let content = Self.pattern(width: 32, height: 24, phase: 0.2)
        let start = Self.pattern(width: 64, height: 48, phase: 2.5)
        let result = try Gatys.stylize(content: content, styles: [Self.pattern(width: 40, height: 40, phase: 1.7)],
                                       config: config, vgg: Self.vgg, start: start)
        let expected = start.resized(width: 32, height: 24)
        let fromStart = zip(result.image.pixels, expected.pixels).map { abs($0 - $1) }.max()!
        let fromContent = zip(result.image.pixels, content.pixels).map { abs($0 - $1) }.max()!
        #expect(fromStart < 1e-3)   // tolerance: one 1e-6 step in 0–255 units plus pixel clamping
        #expect(fromContent > 0.1)
        #expect(throws: StyleTransferError.self) {
            try Gatys.stylize(content: content, styles: [content], config: config, vgg: Self.vgg,
                              start: Image(width: 8, height: 8, channels: 3, value: 0.5))
        }
    }

    @Test func multiScaleAndIntermediatesAndLuminanceOnly() throws {
        var config = GatysConfig()
        config.imageSize = 48; config.scales = 2; config.iterations = 3; config.saveEvery = 1
        config.preserveColors = .luminance
        var sizes: Set<Int> = [], intermediates = 0
        let content = Self.pattern(width: 48, height: 32, phase: 0.1)
        let result = try Gatys.stylize(content: content, styles: [Self.pattern(width: 32, height: 32, phase: 2)],
                                       config: config, vgg: Self.vgg) { event in
            switch event {
            case .progress(let p): sizes.insert(p.width)
            case .intermediate: intermediates += 1
            }
        }
        #expect(sizes == [24, 48])
        #expect(intermediates == 2)   // iterations 1 and 2 of the last scale; the final one is the result
        // Luminance-only: the chrominance (I, Q of YIQ) is the content's, up to clamping and 8-bit-free rounding.
        let a = result.image.rgbToYIQ(), b = content.rgbToYIQ()
        let plane = a.width * a.height
        let worst = (plane..<3 * plane).map { abs(a.pixels[$0] - b.pixels[$0]) }.max()!
        #expect(worst < 0.05)   // tolerance: clamping to 0…1 after recombination moves chroma a little
    }

    @Test func badSettingsAreOneLineErrors() {
        var config = GatysConfig()
        config.styleBlend = [1]
        let image = Self.pattern(width: 20, height: 20, phase: 0)
        #expect(throws: StyleTransferError.self) {
            try Gatys.stylize(content: image, styles: [image, image], config: config, vgg: Self.vgg)
        }
        let tiny = Image(width: 8, height: 30, channels: 3, value: 0.5)
        do { _ = try Gatys.stylize(content: image, styles: [tiny], config: GatysConfig(), vgg: Self.vgg); Issue.record("no error") }
        catch { #expect("\(error)" == "style image 1 is 8x30 pixels; at least 16x16 is needed") }
    }
}
