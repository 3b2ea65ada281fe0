// Thread policy of the convolution kernels: OpenBLAS runs single-threaded and the kernels split their work
// across `ComputeThreads.workers` with `concurrentPerform`, so BLAS threads never nest inside ours.
import COpenBLAS
import Dispatch
import Foundation
import Threading

/// How many threads the kernels use, and the switch that sets it (for NeuralCore and ImageIO alike: the count itself
/// is Threading's `WorkerThreads`, which ImageIO's loops read too).
///
/// Policy: every `cblas_sgemm` call runs with ONE OpenBLAS thread, and the kernels parallelise above BLAS
/// (independent row blocks, Winograd tile blocks, channel groups) with `DispatchQueue.concurrentPerform`.
/// Nesting OpenBLAS threads inside our own workers would oversubscribe the cores, and OpenBLAS's spinning
/// workers would steal time from the transforms that run between GEMMs.
///
/// Call `ComputeThreads.configure()` once at program start (the kernels also call it lazily on first use).
/// Code outside the kernels that wants a multi-threaded matrix product should call `ParallelGEMM.sgemm`,
/// not raise OpenBLAS's own thread count.
public enum ComputeThreads {
    /// Pins OpenBLAS to one thread, once, before the first kernel runs.
    private static let openBLASPinned: Void = openblas_set_num_threads(1)

    /// Sets the worker count of every parallel loop (`WorkerThreads.configure`: default the NST_THREADS environment
    /// variable if it is a positive number, else all active cores) and pins OpenBLAS to one thread. Idempotent; cheap.
    public static func configure(threads: Int? = nil) {
        WorkerThreads.configure(threads: threads)
        ensureConfigured()
    }

    /// Number of parallel workers the kernels split their work into (≥ 1).
    public static var workers: Int {
        ensureConfigured()
        return WorkerThreads.count
    }

    /// Pins OpenBLAS unless that already happened; the kernels call this on entry.
    static func ensureConfigured() {
        openBLASPinned
    }

    /// Runs `body(i)` for i in 0..<count, on up to `workers` threads. Runs inline when count == 1.
    @inlinable
    public static func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        if count <= 0 { return }
        if count == 1 { body(0); return }
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }

    /// Runs `body` on min(workers, count) contiguous, near-equal parts of 0..<count in parallel. Callers loop over a
    /// part's items inside `body`, so buffers can be allocated once per part and per-item calls stay direct.
    public static func parallelRanges(_ count: Int, _ body: (Range<Int>) -> Void) {
        let parts = min(workers, count)
        guard parts > 0 else { return }
        let ranges = split(count, parts: parts)
        parallelFor(parts) { body(ranges[$0]) }
    }

    /// Splits 0..<total into `parts` contiguous ranges of near-equal size (some may be empty).
    static func split(_ total: Int, parts: Int) -> [Range<Int>] {
        (0..<parts).map { p in (total * p / parts)..<(total * (p + 1) / parts) }
    }
}
