// Geometry that moves pixels without resampling: crops (explicit, centred, random), flips and transposition.

extension Image {
    /// The `width` x `height` region whose top-left corner is (`x`, `y`). The region must lie inside the image.
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) -> Image {
        precondition(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= width && y + h <= height,
                     "crop \(w)x\(h) at (\(x), \(y)) outside \(width)x\(height)")
        var out = [Float](repeating: 0, count: w * h * channels)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for c in 0..<channels {
                    for row in 0..<h {
                        let from = src.baseAddress! + c * planeSize + (y + row) * width + x
                        (dst.baseAddress! + (c * h + row) * w).update(from: from, count: w)
                    }
                }
            }
        }
        return Image(width: w, height: h, channels: channels, pixels: out)
    }

    /// The centred `width` x `height` region (sizes clamped to the image; odd margins leave the extra
    /// pixel on the right and bottom).
    public func centerCropped(width w: Int, height h: Int) -> Image {
        let (cw, ch) = (min(w, width), min(h, height))
        return cropped(x: (width - cw) / 2, y: (height - ch) / 2, width: cw, height: ch)
    }

    /// The largest centred square.
    public func centerCroppedSquare() -> Image {
        let side = min(width, height)
        return centerCropped(width: side, height: side)
    }

    /// A `width` x `height` region at a uniformly random position drawn from `generator` (sizes clamped).
    public func randomCropped<G: RandomNumberGenerator>(width w: Int, height h: Int, using generator: inout G) -> Image {
        let (cw, ch) = (min(w, width), min(h, height))
        let x = Int.random(in: 0...(width - cw), using: &generator)
        let y = Int.random(in: 0...(height - ch), using: &generator)
        return cropped(x: x, y: y, width: cw, height: ch)
    }

    /// Mirrored left to right.
    public func flippedHorizontally() -> Image {
        var out = pixels
        out.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<(channels * height) {
                var line = UnsafeMutableBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)])
                line.reverse()
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: out)
    }

    /// Mirrored top to bottom.
    public func flippedVertically() -> Image {
        var out = [Float](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for c in 0..<channels {
                    for row in 0..<height {
                        (dst.baseAddress! + c * planeSize + row * width)
                            .update(from: src.baseAddress! + c * planeSize + (height - 1 - row) * width, count: width)
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: out)
    }

    /// Rows become columns: pixel (x, y) moves to (y, x), and the image is `height` wide and `width` high.
    public func transposed() -> Image {
        var out = [Float](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for c in 0..<channels {
                    let from = src.baseAddress! + c * planeSize, to = dst.baseAddress! + c * planeSize
                    for y in 0..<height {
                        for x in 0..<width { to[x * height + y] = from[y * width + x] }
                    }
                }
            }
        }
        return Image(width: height, height: width, channels: channels, pixels: out)
    }
}

extension Image {
    /// This image placed at (`left`, `top`) in a `width` x `height` canvas (at least its size plus the offsets), the
    /// margins filled by mirroring it without repeating the edge pixel, as often as needed: any padding works, even
    /// wider than the image. `cropped(x: left, y: top, width: self.width, height: self.height)` undoes it. Used to
    /// give networks sizes they can halve (the stylizers, the `--fast` encoders) without a visible seam.
    public func mirrorPadded(width newWidth: Int, height newHeight: Int, left: Int = 0, top: Int = 0) -> Image {
        precondition(left >= 0 && top >= 0 && newWidth >= width + left && newHeight >= height + top,
                     "mirrorPadded: \(width)x\(height) at (\(left), \(top)) does not fit \(newWidth)x\(newHeight)")
        if newWidth == width && newHeight == height { return self }
        /// Index `i` (any integer) of the mirrored sequence …, 1, 0, 1, …, n−1, n−2, … folded into 0..<n.
        func mirror(_ i: Int, _ n: Int) -> Int {
            guard n > 1 else { return 0 }
            let period = 2 * (n - 1)
            let r = ((i % period) + period) % period
            return r < n ? r : period - r
        }
        let columns = (0..<newWidth).map { mirror($0 - left, width) }
        var out = [Float](repeating: 0, count: channels * newWidth * newHeight)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for c in 0..<channels {
                    for y in 0..<newHeight {
                        let s = c * planeSize + mirror(y - top, height) * width, d = (c * newHeight + y) * newWidth
                        for x in 0..<newWidth { dst[d + x] = src[s + columns[x]] }
                    }
                }
            }
        }
        return Image(width: newWidth, height: newHeight, channels: channels, pixels: out)
    }
}
