// Whitening–colouring transform of Li et al., "Universal Style Transfer via Feature Transforms" (NeurIPS 2017), sec. 3.1:
// content features are whitened (identity covariance), then coloured with a style's covariance and shifted to its mean.
// Covariances are C×C (C ≤ 512) and are eigendecomposed by NeuralCore's LinearAlgebra; every product with H·W columns is
// one GEMM.
import Foundation
import NeuralCore

/// LAPACK's symmetric eigen-solver failed (it does not converge only on NaN/Inf input or pathological matrices).
public struct WCTError: Error, CustomStringConvertible {
    /// What went wrong, one line.
    public let problem: String
    public var description: String { "whitening-colouring transform: \(problem)" }
}

/// The whitening–colouring transform on features of one image: [1, C, H, W] or [C, H·W], row-major.
public enum WCT {
    /// Ridge added to each covariance, relative to its mean eigenvalue (trace / C), plus `absoluteEpsilon`:
    /// keeps a flat-colour image's all-zero covariance invertible without changing well-conditioned ones noticeably.
    public static let relativeEpsilon: Float = 1e-5
    public static let absoluteEpsilon: Float = 1e-6
    /// Eigenvalues below this fraction of the largest are dropped (the paper's code truncates likewise): whitening
    /// projects those directions out instead of amplifying noise by λ^(-1/2), colouring gives them no variance.
    public static let eigenvalueCutoff: Float = 1e-5

    /// Σᵢ wᵢ·WCT(content, styleᵢ), then mixed with the content as strength·that + (1 − strength)·content.
    /// - content: [1, C, H, W] or [C, N]; styles: same C, any spatial size; blend: one weight ≥ 0 per style (normalised
    ///   to sum 1; empty means equal weights); strength in 0…1.
    /// - Returns: a tensor of the content's shape, without a gradient graph.
    /// - Throws: `WCTError` when the eigen-solver fails (NaN/Inf features).
    public static func transform(content: Tensor, styles: [Tensor], blend: [Float] = [], strength: Float = 1) throws -> Tensor {
        require(!styles.isEmpty, "WCT needs at least one style")
        let weights = normalisedBlend(blend, count: styles.count)
        let (c, n) = matrixShape(content)
        let fc = centred(content.data, channels: c, count: n)
        // Everything is linear in the centred content, so styles and strength fold into one C×C matrix M and one
        // bias b: out = M·Fc + b with M = α·Σ wᵢ·Colourᵢ·Whiten + (1 − α)·I and b = α·Σ wᵢ·μᵢ + (1 − α)·μc.
        let whiten = try covarianceFunction(fc.values, channels: c, count: n, power: -0.5)
        var colour = [Float](repeating: 0, count: c * c)
        var bias = fc.mean.map { (1 - strength) * $0 }
        for (style, w) in zip(styles, weights) where w > 0 {
            let (sc, sn) = matrixShape(style)
            require(sc == c, "WCT: style features \(style.shape) do not match content features \(content.shape)")
            let s = centred(style.data, channels: sc, count: sn)
            let colouring = try covarianceFunction(s.values, channels: c, count: sn, power: 0.5)
            for i in 0..<c * c { colour[i] += strength * w * colouring[i] }
            for i in 0..<c { bias[i] += strength * w * s.mean[i] }
        }
        var m = LinearAlgebra.product(colour, whiten, size: c)
        for i in 0..<c { m[i * c + i] += 1 - strength }

        var out = [Float](repeating: 0, count: c * n)
        out.withUnsafeMutableBufferPointer { o in
            for i in 0..<c { o.baseAddress!.advanced(by: i * n).update(repeating: bias[i], count: n) }
            m.withUnsafeBufferPointer { mp in
                fc.values.withUnsafeBufferPointer { f in
                    ParallelGEMM.sgemm(transA: false, transB: false, m: c, n: n, k: c, alpha: 1, a: mp.baseAddress!, lda: c,
                                       b: f.baseAddress!, ldb: n, beta: 1, c: o.baseAddress!, ldc: n)
                }
            }
        }
        return Tensor(shape: content.shape, data: out)
    }

    // MARK: - Pieces

    /// Blend weights scaled to sum 1; empty or all-zero means equal weights.
    static func normalisedBlend(_ blend: [Float], count: Int) -> [Float] {
        require(blend.isEmpty || blend.count == count, "WCT: \(blend.count) blend weights for \(count) styles")
        let total = blend.reduce(0, +)
        guard !blend.isEmpty, total > 0 else { return Array(repeating: 1 / Float(count), count: count) }
        return blend.map { $0 / total }
    }

    /// (C, N) of a [1, C, H, W] or [C, N] feature tensor.
    static func matrixShape(_ t: Tensor) -> (Int, Int) {
        switch t.shape.count {
        case 4:
            require(t.shape[0] == 1, "WCT works on one image, got \(t.shape)")
            return (t.shape[1], t.shape[2] * t.shape[3])
        case 2: return (t.shape[0], t.shape[1])
        default: fatalError("WCT needs [1, C, H, W] or [C, N] features, got \(t.shape)")
        }
    }

    /// Per-channel means and the features minus them.
    static func centred(_ data: [Float], channels c: Int, count n: Int) -> (mean: [Float], values: [Float]) {
        var values = data
        var mean = [Float](repeating: 0, count: c)
        values.withUnsafeMutableBufferPointer { v in
            mean.withUnsafeMutableBufferPointer { m in
                let base = v.baseAddress!, means = m.baseAddress!
                ComputeThreads.parallelRanges(c) { channels in
                    for ch in channels {
                        let row = base + ch * n
                        var sum: Double = 0   // Double: up to ~200k terms
                        for k in 0..<n { sum += Double(row[k]) }
                        let mu = Float(sum / Double(max(n, 1)))
                        for k in 0..<n { row[k] -= mu }
                        means[ch] = mu
                    }
                }
            }
        }
        return (mean, values)
    }

    /// f(Cov) = E·diag(f(λ))·Eᵀ with f(λ) = λ^power over the kept eigenvalues, for Cov = F·Fᵀ/(N − 1) + εI of centred F.
    static func covarianceFunction(_ centred: [Float], channels c: Int, count n: Int, power: Float) throws -> [Float] {
        var cov = [Float](repeating: 0, count: c * c)
        centred.withUnsafeBufferPointer { f in
            cov.withUnsafeMutableBufferPointer { out in
                ParallelGEMM.sgemm(transA: false, transB: true, m: c, n: c, k: n, alpha: 1 / Float(max(n - 1, 1)),
                                   a: f.baseAddress!, lda: n, b: f.baseAddress!, ldb: n, beta: 0, c: out.baseAddress!, ldc: c)
            }
        }
        var trace: Float = 0
        for i in 0..<c { trace += cov[i * c + i] }
        let epsilon = relativeEpsilon * max(trace, 0) / Float(c) + absoluteEpsilon
        for i in 0..<c { cov[i * c + i] += epsilon }
        let (values, vectors): ([Float], [Float])
        do { (values, vectors) = try LinearAlgebra.symmetricEigen(cov, size: c) } catch { throw WCTError(problem: "covariance: \(error)") }
        let largest = values.last ?? 0
        // E scaled column by column with f(λ), then times Eᵀ.
        var scaled = vectors
        for j in 0..<c {
            let keep = values[j] > eigenvalueCutoff * largest && values[j] > 0
            let f = keep ? Float(pow(Double(values[j]), Double(power))) : 0
            for i in 0..<c { scaled[i * c + j] *= f }
        }
        return LinearAlgebra.product(scaled, vectors, size: c, transposingB: true)
    }
}
