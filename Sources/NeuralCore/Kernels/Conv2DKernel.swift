// Fast 2-D convolution entry points used by the conv2d op: choose Winograd F(4×4,3×3), F(4×4,5×5) or im2col+GEMM
// per geometry.
// Raw NCHW/OIHW pointers only; every entry point OVERWRITES its outputs.

/// Convolution kernels on raw NCHW input, OIHW weights, NCHW output. Same contract as `Conv2DReference`.
///
/// Paths: stride-1 3×3 convs with ≥ `winogradMinChannels` input and output channels, on maps at least `winogradMinWidth`
/// wide (or with ≥ `winogradWideChannels` channels), use Winograd F(4×4,3×3)
/// in all three directions (relative error vs the reference ~1e-5 at VGG scales); stride-1 convs with at most
/// `ConvRowShift.maxChannels` channels in and out run forward and data gradient through `ConvRowShift` (columns
/// over (c, kx) only, one GEMM per kernel row); stride-1 5×5 convs with
/// ≥ `winograd5MinChannels` channels in and out use Winograd F(4×4,5×5) in all three directions (the seeds
/// classifier's conv2: 1.6–2.5× less CPU than im2col per direction); stride-1 convs with few output
/// channels (`ConvFlipped.preferred`) run all three directions through the flipped conv's im2col GEMMs; everything
/// else, and the other backward-filter calls, use banded im2col + GEMM. Threads: see `ComputeThreads` (OpenBLAS is pinned to one
/// thread; the kernels parallelise themselves), so do not call these from inside your own `concurrentPerform`.
/// Memory: scratch is bounded whatever the image size (im2col columns ≤ 24 MB, Winograd buffers ≤ 32 MB, plus the
/// 36·O·C- or 64·O·C-float weight transform when no cache is given; F(4×4,5×5) keeps V and M ≤ 4 MB), borrowed from
/// `KernelScratch`'s pool. A `ConvWeightCache` holds 4× (3×3) or 2.56× (5×5) the weight's size per direction
/// (≈ 320 MB for VGG16 up to conv5_1, forward and backward).
public enum Conv2DKernel {
    /// Winograd is used only when both channel counts reach this (smaller convs are transform-bound).
    nonisolated(unsafe) static var winogradMinChannels = 16
    /// Tests set this to false to exercise the im2col path on Winograd-eligible shapes.
    nonisolated(unsafe) static var winogradEnabled = true

    /// Narrower maps leave the transforms' 8-tile vectors part empty, and with under `winogradWideChannels` channels
    /// the transforms then cost more than the GEMMs save: the 14² and 7² convs of the Fashion-MNIST bn-cnn train
    /// 25% faster (CPU time per batch) through im2col. VGG's deep, 512-channel layers keep Winograd at any width.
    /// Task-local so a test can lower it (`$winogradMinWidth.withValue`) without changing other tests' paths.
    @TaskLocal static var winogradMinWidth = 32
    static let winogradWideChannels = 256

    static func useWinograd(_ g: ConvGeometry, inChannels: Int, outChannels: Int) -> Bool {
        winogradEnabled && WinogradF4x3.applicable(g)
            && inChannels >= winogradMinChannels && outChannels >= winogradMinChannels
            && (g.outWidth >= winogradMinWidth || min(inChannels, outChannels) >= winogradWideChannels)
    }

    /// 5×5 convs use Winograd F(4×4,5×5) from this many channels in and out, at any width: the seeds conv2
    /// (32 → 64 on 14² maps, 4 tiles wide) gains 1.6–2.5× per direction. Fewer channels stay on im2col: the seeds
    /// conv1 (1 input channel) would run GEMMs with K = 1 and pay mostly for transforms (not measured).
    static let winograd5MinChannels = 16

    static func useWinograd5(_ g: ConvGeometry, inChannels: Int, outChannels: Int) -> Bool {
        winogradEnabled && WinogradF4x5.applicable(g)
            && inChannels >= winograd5MinChannels && outChannels >= winograd5MinChannels
    }

    /// output[n,o,y,x] = bias[o] + Σ weight[o,c,i,j]·input[n,c,y·s−p+i,x·s−p+j]. Overwrites output.
    public static func forward(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                               output: UnsafeMutablePointer<Float>, geometry: ConvGeometry) {
        forward(input: input, weight: weight, bias: bias, output: output, geometry: geometry, weightCache: nil)
    }

    /// As `forward(input:weight:bias:output:geometry:)`, reusing weight transforms from `weightCache` when given;
    /// with `relu`, output = max(0, that): the Winograd paths apply it in their output transform (no extra pass over
    /// the output, which for VGG16's wide maps is as large as the conv's input), the others in place afterwards.
    public static func forward(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                               output: UnsafeMutablePointer<Float>, geometry g: ConvGeometry,
                               weightCache: ConvWeightCache?, relu: Bool = false) {
        ComputeThreads.ensureConfigured()
        if useWinograd(g, inChannels: g.inChannels, outChannels: g.outChannels) {
            withWinogradWeights(weight, geometry: g, backward: false, cache: weightCache) { u in
                WinogradF4x3.convolve(input: input, transformedWeight: u, bias: bias, relu: relu, output: output,
                                      geometry: g)
            }
            return
        }
        if useWinograd5(g, inChannels: g.inChannels, outChannels: g.outChannels) {
            withWinogradWeights(weight, geometry: g, backward: false, cache: weightCache) { u in
                WinogradF4x5.convolve(input: input, transformedWeight: u, bias: bias, relu: relu, output: output,
                                      geometry: g)
            }
            return
        }
        if ConvRowShift.preferred(g) {
            ConvRowShift.forward(input: input, weight: weight, bias: bias, output: output, geometry: g)
        } else if ConvFlipped.preferred(g) {
            ConvFlipped.forward(input: input, weight: weight, bias: bias, output: output, geometry: g)
        } else {
            ConvIm2Col.forward(input: input, weight: weight, bias: bias, output: output, geometry: g)
        }
        if relu { Elementwise.clampBelow(output, count: g.outputCount, at: 0) }
    }

