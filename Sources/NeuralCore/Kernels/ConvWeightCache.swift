// Transformed weights kept between calls: frozen weights (VGG in style transfer) are transformed once, not per call.
import Foundation

/// A per-weight-tensor cache of the kernels' weight transforms (Winograd U matrices for forward and backward-data).
///
/// Keep one cache beside each weight tensor and pass it to the `weightCache:` overloads of `Conv2DKernel`.
/// Entries are keyed by the weight's shape and base address, NOT its contents: call `invalidate()` whenever the
/// weight values change (after every optimizer step of a trained weight), or pass no cache for trained weights.
/// Thread-safe; costs nothing until a path that transforms weights is used.
public final class ConvWeightCache: @unchecked Sendable {
    struct Key: Hashable {
        var direction: Int  // 0 forward, 1 backward data
        var outChannels, inChannels, kernelHeight, kernelWidth: Int
        var address: UInt
    }

    /// An owned float buffer; callers hold it for as long as they read it, so invalidation can't free it under them.
    final class Buffer {
        let pointer: UnsafeMutablePointer<Float>
        let count: Int
        init(count: Int) { self.count = count; pointer = .allocate(capacity: count) }
        deinit { pointer.deallocate() }
    }

    private let lock = NSLock()
    private var entries: [Key: Buffer] = [:]

    public init() {}

    /// Drops every cached transform. Call after the weight values change.
    public func invalidate() {
        lock.lock(); entries.removeAll(); lock.unlock()
    }

    /// Bytes held by the cached transforms.
    public var byteCount: Int {
        lock.lock(); defer { lock.unlock() }
        return entries.values.reduce(0) { $0 + $1.count * MemoryLayout<Float>.stride }
    }

    /// The cached buffer for `key`, or a new one of `count` floats filled by `fill` (outside the lock) and stored.
    func buffer(for key: Key, count: Int, fill: (UnsafeMutablePointer<Float>) -> Void) -> Buffer {
        lock.lock()
        if let b = entries[key] { lock.unlock(); return b }
        lock.unlock()
        let b = Buffer(count: count)
        fill(b.pointer)
        lock.lock(); entries[key] = b; lock.unlock()
        return b
    }
}
