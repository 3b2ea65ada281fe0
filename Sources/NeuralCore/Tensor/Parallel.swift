// Splitting big loops across cores with DispatchQueue.concurrentPerform; small loops stay on the caller's thread
// because dispatch overhead (~µs) would dominate them. The thread count is ComputeThreads' (the one switch that
// `--threads` and NST_THREADS set, kept in Threading's WorkerThreads), so element-wise ops, reductions, the conv kernels
// and ImageIO's loops all honour it.
import Foundation
import Threading

enum Parallel {
    /// Number of worker threads to split across.
    static var workers: Int { ComputeThreads.workers }

    /// Runs `body(k)` for k in 0..<pieces with at most `workers` of them at once (`WorkerThreads.run`, which ImageIO's
    /// loops share).
    @inline(__always)
    static func run(_ pieces: Int, _ body: (Int) -> Void) {
        ComputeThreads.ensureConfigured()
        WorkerThreads.run(pieces, body)
    }

    /// Calls `body` on disjoint subranges covering `0..<count`, in parallel when `count` is at least
    /// `2 · grain` elements' worth of work. `grain` is the smallest range worth a thread.
    @inline(__always)
    static func chunks(_ count: Int, grain: Int = 1 << 15, _ body: (Range<Int>) -> Void) {
        let pieces = min(workers * 2, count / max(grain, 1))
        if pieces <= 1 { body(0..<count); return }
        let size = (count + pieces - 1) / pieces
        run(pieces) { p in
            let lo = p * size, hi = min(count, lo + size)
            if lo < hi { body(lo..<hi) }
        }
    }

    /// Calls `body(i)` for each `i` in `0..<count` (e.g. channel planes), in parallel when
    /// `count · workPerItem` is large enough.
    @inline(__always)
    static func forEach(_ count: Int, workPerItem: Int, _ body: (Int) -> Void) {
        if count <= 1 || count * workPerItem < 1 << 15 {
            for i in 0..<count { body(i) }
            return
        }
        run(count, body)
    }
}

extension Array where Element == Float {
    /// Creates an array of `count` elements written by `fill` (no zeroing first).
    @inline(__always)
    init(count: Int, fill: (UnsafeMutablePointer<Float>) -> Void) {
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { fill(buffer.baseAddress!) }
            initialized = count
        }
    }

    /// `self[i] += other[i]` for all i.
    mutating func addInPlace(_ other: [Float]) {
        require(count == other.count, "addInPlace: \(count) vs \(other.count) elements")
        let n = count
        withUnsafeMutableBufferPointer { d in
            other.withUnsafeBufferPointer { s in
                let dp = d.baseAddress!, sp = s.baseAddress!
                Parallel.chunks(n, grain: 1 << 16) { r in
                    for i in r { dp[i] += sp[i] }
                }
            }
        }
    }
}

/// Sums of SIMD-friendly reductions; eight independent partial sums also keep Float rounding error low.
enum Reduce {
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        var i = 0
        while i + 8 <= n {
            acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var s = acc.sum()
        while i < n { s += p[i]; i += 1 }
        return s
    }

    /// Σ (p[i] − c)².
    @inline(__always)
    static func sumSquaredDeviation(_ p: UnsafePointer<Float>, _ n: Int, from c: Float) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        let cv = SIMD8<Float>(repeating: c)
        var i = 0
        while i + 8 <= n {
            let d = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self) - cv
            acc += d * d
            i += 8
        }
        var s = acc.sum()
        while i < n { let d = p[i] - c; s += d * d; i += 1 }
        return s
    }

    /// Σ a[i]·b[i].
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        var i = 0
        while i + 8 <= n {
            acc += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var s = acc.sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }
}

extension Reduce {
    /// Σ a[i]·(b[i] − c).
    @inline(__always)
    static func dotCentered(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int, _ c: Float) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        let cv = SIMD8<Float>(repeating: c)
        var i = 0
        while i + 8 <= n {
            acc += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
                * (UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self) - cv)
            i += 8
        }
        var s = acc.sum()
        while i < n { s += a[i] * (b[i] - c); i += 1 }
        return s
    }
}