    /// gradInput = ∂(Σ gradOutput·output)/∂input. Overwrites gradInput.
    public static func backwardData(gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                    gradInput: UnsafeMutablePointer<Float>, geometry: ConvGeometry) {
        backwardData(gradOutput: gradOutput, weight: weight, gradInput: gradInput, geometry: geometry, weightCache: nil)
    }

    /// As `backwardData(gradOutput:weight:gradInput:geometry:)`, reusing weight transforms from `weightCache`.
    public static func backwardData(gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                    gradInput: UnsafeMutablePointer<Float>, geometry g: ConvGeometry,
                                    weightCache: ConvWeightCache?) {
        ComputeThreads.ensureConfigured()
        if useWinograd(g, inChannels: g.outChannels, outChannels: g.inChannels) {
            let t = WinogradF4x3.backwardDataGeometry(g)
            withWinogradWeights(weight, geometry: g, backward: true, cache: weightCache) { u in
                WinogradF4x3.convolve(input: gradOutput, transformedWeight: u, bias: nil, output: gradInput, geometry: t)
            }
        } else if useWinograd5(g, inChannels: g.outChannels, outChannels: g.inChannels) {
            let t = WinogradF4x5.backwardDataGeometry(g)
            withWinogradWeights(weight, geometry: g, backward: true, cache: weightCache) { u in
                WinogradF4x5.convolve(input: gradOutput, transformedWeight: u, bias: nil, output: gradInput, geometry: t)
            }
        } else if ConvRowShift.preferred(g) && ConvFlipped.applicable(g) {
            ConvRowShift.backwardData(gradOutput: gradOutput, weight: weight, gradInput: gradInput, geometry: g)
        } else if ConvFlipped.preferred(g) {
            ConvFlipped.backwardData(gradOutput: gradOutput, weight: weight, gradInput: gradInput, geometry: g)
        } else {
            ConvIm2Col.backwardData(gradOutput: gradOutput, weight: weight, gradInput: gradInput, geometry: g)
        }
    }

    /// gradWeight = ∂/∂weight (OIHW), gradBias = Σ over n, y, x of gradOutput (if non-nil). Overwrites both.
    public static func backwardFilter(gradOutput: UnsafePointer<Float>, input: UnsafePointer<Float>,
                                      gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?,
                                      geometry: ConvGeometry) {
        ComputeThreads.ensureConfigured()
        if useWinograd(geometry, inChannels: geometry.inChannels, outChannels: geometry.outChannels) {
            WinogradF4x3.backwardFilter(gradOutput: gradOutput, input: input, gradWeight: gradWeight, gradBias: gradBias,
                                        geometry: geometry)
            return
        }
        if useWinograd5(geometry, inChannels: geometry.inChannels, outChannels: geometry.outChannels) {
            WinogradF4x5.backwardFilter(gradOutput: gradOutput, input: input, gradWeight: gradWeight, gradBias: gradBias,
                                        geometry: geometry)
            return
        }
        if ConvFlipped.preferred(geometry) {
            ConvFlipped.backwardFilter(gradOutput: gradOutput, input: input, gradWeight: gradWeight, gradBias: gradBias,
                                       geometry: geometry)
            return
        }
        ConvIm2Col.backwardFilter(gradOutput: gradOutput, input: input, gradWeight: gradWeight, gradBias: gradBias,
                                  geometry: geometry)
    }

    /// Runs `body` with the Winograd U for forward (U[ξ][o][c]) or backward data (U[ξ][c][o]): from the cache,
    /// or transformed into pooled scratch for this call only. The kernel size (3 or 5, square) picks F(4×4,3×3)
    /// with 36 ξ or F(4×4,5×5) with 64.
    static func withWinogradWeights(_ weight: UnsafePointer<Float>, geometry g: ConvGeometry, backward: Bool,
                                    cache: ConvWeightCache?, _ body: (UnsafePointer<Float>) -> Void) {
        let k = g.kernelHeight
        require(g.kernelWidth == k && (k == 3 || k == 5), "Winograd weights need a 3×3 or 5×5 kernel: \(g)")
        let count = (k + 3) * (k + 3) * g.outChannels * g.inChannels
        let fill = { (p: UnsafeMutablePointer<Float>) in
            if k == 3 {
                WinogradF4x3.transformWeights(weight, outChannels: g.outChannels, inChannels: g.inChannels,
                                              flipTranspose: backward, into: p)
            } else {
                WinogradF4x5.transformWeights(weight, outChannels: g.outChannels, inChannels: g.inChannels,
                                              flipTranspose: backward, into: p)
            }
        }
        guard let cache else {
            KernelScratch.with(count) { p in fill(p); body(p) }
            return
        }
        let key = ConvWeightCache.Key(direction: backward ? 1 : 0, outChannels: g.outChannels, inChannels: g.inChannels,
                                      kernelHeight: k, kernelWidth: k, address: UInt(bitPattern: weight))
        let buffer = cache.buffer(for: key, count: count, fill: fill)
        withExtendedLifetime(buffer) { body(buffer.pointer) }
    }
}
