// TransformerNet: shapes for both architectures, any-size stylize through reflection padding, and gradients reaching
// every parameter (the ops themselves are finite-difference checked in NeuralCoreTests; here one weight is checked
// through the whole network).
import ImageIO
@testable import NeuralCore
import Testing
import TestSupport
@testable import Networks

struct TransformerNetTests {
    @Test(arguments: StylizerArchitecture.allCases, StylizerOutput.allCases)
    func outputHasTheInputsShapeAndRange(architecture: StylizerArchitecture, stage: StylizerOutput) throws {
        let net = try TransformerNet(architecture: architecture, output: stage, weights: WeightStore(seed: 1))
        var g = SeededGenerator(seed: 2)
        let x = Tensor(shape: [2, 3, 32, 48], data: (0..<(2 * 3 * 32 * 48)).map { _ in g.nextFloat(in: -100..<100) })
        let y = withoutGradients { net(x) }
        #expect(y.shape == [2, 3, 32, 48])
        #expect(net.parameterCount == (architecture == .johnson ? 1_679_235 : 349_251))
        switch stage {
        case .tanh150:
            #expect(y.data.allSatisfy { abs($0) <= TransformerNet.outputRange })
        case .pixels:
            // Every value is a pixel the saved image can hold: 0…255 once the channel's mean is added back.
            let plane = 32 * 48
            for (i, v) in y.data.enumerated() {
                let pixel = v + VGG16Features.meanBGR[(i / plane) % 3]
                #expect(pixel >= -1e-3 && pixel <= 255 + 1e-3, "value \(i): \(pixel)")
            }
        }
    }

    /// Both upsamplings build from the same tensors (a nearest model file loads either way), and they paint
    /// differently: the choice is recorded per model, never inferred from the weights.
    @Test func upsamplingsShareTheWeightsButNotTheOutput() throws {
        var g = SeededGenerator(seed: 8)
        let x = Tensor(shape: [1, 3, 32, 32], data: (0..<3072).map { _ in g.nextFloat(in: -100..<100) })
        let nearest = try TransformerNet(architecture: .light, upsampling: .nearest, weights: WeightStore(seed: 9))
        let bilinear = try TransformerNet(architecture: .light, upsampling: .bilinear, weights: WeightStore(seed: 9))
        #expect(nearest.parameterCount == bilinear.parameterCount)
        let a = withoutGradients { nearest(x) }, b = withoutGradients { bilinear(x) }
        #expect(a.shape == b.shape && a.data != b.data)
    }

    /// A network with noise planes has their gains as its only extra parameters; the same seed paints the same
    /// result, another seed another one, and `stylize` (seed 0) is repeatable.
    @Test func noisePlanesAreSeeded() throws {
        var g = SeededGenerator(seed: 10)
        let x = Tensor(shape: [1, 3, 32, 32], data: (0..<3072).map { _ in g.nextFloat(in: -100..<100) })
        let plain = try TransformerNet(architecture: .light, weights: WeightStore(seed: 11))
        let noisy = try TransformerNet(architecture: .light, noise: true, weights: WeightStore(seed: 11))
        #expect(noisy.parameterCount == plain.parameterCount + 64 + 64 + 32 + 16)
        let a = withoutGradients { noisy(x, noiseSeed: 1) }, b = withoutGradients { noisy(x, noiseSeed: 1) }
        let c = withoutGradients { noisy(x, noiseSeed: 2) }
        #expect(a.data == b.data && a.data != c.data)
        let image = Image(width: 20, height: 12, channels: 3, pixels: (0..<720).map { Float($0 % 256) })
        #expect(noisy.stylize(image).pixels == noisy.stylize(image).pixels)
    }

    /// The two stages differ only in the final map of the same last-layer values: tanh150 = 150·t, pixels = 127.5·t +
    /// 127.5 − mean, so one can be computed from the other. Tolerance 1e-3 (Float32 rounding of values up to 150).
    @Test func pixelStageIsTheTanhRescaledOntoEachChannelsRange() throws {
        var g = SeededGenerator(seed: 6)
        let x = Tensor(shape: [1, 3, 16, 16], data: (0..<768).map { _ in g.nextFloat(in: -100..<100) })
        let johnsonNet = try TransformerNet(architecture: .light, output: .tanh150, weights: WeightStore(seed: 7))
        let pixelsNet = try TransformerNet(architecture: .light, output: .pixels, weights: WeightStore(seed: 7))
        let johnson = withoutGradients { johnsonNet(x) }, pixels = withoutGradients { pixelsNet(x) }
        let expected = johnson.data.enumerated().map { i, v in
            v / TransformerNet.outputRange * 127.5 + 127.5 - VGG16Features.meanBGR[(i / 256) % 3]
        }
        #expect(maxAbsDifference(pixels.data, expected) <= 1e-3)
    }

