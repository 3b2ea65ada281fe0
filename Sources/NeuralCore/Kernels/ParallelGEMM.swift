// Row-major single-precision GEMM split across `ComputeThreads.workers`, each part a one-thread cblas_sgemm.

import COpenBLAS

/// Multi-threaded C = alpha·op(A)·op(B) + beta·C (row-major), for callers outside the conv kernels.
public enum ParallelGEMM {
    /// Same arguments as row-major `cblas_sgemm` (m×k op(A), k×n op(B), m×n C). Splits along the larger of m and n.
    public static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let workers = ComputeThreads.workers
        let ta = transA ? CblasTrans : CblasNoTrans, tb = transB ? CblasTrans : CblasNoTrans
        // Below ~2 MFLOP a split costs more than it saves.
        let parts = (2 * m * n * k < 2_000_000) ? 1 : workers
        if m >= n {
            let ranges = ComputeThreads.split(m, parts: parts)
            ComputeThreads.parallelFor(parts) { p in
                let r = ranges[p]; if r.isEmpty { return }
                let aPart = transA ? a + r.lowerBound : a + r.lowerBound * lda
                cblas_sgemm(CblasRowMajor, ta, tb, Int32(r.count), Int32(n), Int32(k), alpha, aPart, Int32(lda),
                            b, Int32(ldb), beta, c + r.lowerBound * ldc, Int32(ldc))
            }
        } else {
            let ranges = ComputeThreads.split(n, parts: parts)
            ComputeThreads.parallelFor(parts) { p in
                let r = ranges[p]; if r.isEmpty { return }
                let bPart = transB ? b + r.lowerBound * ldb : b + r.lowerBound
                cblas_sgemm(CblasRowMajor, ta, tb, Int32(m), Int32(r.count), Int32(k), alpha, a, Int32(lda),
                            bPart, Int32(ldb), beta, c + r.lowerBound, Int32(ldc))
            }
        }
    }
}
