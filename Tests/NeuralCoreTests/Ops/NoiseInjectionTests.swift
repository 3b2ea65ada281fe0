// Tests for Ops/NoiseInjection.swift.
import Testing
import TestSupport
@testable import NeuralCore

@Suite struct NoiseInjectionTests {
    @Test func forwardHandChecked() {
        // Two items, two channels of one pixel each: channel c of item n gets scale[c] · noise[n].
        let x = Tensor(shape: [2, 2, 1, 1], data: [1, 2, 3, 4])
        let noise = Tensor(shape: [2, 1, 1, 1], data: [10, -1])
        let y = x.addingNoise(noise, scale: Tensor(shape: [2], data: [0.5, 2]))
        #expect(y.data == [6, 22, 2.5, 2])
    }

    // ε = 1e-2, relative error ≤ 1e-2, for the input and the gains (the noise is a constant).
    @Test func gradients() {
        var g = SeededGenerator(seed: 143)
        let noise = Tensor.gaussianNoise(2, 5, 7, using: &g)
        let r = checkGradients(of: { $0[0].addingNoise(noise, scale: $0[1]) },
                               at: [randomTensor([2, 3, 5, 7], seed: 144), randomTensor([3], seed: 145)], tolerance: 1e-2)
        #expect(r.passed, "\(r)")
    }

    /// The same generator state gives the same planes, equal to serial draws; the samples look standard normal (mean within 0.05 and
    /// standard deviation within 0.05 of 1 over 20 000 draws, both about 7 standard errors).
    @Test func noiseIsSeededAndStandardNormal() {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
        let x = Tensor.gaussianNoise(2, 100, 100, using: &a), y = Tensor.gaussianNoise(2, 100, 100, using: &b)
        #expect(x.shape == [2, 1, 100, 100] && x.data == y.data)
        // Drawn in parallel chunks, yet the same values and final state as one nextGaussian() after another.
        var serial = SeededGenerator(seed: 7)
        #expect(x.data == (0..<20_000).map { _ in serial.nextGaussian() })
        #expect(a.next() == serial.next())
        let mean = x.data.reduce(0, +) / Float(x.count)
        let sd = (x.data.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(x.count)).squareRoot()
        #expect(abs(mean) < 0.05 && abs(sd - 1) < 0.05, "mean \(mean), sd \(sd)")
    }
}
