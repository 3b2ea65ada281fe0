// Shared single-pass, multi-threaded loops for elementwise ops over whole buffers.
// The caller's kernel receives whole chunks (pointers + length) rather than single elements: a per-element
// closure cannot be inlined through DispatchQueue.concurrentPerform and costs ~5× the memory traffic.

enum Elementwise {
    typealias Unary = (_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) -> Void
    typealias Binary = (_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) -> Void

    /// A new buffer y with kernel(x, y, n) applied chunk by chunk.
    @inline(__always)
    static func unary(_ a: [Float], _ kernel: Unary) -> [Float] {
        let n = a.count
        return a.withUnsafeBufferPointer { ab in
            guard let ap = ab.baseAddress else { return [] }
            return [Float](count: n) { out in
                Parallel.chunks(n) { r in kernel(ap + r.lowerBound, out + r.lowerBound, r.count) }
            }
        }
    }

    /// A new buffer y with kernel(a, b, y, n) applied chunk by chunk; a and b have equal counts.
    @inline(__always)
    static func binary(_ a: [Float], _ b: [Float], _ kernel: Binary) -> [Float] {
        require(a.count == b.count, "elementwise: \(a.count) vs \(b.count) elements")
        let n = a.count
        return a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                guard let ap = ab.baseAddress, let bp = bb.baseAddress else { return [] }
                return [Float](count: n) { out in
                    Parallel.chunks(n) { r in kernel(ap + r.lowerBound, bp + r.lowerBound, out + r.lowerBound, r.count) }
                }
            }
        }
    }

    static func add(_ a: [Float], _ b: [Float]) -> [Float] { binary(a, b) { a, b, y, n in for i in 0..<n { y[i] = a[i] + b[i] } } }
    static func subtract(_ a: [Float], _ b: [Float]) -> [Float] { binary(a, b) { a, b, y, n in for i in 0..<n { y[i] = a[i] - b[i] } } }
    static func multiply(_ a: [Float], _ b: [Float]) -> [Float] { binary(a, b) { a, b, y, n in for i in 0..<n { y[i] = a[i] * b[i] } } }
    static func scale(_ a: [Float], _ s: Float) -> [Float] { unary(a) { x, y, n in for i in 0..<n { y[i] = x[i] * s } } }
    static func offset(_ a: [Float], _ s: Float) -> [Float] { unary(a) { x, y, n in for i in 0..<n { y[i] = x[i] + s } } }
}

extension Elementwise {
    /// out[i] = a[i] · (key[i] > 0 ? 1 : slope), in SIMD8 lanes: the ReLU family's forward (key = a) and backward
    /// (a = dy). Branch-free because a data-dependent branch mispredicts half the time on activations (~10× slower).
    static func gate(_ a: [Float], by key: [Float], slope: Float) -> [Float] {
        binary(a, key) { a, k, y, n in
            let one = SIMD8<Float>(repeating: 1), s = SIMD8<Float>(repeating: slope), zero = SIMD8<Float>()
            var i = 0
            while i + 8 <= n {
                let kv = UnsafeRawPointer(k + i).loadUnaligned(as: SIMD8<Float>.self)
                let av = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(y + i).storeBytes(of: av * s.replacing(with: one, where: kv .> zero), as: SIMD8<Float>.self)
                i += 8
            }
            while i < n { y[i] = k[i] > 0 ? a[i] : slope * a[i]; i += 1 }
        }
    }
}

extension Elementwise {
    /// y[i] = max(y[i], bound) in place, chunks in parallel: a ReLU (bound 0) fused after a kernel that wrote y.
    static func clampBelow(_ y: UnsafeMutablePointer<Float>, count n: Int, at bound: Float) {
        Parallel.chunks(n) { r in
            let p = y + r.lowerBound
            for i in 0..<r.count { p[i] = max(p[i], bound) }
        }
    }
}
