// ParallelGEMM checked against a naive triple loop, for both split directions and all transpose combinations.
import Testing
@testable import NeuralCore

@Suite("Kernels: ParallelGEMM")
struct KernelsParallelGEMMTests {
    /// (m, n, k): tall (split along m), wide (split along n), and big enough (> 2 MFLOP) to be split at all.
    /// Tolerance: relative error ≤ 1e-5 (sums of ≤ 300 products of numbers in [−1, 1]).
    @Test(arguments: [(301, 17, 211), (19, 257, 223), (5, 7, 3)], [false, true])
    func matchesNaiveProduct(_ shape: (Int, Int, Int), _ transposed: Bool) {
        let (m, n, k) = shape
        var rng = SeededRandom(seed: UInt64(m * n + k))
        let a = rng.buffer(m * k), b = rng.buffer(k * n), c0 = rng.buffer(m * n)
        // With `transposed`, A is stored k×m and B n×k, and both are read transposed.
        var expected = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n {
            var s: Float = 0
            for p in 0..<k { s += (transposed ? a[p * m + i] : a[i * k + p]) * (transposed ? b[j * k + p] : b[p * n + j]) }
            expected[i * n + j] = 2 * s + 0.5 * c0[i * n + j]
        } }
        var c = c0
        c.withUnsafeMutableBufferPointer { cp in
            ParallelGEMM.sgemm(transA: transposed, transB: transposed, m: m, n: n, k: k, alpha: 2, a: a,
                               lda: transposed ? m : k, b: b, ldb: transposed ? k : n, beta: 0.5,
                               c: cp.baseAddress!, ldc: n)
        }
        #expect(relativeError(c, expected) <= 1e-5)
    }
}
