// Turning any decoded image into a network input as the model's `Preprocessing` says: colour, inversion, size.
import Foundation
import ImageIO
import Networks
import NeuralCore

/// Smallest side, in pixels, of an image we agree to classify: below it there is nothing to resize meaningfully.
public let minimumImageSide = 8

extension Preprocessing {
    /// The network-ready values of `image`: [1, size, size] (gray, 0…1) or [3, size, size] (VGG space, see
    /// `VGG16Features.preprocess`). `inversion` overrides the model's choice. Throws `ModelFileError` naming `name`
    /// for images smaller than `minimumImageSide` on a side.
    public func prepare(_ image: Image, name: String, inversion override: Inversion? = nil) throws -> [Float] {
        guard min(image.width, image.height) >= minimumImageSide else {
            throw ModelFileError(file: name, problem:
                "image too small to classify (\(image.width)×\(image.height) px; needs at least \(minimumImageSide) px on each side)")
        }
        var picture = color == .gray ? image.gray() : image.rgb()
        let invert: Bool
        switch override ?? inversion {
        case .always: invert = true
        case .never: invert = false
        case .auto: invert = Preprocessing.borderMean(picture) > 0.5
        }
        if invert {
            picture.pixels.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = 1 - p[i] } }
        }
        switch fit {
        case .pad:
            let background = Preprocessing.borderMean(picture)
            let scaled = picture.resized(longestSide: size)
            picture = Preprocessing.padded(scaled, side: size, value: background)
        case .centerCrop:
            let scale = Double(size) / Double(min(picture.width, picture.height))
            let w = max(size, Int((Double(picture.width) * scale).rounded()))
            let h = max(size, Int((Double(picture.height) * scale).rounded()))
            picture = picture.resized(width: w, height: h).centerCropped(width: size, height: size)
        }
        // Cubic resampling may overshoot slightly at sharp edges.
        picture.pixels.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = min(max(p[i], 0), 1) } }
        return color == .gray ? picture.pixels : VGG16Features.preprocess(picture).data
    }

    /// Shape of one prepared sample.
    public var sampleShape: [Int] { [color == .gray ? 1 : 3, size, size] }

    /// Mean over all channels of the one-pixel frame around the image: the background brightness.
    static func borderMean(_ image: Image) -> Float {
        let w = image.width, h = image.height
        var sum: Float = 0, n = 0
        image.pixels.withUnsafeBufferPointer { p in
            for c in 0..<image.channels {
                let plane = p.baseAddress! + c * w * h
                for x in 0..<w { sum += plane[x] + plane[(h - 1) * w + x]; n += 2 }
                for y in 1..<max(1, h - 1) { sum += plane[y * w] + plane[y * w + w - 1]; n += 2 }
            }
        }
        return n == 0 ? 0 : sum / Float(n)
    }

    /// `image` centred on a `side`×`side` canvas of `value`.
    static func padded(_ image: Image, side: Int, value: Float) -> Image {
        var out = Image(width: side, height: side, channels: image.channels, value: value)
        let x0 = (side - image.width) / 2, y0 = (side - image.height) / 2
        for c in 0..<image.channels {
            for y in 0..<image.height {
                for x in 0..<image.width {
                    out.pixels[(c * side + y0 + y) * side + x0 + x] = image.pixels[(c * image.height + y) * image.width + x]
                }
            }
        }
        return out
    }
}

/// Loads and prepares image files in parallel; unreadable or unusable files are returned as failures, not thrown.
public enum ImageBatchLoader {
    /// For each URL, either the prepared values or the one-line reason it was skipped.
    public static func prepare(_ urls: [URL], with preprocessing: Preprocessing,
                               inversion: Preprocessing.Inversion? = nil) -> [Result<[Float], Error>] {
        var results = [Result<[Float], Error>?](repeating: nil, count: urls.count)
        let lock = NSLock()
        let workers = ComputeThreads.workers
        DispatchQueue.concurrentPerform(iterations: min(workers, max(urls.count, 1))) { w in
            var i = w
            while i < urls.count {
                let result = Result { () throws -> [Float] in
                    let image = try Image.load(urls[i])
                    return try preprocessing.prepare(image, name: urls[i].path, inversion: inversion)
                }
                lock.lock(); results[i] = result; lock.unlock()
                i += workers
            }
        }
        return results.map { $0! }
    }
}
