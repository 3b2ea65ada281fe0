// WCT: the eigen-solver reconstructs its matrix, the transform gives the style's mean and covariance, strength and
// blend weights mix linearly, and flat-colour (rank-deficient) features stay finite.
import Foundation
import NeuralCore
import Testing
import TestSupport
@testable import StyleTransfer

@Suite struct WCTTests {
    /// Correlated features [C, N]: a random mixing matrix times uniform noise, plus per-channel offsets.
    static func correlatedFeatures(channels c: Int, count n: Int, seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        let mix = (0..<c * c).map { _ in g.nextFloat(in: -1..<1) }
        let noise = (0..<c * n).map { _ in g.nextFloat(in: -1..<1) }
        let offsets = (0..<c).map { _ in g.nextFloat(in: -5..<5) }
        var data = [Float](repeating: 0, count: c * n)
        for i in 0..<c { for k in 0..<n {
            var s: Float = offsets[i]
            for j in 0..<c { s += 3 * mix[i * c + j] * noise[j * n + k] }
            data[i * n + k] = s
        } }
        return Tensor(shape: [c, n], data: data)
    }

    /// Per-channel mean and covariance (divisor N − 1), in Double.
    static func statistics(_ t: Tensor) -> (mean: [Double], covariance: [Double]) {
        let c = t.shape[0], n = t.count / c
        let mean = (0..<c).map { i in (0..<n).reduce(0.0) { $0 + Double(t.data[i * n + $1]) } / Double(n) }
        var cov = [Double](repeating: 0, count: c * c)
        for i in 0..<c { for j in 0..<c {
            var s = 0.0
            for k in 0..<n { s += (Double(t.data[i * n + k]) - mean[i]) * (Double(t.data[j * n + k]) - mean[j]) }
            cov[i * c + j] = s / Double(n - 1)
        } }
        return (mean, cov)
    }

