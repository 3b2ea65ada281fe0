// Shared single-pass, multi-threaded loops for elementwise ops over whole buffers.

enum Elementwise {
    /// out[i] = f(a[i]).
    @inline(__always)
    static func map(_ a: [Float], _ f: (Float) -> Float) -> [Float] {
        let n = a.count
        return a.withUnsafeBufferPointer { ab in
            let ap = ab.baseAddress
            return [Float](count: n) { out in
                Parallel.chunks(n) { r in for i in r { out[i] = f(ap![i]) } }
            }
        }
    }

    /// out[i] = f(a[i], b[i]).
    @inline(__always)
    static func zip(_ a: [Float], _ b: [Float], _ f: (Float, Float) -> Float) -> [Float] {
        precondition(a.count == b.count, "elementwise: \(a.count) vs \(b.count) elements")
        let n = a.count
        return a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                let ap = ab.baseAddress, bp = bb.baseAddress
                return [Float](count: n) { out in
                    Parallel.chunks(n) { r in for i in r { out[i] = f(ap![i], bp![i]) } }
                }
            }
        }
    }
}
