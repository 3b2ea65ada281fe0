// Buffer layout shared by the Winograd kernels (F(4×4,3×3) and F(4×4,5×5)).

enum WinogradLayout {
    /// Floats between consecutive ξ blocks of `floats` each: rounded up to 4 KB plus one cache line, so the 36 or 64
    /// strided streams of the transforms fall in different cache sets. Unpadded, a block of 256 channels × 432 tiles
    /// is a multiple of 4 KB, every stream aliases to the same L1 sets, and each 8-float store of the transforms
    /// missed.
    static func xiStride(_ floats: Int) -> Int { (floats + 1023) / 1024 * 1024 + 16 }
}
