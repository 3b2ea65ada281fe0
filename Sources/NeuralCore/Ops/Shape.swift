// Shape ops: reshape / flatten (no data movement), concatenation along an axis, the first entries of a batch.

extension Tensor {
    /// The same elements viewed with `newShape` (same element count). Shares storage; gradient passed through.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        require(newShape.reduce(1, *) == count, "reshaped: cannot view \(shape) as \(newShape)")
        return Tensor(shape: newShape, data: data).recorded("reshape", parents: [self]) { _ in { dy in [dy] } }
    }

    /// [N, d1, d2, …] → [N, d1·d2·…].
    public func flattened() -> Tensor {
        require(rank >= 1, "flattened: needs at least one axis, got \(shape)")
        return reshaped([shape[0], count / max(shape[0], 1)])
    }

    /// Joins tensors along `axis`; all other sizes must match. Gradient: the matching slice of dy to each.
    public static func concat(_ ts: [Tensor], axis: Int) -> Tensor {
        require(!ts.isEmpty, "concat: no tensors")
        let first = ts[0].shape
        require(axis >= 0 && axis < first.count, "concat: axis \(axis) out of range for \(first)")
        for t in ts {
            require(t.rank == first.count && (0..<first.count).allSatisfy { $0 == axis || t.shape[$0] == first[$0] },
                         "concat: shapes \(ts.map(\.shape)) differ off axis \(axis)")
        }
        let outer = first[..<axis].reduce(1, *), inner = first[(axis + 1)...].reduce(1, *)
        let widths = ts.map { $0.shape[axis] * inner }       // elements per outer index, per input
        let total = widths.reduce(0, +)
        var out = [Float](repeating: 0, count: outer * total)
        out.withUnsafeMutableBufferPointer { o in
            var offset = 0
            for (t, width) in zip(ts, widths) {
                t.data.withUnsafeBufferPointer { s in
                    for i in 0..<outer {
                        (o.baseAddress! + i * total + offset).update(from: s.baseAddress! + i * width, count: width)
                    }
                }
                offset += width
            }
        }
        var shape = first
        shape[axis] = ts.map { $0.shape[axis] }.reduce(0, +)
        return Tensor(shape: shape, data: out).recorded("concat", parents: ts) { needs in
            { dy in
                var offset = 0
                return zip(widths, needs).map { width, need in
                    defer { offset += width }
                    guard need else { return nil }
                    let start = offset
                    return dy.withUnsafeBufferPointer { d in
                        [Float](count: outer * width) { g in
                            for i in 0..<outer { g.advanced(by: i * width).update(from: d.baseAddress! + i * total + start, count: width) }
                        }
                    }
                }
            }
        }
    }

    /// The first `n` entries along axis 0 (a batch's first `n` images). Gradient: dy, then zeros for the rest.
    public func batchPrefix(_ n: Int) -> Tensor {
        require(rank >= 1 && n >= 1 && n <= shape[0], "batchPrefix: cannot take \(n) of \(shape)")
        if n == shape[0] { return self }
        let width = n * (count / shape[0]), total = count
        var newShape = shape
        newShape[0] = n
        return Tensor(shape: newShape, data: Array(data[..<width])).recorded("batchPrefix", parents: [self]) { _ in
            { dy in [dy + [Float](repeating: 0, count: total - width)] }
        }
    }
}