    @Test(arguments: [1, 5, 16, 64])
    func eigenSolverReconstructsTheMatrix(n: Int) throws {
        var g = SeededGenerator(seed: UInt64(n))
        let b = (0..<n * n).map { _ in g.nextFloat(in: -1..<1) }
        var a = [Float](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { a[i * n + j] = b[i * n + j] + b[j * n + i] } }   // symmetric, indefinite
        let (values, e) = try LinearAlgebra.symmetricEigen(a, size: n)
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 })   // ascending
        // A = E·D·Eᵀ and EᵀE = I; tolerance 1e-4 · n on entries of size ~1 (Float32 eigen-solver).
        for i in 0..<n { for j in 0..<n {
            var rebuilt: Float = 0, gram: Float = 0
            for k in 0..<n {
                rebuilt += e[i * n + k] * values[k] * e[j * n + k]
                gram += e[k * n + i] * e[k * n + j]
            }
            #expect(abs(rebuilt - a[i * n + j]) < 1e-4 * Float(n))
            #expect(abs(gram - (i == j ? 1 : 0)) < 1e-4 * Float(n))
        } }
    }

    @Test func fullStrengthGivesTheStyleMeanAndCovariance() throws {
        let content = Self.correlatedFeatures(channels: 12, count: 700, seed: 1)
        let style = Self.correlatedFeatures(channels: 12, count: 450, seed: 2)   // a different H·W
        let out = try WCT.transform(content: content, styles: [style], strength: 1)
        #expect(out.shape == content.shape)
        let (mo, co) = Self.statistics(out), (ms, cs) = Self.statistics(style)
        let scale = cs.map(abs).max()!
        // Tolerance: 1e-3 of the largest covariance entry (ε ridge 1e-5 relative, Float32 GEMMs and eigen-solver).
        for i in 0..<12 { #expect(abs(mo[i] - ms[i]) < 1e-3 * scale.squareRoot()) }
        for i in 0..<144 { #expect(abs(co[i] - cs[i]) < 1e-3 * scale, "covariance entry \(i): \(co[i]) vs \(cs[i])") }
        // And it really changed something: the content's covariance differs from the style's by far more.
        let (_, cc) = Self.statistics(content)
        #expect(zip(cc, cs).map { abs($0 - $1) }.max()! > 0.1 * scale)
    }

    @Test func zeroStrengthReturnsTheContent() throws {
        let content = Self.correlatedFeatures(channels: 6, count: 200, seed: 3)
        let style = Self.correlatedFeatures(channels: 6, count: 90, seed: 4)
        let out = try WCT.transform(content: content, styles: [style], strength: 0)
        #expect(maxAbsDifference(out.data, content.data) < 1e-4)   // tolerance: centring and re-adding the mean in Float32
    }

    @Test func strengthAndBlendMixLinearly() throws {
        let content = Self.correlatedFeatures(channels: 8, count: 300, seed: 5)
        let s1 = Self.correlatedFeatures(channels: 8, count: 100, seed: 6), s2 = Self.correlatedFeatures(channels: 8, count: 150, seed: 7)
        let t1 = try WCT.transform(content: content, styles: [s1]), t2 = try WCT.transform(content: content, styles: [s2])
        let blended = try WCT.transform(content: content, styles: [s1, s2], blend: [1, 3], strength: 0.6)
        let expected = (0..<content.count).map { (i: Int) -> Float in
            let styled: Float = 0.25 * t1.data[i] + 0.75 * t2.data[i]
            return 0.6 * styled + 0.4 * content.data[i]
        }
        let scale = t1.data.map(abs).max()!
        #expect(maxAbsDifference(blended.data, expected) < 1e-4 * scale)   // tolerance: Float32 rounding of the folded matrix
    }

    @Test func acceptsNCHWFeaturesAndKeepsTheirShape() throws {
        let content = Self.correlatedFeatures(channels: 4, count: 35, seed: 8), style = Self.correlatedFeatures(channels: 4, count: 24, seed: 9)
        let out = try WCT.transform(content: content.reshaped([1, 4, 5, 7]), styles: [style.reshaped([1, 4, 4, 6])])
        let flat = try WCT.transform(content: content, styles: [style])
        #expect(out.shape == [1, 4, 5, 7])
        #expect(maxAbsDifference(out.data, flat.data) == 0)
    }

    @Test func flatColourStyleAndContentGiveFiniteOutput() throws {
        let c = 16
        let flatStyle = Tensor(shape: [c, 50], data: (0..<c * 50).map { Float($0 / 50) * 0.5 })   // channel i is constant i/2
        let content = Self.correlatedFeatures(channels: c, count: 80, seed: 10)
        let out = try WCT.transform(content: content, styles: [flatStyle])
        #expect(out.data.allSatisfy { $0.isFinite })
        // The output takes the flat style's colour: each channel within 0.05 of its constant (the ε ridge lets ~√ε through).
        for i in 0..<c { for k in 0..<80 { #expect(abs(out.data[i * 80 + k] - Float(i) * 0.5) < 0.05) } }

        let flatContent = Tensor(repeating: 2, shape: [c, 40])
        let fromFlat = try WCT.transform(content: flatContent, styles: [flatStyle])
        #expect(fromFlat.data.allSatisfy { $0.isFinite })
        // Rank-deficient style too: features living in a 2-D subspace of 16 channels.
        var g = SeededGenerator(seed: 11)
        let a = (0..<60).map { _ in g.nextFloat(in: -1..<1) }, b = (0..<60).map { _ in g.nextFloat(in: -1..<1) }
        let lowRank = Tensor(shape: [c, 60], data: (0..<c * 60).map { Float($0 / 60 + 1) * a[$0 % 60] - b[$0 % 60] })
        #expect(try WCT.transform(content: content, styles: [lowRank]).data.allSatisfy { $0.isFinite })
    }
}