    @Test(arguments: [(17, 9), (1, 1), (64, 40), (33, 100)])
    func stylizeKeepsAnyImageSize(size: (Int, Int)) throws {
        let net = try TransformerNet(architecture: .light, weights: WeightStore(seed: 3))
        let image = Image(width: size.0, height: size.1, channels: 3, value: 0.4)
        let out = net.stylize(image)
        #expect(out.width == size.0 && out.height == size.1 && out.channels == 3)
        #expect(out.pixels.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
    }

    @Test func paddingMirrorsAndKeepsTheOriginalAtTheOffsets() {
        var image = Image(width: 5, height: 3, channels: 1, value: 0)
        for i in image.pixels.indices { image.pixels[i] = Float(i) }
        let (padded, left, top) = image.paddedToMultiple(of: 8)
        #expect(padded.width == 8 && padded.height == 8)
        #expect(padded.cropped(x: left, y: top, width: 5, height: 3).pixels == image.pixels)
        // Row `top`, one column left of the original: reflection of column 1 (value 1), not a copy of the edge.
        #expect(padded.pixels[top * 8 + left - 1] == 1)
    }

    @Test(arguments: StylizerUpsampling.allCases)
    func gradientOfOneWeightMatchesFiniteDifferences(upsampling: StylizerUpsampling) throws {
        let net = try TransformerNet(architecture: .light, upsampling: upsampling, weights: WeightStore(seed: 4))
        var g = SeededGenerator(seed: 5)
        let x = Tensor(shape: [1, 3, 32, 32], data: (0..<3072).map { _ in g.nextFloat(in: -100..<100) })
        let probe = Tensor(shape: [1, 3, 32, 32], data: (0..<3072).map { _ in g.nextFloat(in: -1..<1) })
        let loss = { (net(x) * probe).sum() }
        let params = net.store.parameters
        // Parameters whose central difference is stable at this step; others (e.g. down2, or the instance-norm scales
        // on the 4×4 residual planes: 13.0, 10.3, 11.8, 19.9 at h = 1e-2, 3e-3, 1e-3, 3e-4) sit where a ReLU kink
        // makes the finite difference itself jump with h. Each op is checked alone elsewhere, and the test below
        // checks those deep gradients by comparing the two convolution paths instead. With bilinear upsampling,
        // up2's difference crosses a kink at h = 3e-3 (107 against 132 analytic; 130 at 1e-3, 130.6 at 3e-4), so it
        // gets the smaller step.
        for name in ["down1.conv.weight", "res2.conv1.conv.weight", "up2.conv.weight",
                     "out.conv.weight", "out.conv.bias"] {
            let w = try #require(params.first { $0.name == name }?.tensor)
            w.zeroGrad()
            loss().backward()
            let analytic = try #require(w.grad)[0]
            let h: Float = upsampling == .bilinear && name == "up2.conv.weight" ? 1e-3 : 3e-3, saved = w.data[0]
            w.data[0] = saved + h; let up = withoutGradients { loss().item() }
            w.data[0] = saved - h; let down = withoutGradients { loss().item() }
            w.data[0] = saved
            let numeric = (up - down) / (2 * h)
            // Tolerance: 5% relative (+0.05 absolute): central differences in Float32 through ~25 layers.
            #expect(abs(analytic - numeric) <= 0.05 * abs(numeric) + 0.05, "\(name): \(analytic) vs \(numeric)")
        }
    }

    /// The residual blocks' 4×4 maps run through im2col by default and through Winograd when it is allowed at any
    /// width: both must give the same analytic gradients for every parameter, the deep ones included.
    /// Tolerance: 1e-3 relative to the largest gradient of each tensor (the paths differ only in rounding), plus
    /// 1e-5 of the network's largest gradient for the conv biases that feed an instance norm, whose exact gradient
    /// is zero and whose computed one is rounding noise.
    @Test func gradientsAgreeAcrossConvolutionPaths() throws {
        func gradients() throws -> [String: [Float]] {
            let net = try TransformerNet(architecture: .light, weights: WeightStore(seed: 4))
            var g = SeededGenerator(seed: 5)
            let x = Tensor(shape: [1, 3, 32, 32], data: (0..<3072).map { _ in g.nextFloat(in: -100..<100) })
            let probe = Tensor(shape: [1, 3, 32, 32], data: (0..<3072).map { _ in g.nextFloat(in: -1..<1) })
            (net(x) * probe).sum().backward()
            return Dictionary(uniqueKeysWithValues: net.store.parameters.map { ($0.name, $0.tensor.grad ?? []) })
        }
        let im2col = try gradients()
        let winograd = try Conv2DKernel.$winogradMinWidth.withValue(1) { try gradients() }
        #expect(im2col.count == winograd.count && im2col.count > 20)
        #expect(im2col != winograd)   // the override really switched paths (their rounding differs somewhere)
        let largest = im2col.values.flatMap { $0 }.map { abs($0) }.max() ?? 0
        for (name, a) in im2col {
            let b = try #require(winograd[name])
            let scale = a.map { abs($0) }.max() ?? 0
            #expect(a.count == b.count && !a.isEmpty)
            #expect(maxAbsDifference(a, b) <= 1e-3 * scale + 1e-5 * largest, "\(name): largest \(largest)")
        }
    }
}
