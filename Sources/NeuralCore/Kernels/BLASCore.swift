// Which CPU kernels OpenBLAS runs, and the fix for CPUs it does not know.
//
// Debian 12's OpenBLAS (0.3.21) picks its kernel set from the CPU model when the library loads. On CPUs newer than
// that release (for example Sapphire Rapids Xeons) it falls back to its SSE3 "Prescott" kernels, although the CPU has
// AVX-512: measured `nst-bench gemm` (2048², 2 threads) 50 GFLOP/s with the fallback, 164 with the Haswell (AVX2)
// kernels and 310 with the SkylakeX (AVX-512) ones. The choice is made before any of our code runs and can only be
// changed through the OPENBLAS_CORETYPE environment variable, so the executables start themselves again, once, with
// it set (`relaunchWithFasterKernelsIfNeeded`). A value the user set is always kept.
import COpenBLAS
import Foundation

public enum BLASCore {
    /// The kernel set OpenBLAS chose ("Haswell", "SkylakeX", "Prescott", …).
    public static var name: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The kernel set to ask for instead of `current`, given the CPU's feature flags (as in /proc/cpuinfo), or nil
    /// when OpenBLAS's own choice stands. Only the generic fallback is overridden.
    static func replacement(for current: String, cpuFlags flags: Set<String>) -> String? {
        guard current.lowercased() == "prescott" else { return nil }
        if flags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl"]) { return "SkylakeX" }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// The CPU's feature flags from /proc/cpuinfo (empty where there is none).
    static func cpuFlags() -> Set<String> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// When OpenBLAS fell back to generic kernels on a CPU with AVX2 or AVX-512 and OPENBLAS_CORETYPE is unset,
    /// sets it and replaces this process with a fresh copy of itself (same arguments, same environment otherwise).
    /// Returns normally when nothing needs doing or the relaunch fails. Call first thing in `main`, before any
    /// thread starts or output is written.
    public static func relaunchWithFasterKernelsIfNeeded() {
        #if os(Linux)
        guard getenv("OPENBLAS_CORETYPE") == nil, let better = replacement(for: name, cpuFlags: cpuFlags()) else { return }
        setenv("OPENBLAS_CORETYPE", better, 1)
        // The resolved path rather than /proc/self/exe, so ps and pkill still see the program's own name.
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "/proc/self/exe"
        execv(executable, CommandLine.unsafeArgv)
        // Only reached when exec failed: carry on with the slower kernels.
        unsetenv("OPENBLAS_CORETYPE")
        #endif
    }
}
