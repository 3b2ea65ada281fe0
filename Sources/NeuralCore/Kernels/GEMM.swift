// Row-major single-precision matrix multiply through OpenBLAS cblas_sgemm, with Swift-friendly arguments.
import COpenBLAS

/// C (m×n) = alpha · op(A) · op(B) + beta · C, all row-major.
enum GEMM {
    static func multiply(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                         alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                         beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        if k == 0 {   // BLAS would leave C untouched only for beta == 1; make the empty product explicit.
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } }
            return
        }
        // OpenBLAS is pinned to one thread (ComputeThreads); ParallelGEMM splits large products over the cores.
        ParallelGEMM.sgemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k, alpha: alpha,
                           a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}
