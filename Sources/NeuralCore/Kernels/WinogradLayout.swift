// Buffer layout shared by the Winograd kernels (F(4×4,3×3) and F(4×4,5×5)).

enum WinogradLayout {
    /// Floats between consecutive ξ blocks of `floats` each: rounded up to 4 KB plus one cache line, so the 36 or 64
    /// strided streams of the transforms fall in different cache sets. Unpadded, a block of 256 channels × 432 tiles
    /// is a multiple of 4 KB, every stream aliases to the same L1 sets, and each 8-float store of the transforms
    /// missed.
    static func xiStride(_ floats: Int) -> Int { (floats + 1023) / 1024 * 1024 + 16 }

    /// Output tiles (4×4) down and across, and how work is cut so V and M (`points` floats per tile and channel, in
    /// and out) stay within `budgetFloats`: bands of `bandRows` tile rows, or (when a whole image fits) groups of
    /// `groupImages` images.
    static func workPlan(_ g: ConvGeometry, points: Int, budgetFloats: Int)
        -> (tilesH: Int, tilesW: Int, bandRows: Int, groupImages: Int) {
        let tilesH = (g.outHeight + 3) / 4, tilesW = (g.outWidth + 3) / 4
        let floatsPerTile = points * (g.inChannels + g.outChannels)
        let bandRows = max(1, min(tilesH, budgetFloats / (floatsPerTile * tilesW)))
        let groupImages = bandRows == tilesH ? max(1, min(g.batch, budgetFloats / (floatsPerTile * tilesH * tilesW))) : 1
        return (tilesH, tilesW, bandRows, groupImages)
    }

    /// One output-gradient plane's band rearranged into 16 planes `ps` floats apart, plane 4i + j holding at [t]
    /// element (4·tile row + i, 4·tile column + j) of the band's tiles. Writes only elements inside the map: the rest
    /// of `planes` keeps its zeros (see the kernels' `transformGradientBand`).
    static func gradientPlanes(_ plane: UnsafePointer<Float>, band: WinogradBand,
                               into planes: UnsafeMutablePointer<Float>, planeStride ps: Int) {
        let ow = band.geometry.outWidth, tilesW = band.tilesW, y0 = 4 * band.firstTileRow
        for r in 0..<min(4 * band.tileRows, band.geometry.outHeight - y0) {
            let src = plane + (y0 + r) * ow, rowBase = planes + 4 * (r & 3) * ps + (r >> 2) * tilesW
            for x in 0..<ow { rowBase[(x & 3) * ps + (x >> 2)] = src[x] }
        }
    }
}
