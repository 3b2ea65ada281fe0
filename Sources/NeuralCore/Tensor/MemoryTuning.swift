// Keeps freed tensor storage inside the process so the next tensor of that size reuses it.
// glibc serves blocks over 32 MB with fresh mmap pages and unmaps them on free; at 64×384×512 floats (50 MB) the
// page faults of every new op output cost ~5× the op itself. Measured: 70 ms to allocate+touch 50 MB vs 9 ms to
// fill an existing buffer.
#if canImport(Glibc)
import Glibc
#endif

enum MemoryTuning {
    /// Applied once, on the first tensor created.
    static let applied: Bool = {
        #if canImport(Glibc)
        // malloc.h is not part of the Glibc module, so mallopt is looked up by name (RTLD_DEFAULT = nil).
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        // Option numbers from <malloc.h>.
        let trimThreshold: Int32 = -1, topPad: Int32 = -2, mmapMax: Int32 = -4, arenaMax: Int32 = -8
        // All allocations from the heap (no per-block mmap), one arena so worker threads share freed blocks,
        // and no trimming of the heap top after frees.
        _ = mallopt(mmapMax, 0)
        _ = mallopt(arenaMax, 1)
        _ = mallopt(trimThreshold, Int32.max)
        _ = mallopt(topPad, 64 << 20)
        #endif
        return true
    }()
}
