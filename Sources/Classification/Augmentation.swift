// Training-time augmentation of image batches: random horizontal flips and small translations with zero fill.
// Clothing is left-right symmetric in meaning, so flips add data without changing the label.

enum Augmentation {
    /// Flips (p = 0.5) and shifts by up to ±maxShift pixels each of the `n` [C, H, W] samples in `batch`, in place.
    /// `scratch` must hold at least C·H·W floats.
    static func apply(to batch: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, n: Int,
                      channels c: Int, height h: Int, width w: Int, maxShift: Int, generator: inout some RandomNumberGenerator) {
        let size = c * h * w
        for s in 0..<n {
            let flip = Bool.random(using: &generator)
            let dx = maxShift > 0 ? Int.random(in: -maxShift...maxShift, using: &generator) : 0
            let dy = maxShift > 0 ? Int.random(in: -maxShift...maxShift, using: &generator) : 0
            if !flip && dx == 0 && dy == 0 { continue }
            let sample = batch + s * size
            scratch.update(from: sample, count: size)
            // out[y, x] = in[y − dy, x' − dx] where x' is x mirrored when flipping; zero outside.
            for ch in 0..<c {
                let src = scratch + ch * h * w, dst = sample + ch * h * w
                for y in 0..<h {
                    let sy = y - dy
                    let row = dst + y * w
                    guard sy >= 0 && sy < h else { row.update(repeating: 0, count: w); continue }
                    let srcRow = src + sy * w
                    for x in 0..<w {
                        let sx = x - dx
                        row[x] = (sx >= 0 && sx < w) ? srcRow[flip ? w - 1 - sx : sx] : 0
                    }
                }
            }
        }
    }
}
