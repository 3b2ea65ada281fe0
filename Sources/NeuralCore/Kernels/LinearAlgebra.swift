// Dense linear algebra on small row-major matrices beyond GEMM: the one place LAPACK is called (the --fast whitening–
// colouring transform eigendecomposes C×C covariances, C ≤ 512).
import COpenBLAS

/// LAPACK failed: it does so only on NaN/Inf input or pathological matrices.
public struct LinearAlgebraError: Error, CustomStringConvertible {
    /// What went wrong, one line.
    public let problem: String
    public var description: String { problem }
}

public enum LinearAlgebra {
    /// Symmetric eigendecomposition A = E·diag(values)·Eᵀ of a row-major n×n matrix (only symmetry is assumed), by
    /// LAPACK `ssyevd`. Returns eigenvalues ascending and E row-major with eigenvector j in column j.
    public static func symmetricEigen(_ matrix: [Float], size n: Int) throws -> (values: [Float], vectors: [Float]) {
        require(matrix.count == n * n && n > 0, "symmetricEigen: \(matrix.count) values for a \(n)×\(n) matrix")
        var a = matrix   // symmetric, so row- and column-major agree on input
        var w = [Float](repeating: 0, count: n)
        var jobz: CChar = 86 /* V */, uplo: CChar = 85 /* U */
        var size = Int32(n), lda = Int32(n), info: Int32 = 0
        // Workspace query first (lwork = liwork = −1), then the real call.
        var workSize: Float = 0, iworkSize: Int32 = 0, query: Int32 = -1, iquery: Int32 = -1
        ssyevd_(&jobz, &uplo, &size, &a, &lda, &w, &workSize, &query, &iworkSize, &iquery, &info)
        guard info == 0 else { throw LinearAlgebraError(problem: "ssyevd workspace query failed (info \(info))") }
        var lwork = Int32(workSize), liwork = iworkSize
        var work = [Float](repeating: 0, count: Int(lwork)), iwork = [Int32](repeating: 0, count: Int(liwork))
        ssyevd_(&jobz, &uplo, &size, &a, &lda, &w, &work, &lwork, &iwork, &liwork, &info)
        guard info == 0 else {
            throw LinearAlgebraError(problem: "eigendecomposition of a \(n)×\(n) matrix failed (ssyevd info \(info); NaN or Inf in it?)")
        }
        // LAPACK stores eigenvector j in column j of a column-major array, i.e. in row j of our row-major view.
        var vectors = [Float](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { vectors[i * n + j] = a[j * n + i] } }
        return (w, vectors)
    }

    /// Row-major n×n product a·b, or a·bᵀ with `transposingB` (one GEMM).
    public static func product(_ a: [Float], _ b: [Float], size n: Int, transposingB: Bool = false) -> [Float] {
        require(a.count == n * n && b.count == n * n, "product: \(a.count) and \(b.count) values for \(n)×\(n) matrices")
        var c = [Float](repeating: 0, count: n * n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    ParallelGEMM.sgemm(transA: false, transB: transposingB, m: n, n: n, k: n, alpha: 1, a: ap.baseAddress!, lda: n,
                                       b: bp.baseAddress!, ldb: n, beta: 0, c: cp.baseAddress!, ldc: n)
                }
            }
        }
        return c
    }
}
