// Reusable scratch buffers for the kernels. Large allocations come from fresh mmap'd pages each time, and
// faulting in tens of MB per call cost as much as a small conv's arithmetic; pooled buffers stay mapped.
import Foundation

/// A process-wide pool of float buffers the kernels borrow for im2col columns and Winograd transforms.
/// It holds at most what was in use at once (tens of MB for VGG at 512²); `releaseAll()` returns it to the system.
public enum KernelScratch {
    final class Block {
        let pointer: UnsafeMutablePointer<Float>
        let capacity: Int
        init(capacity: Int) { self.capacity = capacity; pointer = .allocate(capacity: capacity) }
        deinit { pointer.deallocate() }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var free: [Block] = []

    /// Floats currently held idle by the pool.
    public static var idleFloats: Int {
        lock.lock(); defer { lock.unlock() }
        return free.reduce(0) { $0 + $1.capacity }
    }

    /// Frees every idle buffer (buffers in use are unaffected and return to the pool when done).
    public static func releaseAll() {
        lock.lock(); free.removeAll(); lock.unlock()
    }

    /// Borrows a buffer of at least `count` floats (contents undefined) for the duration of `body`.
    static func with<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
        let block = take(count)
        defer { give(block) }
        return body(block.pointer)
    }

    static func take(_ count: Int) -> Block {
        lock.lock()
        // Smallest idle block that fits, so one large buffer isn't spent on a small request.
        var best: Int? = nil
        for (i, b) in free.enumerated() where b.capacity >= count {
            if best == nil || b.capacity < free[best!].capacity { best = i }
        }
        if let best { let b = free.remove(at: best); lock.unlock(); return b }
        lock.unlock()
        return Block(capacity: max(count, 1))
    }

    static func give(_ block: Block) {
        lock.lock(); free.append(block); lock.unlock()
    }
}
