// nst-bench: runs one named workload and prints ONE JSON object on stdout; progress goes to stderr.
// `nst-bench` alone lists the workloads (see Workloads.swift).
import Foundation
import NeuralCore

BLASCore.relaunchWithFasterKernelsIfNeeded()
let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, !name.hasPrefix("-") else {
    BenchOutput.print(["workloads": Workloads.all.map { ["name": $0.name, "summary": $0.summary] as [String: Any] }])
    exit(0)
}
guard let workload = Workloads.all.first(where: { $0.name == name }) else {
    FileHandle.standardError.write(Data("nst-bench: unknown workload \(name) (known: \(Workloads.all.map(\.name).joined(separator: ", ")))\n".utf8))
    exit(2)
}
do {
    let options = try BenchOptions(Array(arguments.dropFirst()))
    ComputeThreads.configure(threads: options.threads)
    var result = try workload.run(options)
    result["workload"] = workload.name
    result["threads"] = ComputeThreads.workers
    result["blas_core"] = BLASCore.name
    result["peak_rss_mb"] = BenchOutput.peakRSSMegabytes()
    BenchOutput.print(result)
} catch {
    FileHandle.standardError.write(Data("nst-bench \(name): \(error)\n".utf8))
    exit(1)
}
