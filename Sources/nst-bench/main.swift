// nst-bench: runs one named workload and prints ONE JSON object on stdout; progress goes to stderr.
// `nst-bench` alone lists the workloads (see Workloads.swift).
import ArgumentParser
import Foundation
import NeuralCore

/// `--size HxW`: a height and width in pixels.
struct BenchSize: ExpressibleByArgument {
    var height: Int, width: Int
    init?(argument: String) {
        let parts = argument.split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { return nil }
        (height, width) = (parts[0], parts[1])
    }
}

struct NSTBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nst-bench",
        abstract: "Times one workload of nst and prints one JSON object (medians of its repeats); alone, lists the workloads.")

    @Argument(help: "The workload (run nst-bench alone for the list).") var workload: String?
    @Option(name: .customLong("reps"), help: "Timed repeats after one warm-up run.") var repetitions = BenchOptions().repetitions
    @Option(help: ArgumentHelp("Worker threads for every parallel loop (default: all cores, or NST_THREADS).", valueName: "n"))
    var threads: Int?
    @Option(help: ArgumentHelp("An image size to time instead of the workload's own (repeatable).", valueName: "HxW"))
    var size: [BenchSize] = []
    @Option(help: ArgumentHelp("Comma-separated parts of the workload to run (layers, architectures, levels; default: all).", valueName: "names"))
    var only: String?
    @Flag(help: "Recompute weight transforms on every call (trained weights) instead of caching them (frozen ones).")
    var noCache = false
    @Option(help: ArgumentHelp("Training workloads: time only the first N batches and extrapolate the epoch (default: all).", valueName: "n"))
    var batches: Int?
    @Option(help: ArgumentHelp("Folder for the figures and tables a workload writes (default: none).", valueName: "dir"))
    var out: String?

    func validate() throws {
        guard repetitions >= 1 else { throw ValidationError("--reps must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let batches, batches < 1 { throw ValidationError("--batches must be at least 1") }
        if let workload, !Workloads.all.contains(where: { $0.name == workload }) {
            throw ValidationError("unknown workload \(workload) (known: \(Workloads.all.map(\.name).joined(separator: ", ")))")
        }
    }

    func run() throws {
        guard let name = workload, let workload = Workloads.all.first(where: { $0.name == name }) else {
            BenchOutput.print(["workloads": Workloads.all.map { ["name": $0.name, "summary": $0.summary] as [String: Any] }])
            return
        }
        let options = BenchOptions(repetitions: repetitions, threads: threads, sizes: size.map { ($0.height, $0.width) },
                                   only: Set((only ?? "").split(separator: ",").map(String.init)), noCache: noCache,
                                   batches: batches, out: out)
        ComputeThreads.configure(threads: options.threads)
        var result = try workload.run(options)
        result["workload"] = workload.name
        result["threads"] = ComputeThreads.workers
        result["blas_core"] = BLASCore.name
        result["peak_rss_mb"] = BenchOutput.peakRSSMegabytes()
        BenchOutput.print(result)
    }
}

BLASCore.relaunchWithFasterKernelsIfNeeded()
NSTBench.main()
