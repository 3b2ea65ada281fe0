// Shared bench plumbing: options, timing (min and median of repetitions), peak RSS, JSON output, progress.
import Foundation

/// A workload that cannot run (missing data, bad --only); the description is one line.
struct BenchError: Error, CustomStringConvertible {
    var description: String
}

/// What every workload reads from the command line (parsed by `NSTBench`, main.swift).
struct BenchOptions {
    var repetitions = 3
    var threads: Int? = nil
    /// (height, width) pairs in pixels; empty means the workload's defaults.
    var sizes: [(Int, Int)] = []
    /// Restricts a workload to the named parts (layers, stages); empty means all.
    var only: Set<String> = []
    /// Recompute weight transforms on every call (trained weights) instead of caching (frozen ones).
    var noCache = false
    /// Training workloads time only the first N batches and extrapolate to the full epoch.
    var batches: Int? = nil
    /// Folder for the files a workload draws or writes (figures, tables); nil writes none.
    var out: String? = nil
}

/// Wall-clock and process-CPU seconds of `repetitions` runs of `body` after one warm-up run. CPU time divided
/// by the thread count estimates the wall time on an idle machine when other jobs share the cores.
struct Timing {
    var samples: [Double]
    var cpuSamples: [Double]
    var min: Double { samples.min()! }
    var median: Double { Timing.median(samples) }
    var cpuMedian: Double { Timing.median(cpuSamples) }
    var cpuMin: Double { cpuSamples.min()! }

    static func median(_ x: [Double]) -> Double {
        let s = x.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    static func measure(repetitions: Int, warmUp: Bool = true, _ body: () -> Void) -> Timing {
        if warmUp { body() }
        var samples: [Double] = [], cpu: [Double] = []
        for _ in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
            body()
            cpu.append(processCPUSeconds() - cpuStart)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        return Timing(samples: samples, cpuSamples: cpu)
    }
}

enum BenchOutput {
    /// Peak resident set size of this process (getrusage ru_maxrss, kilobytes on Linux), in MB.
    static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return rounded(Double(usage.ru_maxrss) / 1024, 1)
    }

    static func rounded(_ x: Double, _ digits: Int) -> Double {
        let f = pow(10, Double(digits)); return (x * f).rounded() / f
    }

    static func progress(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Writes `object` as one line of JSON with sorted keys.
    static func print(_ object: [String: Any]) {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}
