// `nst-bench core` and `nst-bench stylize`: VGG16 conv1_1→relu5_1 forward + backward to the input (weights frozen), and
// one Gatys L-BFGS evaluation (that plus the content/style/TV losses), at 384×512 and 192×256.
// Peer: PyTorch 2.15 CPU, 2 threads, same machine: 2.70 s and 0.53 s per evaluation, peak RSS 1.7 GB at 384×512.
import Foundation
import ImageIO
import Networks
import NeuralCore
import StyleTransfer

extension Workloads {
    static let core = Workload(
        name: "core",
        summary: "VGG16 conv1_1→relu5_1 forward + backward to the input, frozen weights, 1×3×384×512 and 192×256",
        run: StylizeWorkload.runCore)
    static let stylize = Workload(
        name: "stylize",
        summary: "seconds per Gatys L-BFGS evaluation (VGG16 to relu5_1 + losses) at 384×512 and 192×256",
        run: StylizeWorkload.runStylize)
}

enum StylizeWorkload {
    static let peer: [String: Double] = ["192x256": 0.53, "384x512": 2.70]
    static func sizes(_ options: BenchOptions) -> [(Int, Int)] { options.sizes.isEmpty ? [(192, 256), (384, 512)] : options.sizes }

    static func randomImage(height: Int, width: Int, seed: UInt64) -> Image {
        var generator = SeededGenerator(seed: seed)
        return Image(width: width, height: height, channels: 3, pixels: (0..<3 * width * height).map { _ in generator.nextFloat(in: 0..<1) })
    }

    static func runCore(_ options: BenchOptions) throws -> [String: Any] {
        if let threads = options.threads { ComputeThreads.configure(threads: threads) }
        let vgg = try VGG16Features()
        var results: [String: Any] = [:]
        for (h, w) in sizes(options) {
            let x0 = VGG16Features.preprocess(randomImage(height: h, width: w, seed: 1))
            BenchOutput.progress("core: VGG16 forward+backward at \(h)x\(w)…")
            let timing = Timing.measure(repetitions: options.repetitions) {
                let x = Tensor(shape: x0.shape, data: x0.data, requiresGrad: true)
                vgg.features(x, at: [.relu5_1])[.relu5_1]!.sum().backward()
            }
            results["\(h)x\(w)"] = entry(timing, key: "\(h)x\(w)")
        }
        results["peak_rss_mb"] = BenchOutput.peakRSSMegabytes()
        results["peer_peak_rss_mb"] = 1700
        return results
    }

    static func runStylize(_ options: BenchOptions) throws -> [String: Any] {
        if let threads = options.threads { ComputeThreads.configure(threads: threads) }
        let vgg = try VGG16Features()
        var results: [String: Any] = [:]
        for (h, w) in sizes(options) {
            var config = GatysConfig()
            config.imageSize = max(h, w); config.iterations = 2 + options.repetitions; config.styleWeight = 1000
            config.tvWeight = 0
            BenchOutput.progress("stylize: \(config.iterations) L-BFGS evaluations at \(h)x\(w)…")
            var stamps: [Double] = []
            _ = try Gatys.stylize(content: randomImage(height: h, width: w, seed: 1), styles: [randomImage(height: h, width: w, seed: 2)],
                                  config: config, vgg: vgg) { event in
                if case .progress(let p) = event { stamps.append(p.elapsed) }
            }
            let perEvaluation = zip(stamps.dropFirst(2), stamps.dropFirst()).map { $0 - $1 }   // skip the warm-up
            let seconds = Timing.median(perEvaluation)
            var e: [String: Any] = ["seconds_per_evaluation": BenchOutput.rounded(seconds, 4)]
            if let p = peer["\(h)x\(w)"] { e["peer_pytorch_seconds"] = p; e["ratio_to_peer"] = BenchOutput.rounded(seconds / p, 3) }
            results["\(h)x\(w)"] = e
        }
        results["peak_rss_mb"] = BenchOutput.peakRSSMegabytes()
        results["peer_peak_rss_mb"] = 1700
        return results
    }

    static func entry(_ timing: Timing, key: String) -> [String: Any] {
        var e: [String: Any] = ["seconds": BenchOutput.rounded(timing.median, 4), "cpu_seconds_per_run": BenchOutput.rounded(timing.cpuMedian, 4)]
        if let p = peer[key] { e["peer_pytorch_seconds"] = p; e["ratio_to_peer"] = BenchOutput.rounded(timing.median / p, 3) }
        return e
    }
}
