// `nst-bench gemm`: the calibration point — square sgemm through ParallelGEMM (one-thread OpenBLAS per worker).
import NeuralCore

extension Workloads {
    static let gemm = Workload(
        name: "gemm",
        summary: "square sgemm (default 2048) through ParallelGEMM: the machine's attainable GFLOP/s",
        run: { options in
            let n = options.sizes.first?.0 ?? 2048
            let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
            var c = [Float](repeating: 0, count: n * n)
            let t = Timing.measure(repetitions: options.repetitions) {
                c.withUnsafeMutableBufferPointer { cp in
                    ParallelGEMM.sgemm(transA: false, transB: false, m: n, n: n, k: n, alpha: 1, a: a, lda: n,
                                       b: b, ldb: n, beta: 0, c: cp.baseAddress!, ldc: n)
                }
            }
            let gf = 2 * Double(n * n * n) * 1e-9
            return ["n": n, "seconds": BenchOutput.rounded(t.median, 4), "gflops": BenchOutput.rounded(gf / t.median, 1),
                    "best_gflops": BenchOutput.rounded(gf / t.min, 1)]
        })
}
