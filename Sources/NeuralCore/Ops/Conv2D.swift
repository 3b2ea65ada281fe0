// 2-D convolution over NCHW input with OIHW weights, zero padding and optional bias; the arithmetic is in
// Kernels/Conv2DKernel. The pullback keeps the input only if the weight or bias needs a gradient. `relu: true` is the
// fused conv2d(…).relu() of VGG16 and the decoders: one output buffer instead of two, and on the Winograd paths no
// separate pass over it.

extension Tensor {
    /// Convolution: input [N, C, H, W], weight [O, C, kh, kw], bias [O] → [N, O, H', W'] with
    /// H' = (H + 2·padding − kh) / stride + 1 (floor). Zero padding, same stride and padding on both axes. With
    /// `relu`, max(0, ·) of that (the same values and gradients as `.relu()` after it).
    public func conv2d(weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0, relu: Bool = false) -> Tensor {
        require(rank == 4 && weight.rank == 4 && shape[1] == weight.shape[1],
                     "conv2d: input \(shape) and weight \(weight.shape) must be [N,C,H,W] and [O,C,kh,kw]")
        if let bias { require(bias.shape == [weight.shape[0]], "conv2d: bias \(bias.shape) must be [\(weight.shape[0])]") }
        require(shape[2] + 2 * padding >= weight.shape[2] && shape[3] + 2 * padding >= weight.shape[3],
                     "conv2d: input \(shape) with padding \(padding) is smaller than kernel \(weight.shape)")
        let g = ConvGeometry(batch: shape[0], inChannels: shape[1], inHeight: shape[2], inWidth: shape[3],
                             outChannels: weight.shape[0], kernelHeight: weight.shape[2], kernelWidth: weight.shape[3],
                             strideH: stride, strideW: stride, padH: padding, padW: padding)
        // A frozen weight (e.g. VGG16's) keeps its transformed copies across calls; a trained one changes every step.
        let cache = weight.requiresGrad ? nil : weight.frozenConvCache
        let y = [Float](count: g.outputCount) { out in
            data.withUnsafeBufferPointer { x in
                weight.data.withUnsafeBufferPointer { w in
                    if let bias {
                        bias.data.withUnsafeBufferPointer { b in
                            Conv2DKernel.forward(input: x.baseAddress!, weight: w.baseAddress!, bias: b.baseAddress!,
                                                 output: out, geometry: g, weightCache: cache, relu: relu)
                        }
                    } else {
                        Conv2DKernel.forward(input: x.baseAddress!, weight: w.baseAddress!, bias: nil, output: out, geometry: g,
                                             weightCache: cache, relu: relu)
                    }
                }
            }
        }
        let parents = bias.map { [self, weight, $0] } ?? [self, weight]
        return Tensor(shape: [g.batch, g.outChannels, g.outHeight, g.outWidth], data: y)
            .recorded(relu ? "conv2d+relu" : "conv2d", parents: parents) { needs in
                let needInput = needs[0], needWeight = needs[1], needBias = needs.count > 2 && needs[2]
                let w = needInput ? weight.data : nil
                let x = needWeight ? self.data : nil
                // The ReLU's pullback: dy where the output is positive (the pre-activation was), 0 elsewhere.
                let activated = relu ? y : nil
                return { upstream in
                    let dy = activated.map { Elementwise.gate(upstream, by: $0, slope: 0) } ?? upstream
                    var result: [[Float]?] = Array(repeating: nil, count: needs.count)
                    dy.withUnsafeBufferPointer { dyp in
                        if let w {
                            result[0] = [Float](count: g.inputCount) { gx in
                                w.withUnsafeBufferPointer { wp in
                                    Conv2DKernel.backwardData(gradOutput: dyp.baseAddress!, weight: wp.baseAddress!,
                                                              gradInput: gx, geometry: g, weightCache: cache)
                                }
                            }
                        }
                        var gb: [Float]? = needBias ? [Float](repeating: 0, count: g.outChannels) : nil
                        if let x {
                            result[1] = [Float](count: g.weightCount) { gw in
                                x.withUnsafeBufferPointer { xp in
                                    if gb != nil {
                                        gb!.withUnsafeMutableBufferPointer { gbp in
                                            Conv2DKernel.backwardFilter(gradOutput: dyp.baseAddress!, input: xp.baseAddress!,
                                                                        gradWeight: gw, gradBias: gbp.baseAddress!, geometry: g)
                                        }
                                    } else {
                                        Conv2DKernel.backwardFilter(gradOutput: dyp.baseAddress!, input: xp.baseAddress!,
                                                                    gradWeight: gw, gradBias: nil, geometry: g)
                                    }
                                }
                            }
                        } else if needBias {
                            // Bias only: Σ over n, y, x of dy per output channel.
                            let plane = g.outHeight * g.outWidth
                            for n in 0..<g.batch {
                                for o in 0..<g.outChannels {
                                    gb![o] += Reduce.sum(dyp.baseAddress! + (n * g.outChannels + o) * plane, plane)
                                }
                            }
                        }
                        if needBias { result[2] = gb }
                    }
                    return result
                }
            }
    }
}
