// `nst-bench conv`: VGG16 conv1_1 … conv5_1 (the layers up to relu5_1) at 384×512 and 192×256, forward and
// backwardData (frozen weights) per layer, against the PyTorch 2.x peer measured on this machine.
import NeuralCore

extension Workloads {
    static let conv = Workload(
        name: "conv",
        summary: "VGG16 conv1_1..conv5_1 forward + backwardData per layer at 384x512 and 192x256 (raw kernels)",
        run: ConvWorkload.run)
}

enum ConvWorkload {
    /// (name, inChannels, outChannels, downscale) for the 11 convolutions up to relu5_1; 3×3, stride 1, pad 1.
    static let vggLayers: [(String, Int, Int, Int)] = [
        ("conv1_1", 3, 64, 1), ("conv1_2", 64, 64, 1), ("conv2_1", 64, 128, 2), ("conv2_2", 128, 128, 2),
        ("conv3_1", 128, 256, 4), ("conv3_2", 256, 256, 4), ("conv3_3", 256, 256, 4),
        ("conv4_1", 256, 512, 8), ("conv4_2", 512, 512, 8), ("conv4_3", 512, 512, 8), ("conv5_1", 512, 512, 16),
    ]

    /// PyTorch 2.x, 2 threads, same machine: VGG16 to relu5_1 forward + backward to the input, whole network.
    static let peer: [String: (seconds: Double, rssMB: Double)] = ["384x512": (2.70, 1700)]

    static func run(_ options: BenchOptions) throws -> [String: Any] {
        let sizes = options.sizes.isEmpty ? [(384, 512), (192, 256)] : options.sizes
        var results: [[String: Any]] = []
        for (h, w) in sizes { results.append(runSize(height: h, width: w, options: options)) }
        return ["sizes": results, "weight_cache": !options.noCache, "method": "median of \(options.repetitions) runs after one warm-up; min also given"]
    }

    static func runSize(height: Int, width: Int, options: BenchOptions) -> [String: Any] {
        var rng = BenchRandom(seed: 42)
        var layers: [[String: Any]] = []
        var totalForward = 0.0, totalBackward = 0.0, totalFlops = 0.0, totalCPU = 0.0
        for (name, cin, cout, down) in vggLayers where options.only.isEmpty || options.only.contains(name) {
            let g = ConvGeometry(batch: 1, inChannels: cin, inHeight: height / down, inWidth: width / down,
                                 outChannels: cout, kernelHeight: 3, kernelWidth: 3, padH: 1, padW: 1)
            // Inputs like VGG's (0–255 minus mean, then ReLU activations of similar scale); He-scaled weights.
            let input = (0..<g.inputCount).map { _ in cin == 3 ? rng.uniform(-120, 130) : max(0, rng.uniform(-20, 40)) }
            let weight = (0..<g.weightCount).map { _ in rng.uniform(-1, 1) * (6 / Float(9 * cin)).squareRoot() }
            let bias = (0..<cout).map { _ in rng.uniform(-0.5, 0.5) }
            let gradOutput = (0..<g.outputCount).map { _ in rng.uniform(-1e-3, 1e-3) }
            var output = [Float](repeating: 0, count: g.outputCount)
            var gradInput = [Float](repeating: 0, count: g.inputCount)
            // Frozen VGG weights: the op layer keeps one cache per weight, so transforms are made once (in warm-up).
            let cache: ConvWeightCache? = options.noCache ? nil : ConvWeightCache()
            let fwd = Timing.measure(repetitions: options.repetitions) {
                output.withUnsafeMutableBufferPointer { o in
                    Conv2DKernel.forward(input: input, weight: weight, bias: bias, output: o.baseAddress!, geometry: g,
                                         weightCache: cache)
                }
            }
            let bwd = Timing.measure(repetitions: options.repetitions) {
                gradInput.withUnsafeMutableBufferPointer { gi in
                    Conv2DKernel.backwardData(gradOutput: gradOutput, weight: weight, gradInput: gi.baseAddress!, geometry: g,
                                              weightCache: cache)
                }
            }
            totalForward += fwd.median; totalBackward += bwd.median; totalFlops += 2 * g.flops
            totalCPU += fwd.cpuMedian + bwd.cpuMedian
            let gf = g.flops * 1e-9
            layers.append([
                "layer": name, "geometry": g.description,
                "forward_s": BenchOutput.rounded(fwd.median, 4), "forward_min_s": BenchOutput.rounded(fwd.min, 4),
                "forward_gflops": BenchOutput.rounded(gf / fwd.median, 1), "forward_cpu_s": BenchOutput.rounded(fwd.cpuMedian, 4),
                "backward_data_s": BenchOutput.rounded(bwd.median, 4), "backward_data_min_s": BenchOutput.rounded(bwd.min, 4),
                "backward_data_gflops": BenchOutput.rounded(gf / bwd.median, 1),
                "backward_data_cpu_s": BenchOutput.rounded(bwd.cpuMedian, 4),
            ])
            BenchOutput.progress("\(height)x\(width) \(name): forward \(String(format: "%.4f", fwd.median)) s (\(String(format: "%.1f", gf / fwd.median)) GFLOP/s), backwardData \(String(format: "%.4f", bwd.median)) s (\(String(format: "%.1f", gf / bwd.median)) GFLOP/s)")
        }
        let total = totalForward + totalBackward
        var entry: [String: Any] = [
            "size": "\(height)x\(width)", "layers": layers,
            "total_forward_s": BenchOutput.rounded(totalForward, 3), "total_backward_data_s": BenchOutput.rounded(totalBackward, 3),
            "total_s": BenchOutput.rounded(total, 3), "total_gflop": BenchOutput.rounded(totalFlops * 1e-9, 1),
            "effective_gflops": BenchOutput.rounded(totalFlops * 1e-9 / total, 1),
            // Process CPU seconds (all threads): the figure to compare when other jobs share the machine.
            "total_cpu_s": BenchOutput.rounded(totalCPU, 3),
        ]
        if let p = peer["\(height)x\(width)"], options.only.isEmpty {
            // The peer time covers the whole network (ReLU and pooling too); conv is ~99% of it.
            entry["peer_pytorch_total_s"] = p.seconds
            entry["peer_pytorch_peak_rss_mb"] = p.rssMB
            entry["time_ratio_vs_peer"] = BenchOutput.rounded(total / p.seconds, 3)
        }
        return entry
    }
}

/// Reproducible bench inputs: NeuralCore's SplitMix64 with a uniform helper.
typealias BenchRandom = SeededGenerator
extension SeededGenerator {
    mutating func uniform(_ lo: Float, _ hi: Float) -> Float { nextFloat(in: lo..<hi) }
}
