// Max and average pooling (no padding, floor output size) and global average pooling over NCHW.
// Max pooling keeps only its argmax indices (Int32, within the plane) for the backward pass.

extension Tensor {
    /// Output size of a size×size window with `stride`, no padding, floor rounding.
    private static func pooledSize(_ n: Int, _ size: Int, _ stride: Int) -> Int { (n - size) / stride + 1 }

    /// [N, C, H, W] → [N, C, (H − size)/stride + 1, (W − size)/stride + 1], the max of each window.
    /// Gradient: to the (first) maximal element of each window.
    public func maxPool2d(size: Int, stride: Int) -> Tensor {
        require(rank == 4 && size > 0 && stride > 0 && shape[2] >= size && shape[3] >= size,
                     "maxPool2d: window \(size) stride \(stride) does not fit \(shape)")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let oh = Tensor.pooledSize(h, size, stride), ow = Tensor.pooledSize(w, size, stride)
        let planes = n * c, outPlane = oh * ow
        var argmax = [Int32](repeating: 0, count: planes * outPlane)
        let y = data.withUnsafeBufferPointer { xb in
            argmax.withUnsafeMutableBufferPointer { ab in
                let x = xb.baseAddress!, a = ab.baseAddress!
                return [Float](count: planes * outPlane) { out in
                    Parallel.forEach(planes, workPerItem: h * w) { pl in
                        let src = x + pl * h * w, dst = out + pl * outPlane, idx = a + pl * outPlane
                        if size == 2 && stride == 2 {
                            // VGG's case, without data-dependent branches (selects instead); same tie rule.
                            for i in 0..<oh {
                                let o0 = 2 * i * w, o1 = o0 + w
                                for j in 0..<ow {
                                    let p0 = o0 + 2 * j, p1 = o1 + 2 * j
                                    let va = src[p0], vb = src[p0 + 1], vc = src[p1], vd = src[p1 + 1]
                                    let top = vb > va ? p0 + 1 : p0, topMax = Swift.max(va, vb)
                                    let bottom = vd > vc ? p1 + 1 : p1, bottomMax = Swift.max(vc, vd)
                                    dst[i * ow + j] = Swift.max(topMax, bottomMax)
                                    idx[i * ow + j] = Int32(bottomMax > topMax ? bottom : top)
                                }
                            }
                            return
                        }
                        for i in 0..<oh {
                            for j in 0..<ow {
                                var best = i * stride * w + j * stride
                                var m = src[best]
                                for di in 0..<size {
                                    let row = (i * stride + di) * w + j * stride
                                    for dj in 0..<size where src[row + dj] > m { m = src[row + dj]; best = row + dj }
                                }
                                dst[i * ow + j] = m
                                idx[i * ow + j] = Int32(best)
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, c, oh, ow], data: y).recorded("maxPool2d", parents: [self]) { _ in
            { dy in
                [dy.withUnsafeBufferPointer { db in
                    argmax.withUnsafeBufferPointer { ab in
                        let d = db.baseAddress!, a = ab.baseAddress!
                        return [Float](count: planes * h * w) { gx in
                            Parallel.forEach(planes, workPerItem: h * w) { pl in
                                let g = gx + pl * h * w
                                g.initialize(repeating: 0, count: h * w)
                                for k in 0..<outPlane { g[Int(a[pl * outPlane + k])] += d[pl * outPlane + k] }
                            }
                        }
                    }
                }]
            }
        }
    }

    /// [N, C, H, W] → [N, C, (H − size)/stride + 1, (W − size)/stride + 1], the mean of each window.
    /// Gradient: dy/size² to every element of the window.
    public func avgPool2d(size: Int, stride: Int) -> Tensor {
        require(rank == 4 && size > 0 && stride > 0 && shape[2] >= size && shape[3] >= size,
                     "avgPool2d: window \(size) stride \(stride) does not fit \(shape)")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let oh = Tensor.pooledSize(h, size, stride), ow = Tensor.pooledSize(w, size, stride)
        let planes = n * c, outPlane = oh * ow, scale = 1 / Float(size * size)
        let y = data.withUnsafeBufferPointer { xb in
            let x = xb.baseAddress!
            return [Float](count: planes * outPlane) { out in
                Parallel.forEach(planes, workPerItem: h * w) { pl in
                    let src = x + pl * h * w, dst = out + pl * outPlane
                    for i in 0..<oh {
                        for j in 0..<ow {
                            var s: Float = 0
                            for di in 0..<size {
                                let row = src + (i * stride + di) * w + j * stride
                                for dj in 0..<size { s += row[dj] }
                            }
                            dst[i * ow + j] = s * scale
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, c, oh, ow], data: y).recorded("avgPool2d", parents: [self]) { _ in
            { dy in
                [dy.withUnsafeBufferPointer { db in
                    let d = db.baseAddress!
                    return [Float](count: planes * h * w) { gx in
                        Parallel.forEach(planes, workPerItem: h * w) { pl in
                            let g = gx + pl * h * w, dp = d + pl * outPlane
                            g.initialize(repeating: 0, count: h * w)
                            for i in 0..<oh {
                                for j in 0..<ow {
                                    let v = dp[i * ow + j] * scale
                                    for di in 0..<size {
                                        let row = g + (i * stride + di) * w + j * stride
                                        for dj in 0..<size { row[dj] += v }
                                    }
                                }
                            }
                        }
                    }
                }]
            }
        }
    }

    /// [N, C, H, W] → [N, C], the mean over each H×W plane. Gradient: dy/(H·W) to every pixel.
    public func globalAvgPool() -> Tensor {
        require(rank == 4 && shape[2] * shape[3] > 0, "globalAvgPool: needs non-empty [N,C,H,W], got \(shape)")
        let planes = shape[0] * shape[1], plane = shape[2] * shape[3], scale = 1 / Float(plane)
        let y = data.withUnsafeBufferPointer { xb in
            let x = xb.baseAddress!
            return [Float](count: planes) { out in
                Parallel.forEach(planes, workPerItem: plane) { pl in out[pl] = Reduce.sum(x + pl * plane, plane) * scale }
            }
        }
        return Tensor(shape: [shape[0], shape[1]], data: y).recorded("globalAvgPool", parents: [self]) { _ in
            { dy in
                [[Float](count: planes * plane) { g in
                    Parallel.forEach(planes, workPerItem: plane) { pl in
                        (g + pl * plane).initialize(repeating: dy[pl] * scale, count: plane)
                    }
                }]
            }
        }
    }
}
