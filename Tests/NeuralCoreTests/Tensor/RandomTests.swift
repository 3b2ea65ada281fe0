// Tests for Tensor/Random.swift: determinism and initializer statistics.
import Testing
@testable import NeuralCore

@Suite struct RandomTests {
    @Test func seededGeneratorIsDeterministic() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let sa = (0..<5).map { _ in a.next() }, sb = (0..<5).map { _ in b.next() }, sc = (0..<5).map { _ in c.next() }
        #expect(sa == sb && sa != sc)
    }

    @Test func xavierUniformBounds() {
        var gen = SeededGenerator(seed: 1)
        let v = Initializer.xavierUniform.values(shape: [64, 32, 3, 3], generator: &gen)
        let a = (6 / Float(32 * 9 + 64 * 9)).squareRoot()
        #expect(v.allSatisfy { abs($0) <= a })
        #expect(v.map(abs).max()! > 0.95 * a)   // fills the interval (18 432 samples)
    }

    @Test func heNormalStandardDeviation() {
        var gen = SeededGenerator(seed: 2)
        let v = Initializer.heNormal.values(shape: [128, 64, 3, 3], generator: &gen)
        let mean = v.reduce(0, +) / Float(v.count)
        let std = (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(v.count)).squareRoot()
        let expected = (2 / Float(64 * 9)).squareRoot()
        // 73 728 samples: sample std within 2 % of √(2/fanIn), mean within 0.02·expected.
        #expect(abs(std / expected - 1) < 0.02 && abs(mean) < 0.02 * expected)
    }

    @Test func constantInitializers() {
        var gen = SeededGenerator(seed: 3)
        #expect(Initializer.constant(0.5).values(shape: [3], generator: &gen) == [0.5, 0.5, 0.5])
        #expect(Initializer.ones.values(shape: [2], generator: &gen) == [1, 1])
    }
}
