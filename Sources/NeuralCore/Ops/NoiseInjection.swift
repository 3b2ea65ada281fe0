// Noise inputs with a learned gain per channel (Karras et al. 2019, StyleGAN; Ulyanov et al. 2016's texture networks
// feed noise for the same reason). A deterministic conv net on a flat patch can only vary its output with the one
// position signal it has, the phase of its strided grid, so any texture it paints there repeats with that grid's
// period; a noise image gives it something else to paint from.

extension Tensor {
    /// x[n, c] + scale[c] · noise[n, 0]: one noise plane per batch item, shared by every channel with that channel's
    /// gain. Shapes: x [N, C, H, W], noise [N, 1, H, W] (a constant: no gradient), scale [C].
    /// Gradient: dy to x; Σ over n, h, w of dy[n, c] · noise[n, 0] to scale[c].
    public func addingNoise(_ noise: Tensor, scale: Tensor) -> Tensor {
        require(rank == 4 && noise.shape == [shape[0], 1, shape[2], shape[3]] && scale.shape == [shape[1]],
                     "addingNoise: needs x [N,C,H,W], noise [N,1,H,W], scale [C]; got \(shape), \(noise.shape), \(scale.shape)")
        let (n, c) = (shape[0], shape[1]), plane = shape[2] * shape[3]
        let noiseData = noise.data, gains = scale.data
        let y = data.withUnsafeBufferPointer { xb in
            noiseData.withUnsafeBufferPointer { zb in
                [Float](count: count) { out in
                    Parallel.forEach(n * c, workPerItem: plane) { p in
                        let g = gains[p % c], src = xb.baseAddress! + p * plane, z = zb.baseAddress! + (p / c) * plane
                        let dst = out + p * plane
                        for i in 0..<plane { dst[i] = src[i] + g * z[i] }
                    }
                }
            }
        }
        return Tensor(shape: shape, data: y).recorded("addNoise", parents: [self, scale]) { needs in
            { dy in
                var dscale: [Float]? = nil
                if needs[1] {
                    var sums = [Float](repeating: 0, count: c)
                    dy.withUnsafeBufferPointer { db in
                        noiseData.withUnsafeBufferPointer { zb in
                            for p in 0..<(n * c) {
                                let d = db.baseAddress! + p * plane, z = zb.baseAddress! + (p / c) * plane
                                var s: Float = 0
                                for i in 0..<plane { s += d[i] * z[i] }
                                sums[p % c] += s
                            }
                        }
                    }
                    dscale = sums
                }
                return [needs[0] ? dy : nil, dscale]
            }
        }
    }

    /// [n, 1, h, w] standard normal noise drawn from `generator`: the values (and the generator's state afterwards)
    /// of n·h·w `nextGaussian()` calls in a row, drawn in parallel chunks (each sample takes two outputs).
    public static func gaussianNoise(_ n: Int, _ h: Int, _ w: Int, using generator: inout SeededGenerator) -> Tensor {
        let count = n * h * w, start = generator
        let data = [Float](count: count) { out in
            Parallel.chunks(count, grain: 1 << 14) { range in
                var g = start
                g.skip(2 * range.lowerBound)
                for i in range { out[i] = g.nextGaussian() }
            }
        }
        generator.skip(2 * count)
        return Tensor(shape: [n, 1, h, w], data: data)
    }
}
