// `nst-bench conv-transformer`: the Johnson transformer net's conv shapes (9×9, stride 2, residual 3×3),
// forward, backwardData and backwardFilter each, through the raw kernels (no weight cache: trained weights).
import NeuralCore

extension Workloads {
    static let convTransformer = Workload(
        name: "conv-transformer",
        summary: "Johnson transformer-net conv shapes (9x9, stride 2, residual 3x3) at 1024^2 batch 1 and 256^2 batch 4, plus a light net's and the Fashion-MNIST CNN's",
        run: ConvShapesWorkload.run)
}

enum ConvShapesWorkload {
    /// (name, batch, inChannels, height, width, outChannels, kernel, stride); padding is kernel/2 (reflection pad is
    /// separate). The "light" rows are a slimmer stylizer's first (stride-2 9×9) and output (16 → 3, 5×5) convs;
    /// the "cls" rows the Fashion-MNIST classifier's two 5×5 convs at batch 64.
    static let shapes: [(String, Int, Int, Int, Int, Int, Int, Int)] = [
        ("c1_9x9_1024", 1, 3, 1024, 1024, 32, 9, 1), ("c2_s2_1024", 1, 32, 1024, 1024, 64, 3, 2),
        ("c3_s2_512", 1, 64, 512, 512, 128, 3, 2), ("res_3x3_256", 1, 128, 256, 256, 128, 3, 1),
        ("out_9x9_1024", 1, 32, 1024, 1024, 3, 9, 1),
        ("c1_9x9_256_b4", 4, 3, 256, 256, 32, 9, 1), ("c2_s2_256_b4", 4, 32, 256, 256, 64, 3, 2),
        ("res_3x3_64_b4", 4, 128, 64, 64, 128, 3, 1), ("out_9x9_256_b4", 4, 32, 256, 256, 3, 9, 1),
        ("light_c1_9x9_s2_1024x768", 1, 3, 1024, 768, 16, 9, 2), ("light_out_5x5_1024x768", 1, 16, 1024, 768, 3, 5, 1),
        ("cls_conv1_28_b64", 64, 1, 28, 28, 32, 5, 1), ("cls_conv2_14_b64", 64, 32, 14, 14, 64, 5, 1),
    ]

    static func run(_ options: BenchOptions) throws -> [String: Any] {
        var rng = BenchRandom(seed: 7)
        var rows: [[String: Any]] = []
        for (name, n, cin, height, width, cout, k, s) in shapes where options.only.isEmpty || options.only.contains(name) {
            let g = ConvGeometry(batch: n, inChannels: cin, inHeight: height, inWidth: width, outChannels: cout,
                                 kernelHeight: k, kernelWidth: k, strideH: s, strideW: s, padH: k / 2, padW: k / 2)
            let x = (0..<g.inputCount).map { _ in rng.uniform(-1, 1) }
            let w = (0..<g.weightCount).map { _ in rng.uniform(-0.1, 0.1) }
            let dy = (0..<g.outputCount).map { _ in rng.uniform(-1, 1) }
            var y = [Float](repeating: 0, count: g.outputCount), dx = [Float](repeating: 0, count: g.inputCount)
            var dw = [Float](repeating: 0, count: g.weightCount), db = [Float](repeating: 0, count: cout)
            let f = Timing.measure(repetitions: options.repetitions) {
                y.withUnsafeMutableBufferPointer { Conv2DKernel.forward(input: x, weight: w, bias: nil, output: $0.baseAddress!, geometry: g) }
            }
            let bd = Timing.measure(repetitions: options.repetitions) {
                dx.withUnsafeMutableBufferPointer { Conv2DKernel.backwardData(gradOutput: dy, weight: w, gradInput: $0.baseAddress!, geometry: g) }
            }
            let bf = Timing.measure(repetitions: options.repetitions) {
                dw.withUnsafeMutableBufferPointer { wp in db.withUnsafeMutableBufferPointer { bp in
                    Conv2DKernel.backwardFilter(gradOutput: dy, input: x, gradWeight: wp.baseAddress!,
                                                gradBias: bp.baseAddress!, geometry: g)
                } }
            }
            let gf = g.flops * 1e-9
            func entry(_ t: Timing) -> [String: Any] {
                ["s": BenchOutput.rounded(t.median, 4), "cpu_s": BenchOutput.rounded(t.cpuMedian, 4),
                 "gflops": BenchOutput.rounded(gf / t.median, 1)]
            }
            rows.append(["shape": name, "geometry": g.description, "gflop": BenchOutput.rounded(gf, 2),
                         "forward": entry(f), "backward_data": entry(bd), "backward_filter": entry(bf)])
            BenchOutput.progress("\(name): forward \(String(format: "%.4f", f.median)) s, backwardData \(String(format: "%.4f", bd.median)) s, backwardFilter \(String(format: "%.4f", bf.median)) s (\(String(format: "%.2f", gf)) GFLOP each)")
        }
        return ["shapes": rows, "method": "median of \(options.repetitions) runs after one warm-up"]
    }
}
