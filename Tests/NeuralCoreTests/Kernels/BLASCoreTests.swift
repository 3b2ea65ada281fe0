// The choice of OpenBLAS kernels when OpenBLAS fell back to generic ones (see BLASCore).
import Testing
@testable import NeuralCore

@Suite struct BLASCoreTests {
    let avx512: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl"]

    @Test func genericFallbackIsReplacedByTheWidestKernelsTheCPUHas() {
        #expect(BLASCore.replacement(for: "Prescott", cpuFlags: avx512) == "SkylakeX")
        #expect(BLASCore.replacement(for: "Prescott", cpuFlags: ["sse3", "avx", "avx2", "fma"]) == "Haswell")
        // AVX-512 foundation alone is not enough for OpenBLAS's SkylakeX kernels.
        #expect(BLASCore.replacement(for: "Prescott", cpuFlags: ["avx2", "fma", "avx512f"]) == "Haswell")
        #expect(BLASCore.replacement(for: "Prescott", cpuFlags: ["sse3", "avx"]) == nil)
    }

    @Test func aRecognisedCPUKeepsOpenBLASsOwnChoice() {
        #expect(BLASCore.replacement(for: "Haswell", cpuFlags: avx512) == nil)
        #expect(BLASCore.replacement(for: "SkylakeX", cpuFlags: avx512) == nil)
        #expect(BLASCore.replacement(for: "Zen", cpuFlags: avx512) == nil)
    }

    @Test func cpuFlagsAreReadOnLinux() {
        #if os(Linux)
        #expect(BLASCore.cpuFlags().contains("sse2"))
        #endif
        #expect(!BLASCore.name.isEmpty)
    }
}
