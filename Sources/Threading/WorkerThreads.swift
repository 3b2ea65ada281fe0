// The one thread-count switch of every parallel loop in nst. It sits below both NeuralCore (conv kernels,
// element-wise ops, reductions) and ImageIO (resize, JPEG sample conversion, guided filter), which do not depend on
// each other, so `--threads` and NST_THREADS bound all of them without either library knowing the other.
import Dispatch
import Foundation

public enum WorkerThreads {
    nonisolated(unsafe) private static var configuredCount = 0
    private static let lock = NSLock()

    /// Sets the worker count: `threads`, else the NST_THREADS environment variable if it is a positive number, else
    /// all active cores. Idempotent; cheap. Parallel loops read the count on entry, so call it between runs.
    public static func configure(threads: Int? = nil) {
        lock.lock(); defer { lock.unlock() }
        configuredCount = max(1, threads ?? environmentThreads ?? cores)
    }

    /// NST_THREADS as a positive count, if set.
    public static var environmentThreads: Int? {
        guard let text = ProcessInfo.processInfo.environment["NST_THREADS"], let n = Int(text), n > 0 else { return nil }
        return n
    }

    /// Number of parallel workers loops split their work into (≥ 1); configured with the defaults on first use.
    public static var count: Int {
        if configuredCount == 0 { configure() }
        return configuredCount
    }

    /// The machine's cores: with at least this many workers, Dispatch's own limit is the bound.
    public static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Runs `body(k)` for k in 0..<pieces with at most `count` of them at once. With every core allowed, Dispatch
    /// hands out the pieces as threads free up (it already runs at most one thread per core), which balances
    /// uneven pieces and a VM's stolen time; with fewer workers, each takes a contiguous run of pieces. The pieces
    /// (and so any per-piece partial result) do not depend on the thread count.
    @inlinable
    public static func run(_ pieces: Int, _ body: (Int) -> Void) {
        let workers = count
        let threads = min(workers, pieces)
        if threads <= 1 { for k in 0..<pieces { body(k) }; return }
        if threads == pieces || workers >= cores { DispatchQueue.concurrentPerform(iterations: pieces, execute: body); return }
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for k in (pieces * t / threads)..<(pieces * (t + 1) / threads) { body(k) }
        }
    }
}
