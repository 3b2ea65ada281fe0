// The training photos of a feed-forward network: a folder scanned recursively, every readable image kept in memory at
// a modest size, and batches of random square crops (random scale, random flip) drawn from a seeded generator.
import Foundation
import ImageIO
import NeuralCore
import Networks

public struct ContentImagesError: Error, CustomStringConvertible {
    public let folder: String
    public let problem: String
    public var description: String { "\(folder): \(problem)" }
}

public struct ContentImages {
    /// File extensions taken as images (lower-cased).

    /// Loaded photos, RGB, each with its shorter side at most `photoSize` (area-downscaled once, here).
    public let images: [Image]
    /// Paths of the loaded photos, in the same order.
    public let files: [String]
    /// Files that looked like images but could not be read, with the reason.
    public let skipped: [(file: String, reason: String)]
    public let cropSize: Int
    /// The longest shorter side a photo is kept at (default `2 × cropSize`). Crops are squares between `cropSize` and
    /// the photo's shorter side, so this sets how far they zoom in: a larger one adds closer views (a smaller part of
    /// the scene in the same pixels).
    public let photoSize: Int

    /// The shorter side photos are kept at unless told otherwise: twice the crop, so crops span a 2× range of zoom.
    public static func defaultPhotoSize(cropSize: Int) -> Int { 2 * cropSize }

    /// Scans each of `folders` recursively (hidden entries ignored), in order, loads every .png/.jpg/.jpeg, and skips
    /// unreadable ones and ones smaller than `cropSize` on a side. Throws when a folder is missing or when together they
    /// yield no usable image.
    public init(folders: [URL], cropSize: Int, photoSize: Int? = nil, excluding excluded: Set<String> = []) throws {
        let photoSize = max(photoSize ?? Self.defaultPhotoSize(cropSize: cropSize), cropSize)
        let named = folders.map(\.path).joined(separator: ", ")   // errors name every folder
        let paths = try folders.flatMap { try ContentImages.imageFiles(under: $0) }.filter { !excluded.contains($0.lastPathComponent) }
        guard !paths.isEmpty else {
            throw ContentImagesError(folder: named, problem: "no .jpg, .jpeg or .png files found (searched recursively)")
        }
        var images: [Image] = [], files: [String] = [], skipped: [(String, String)] = []
        for url in paths {
            do {
                let image = try Image.load(url).rgb()
                guard min(image.width, image.height) >= cropSize else {
                    skipped.append((url.path, "\(image.width)x\(image.height) is smaller than the \(cropSize)-pixel crops"))
                    continue
                }
                let shorter = min(image.width, image.height)
                let scale = min(1, Double(photoSize) / Double(shorter))
                let longest = Int((Double(max(image.width, image.height)) * scale).rounded())
                images.append(scale < 1 ? image.resized(longestSide: longest) : image)
                files.append(url.path)
            } catch {
                skipped.append((url.path, "\(error)"))
            }
        }
        guard !images.isEmpty else {
            throw ContentImagesError(folder: named, problem:
                "none of the \(paths.count) image file(s) could be used (first: \(skipped.first.map { "\($0.0): \($0.1)" } ?? "?"))")
        }
        self.images = images; self.files = files; self.skipped = skipped; self.cropSize = cropSize
        self.photoSize = photoSize
    }

    /// Every image file below `folder`, sorted by path. Throws when `folder` is not a readable folder.
    public static func imageFiles(under folder: URL) throws -> [URL] {
        do { return try ImageFiles.list(in: folder, recursive: true) } catch let error as ImageError {
            throw ContentImagesError(folder: folder.path, problem: error.kind == .noSuchFile ? "content folder not found" : error.problem)
        }
    }

    /// A VGG-space batch [n, 3, cropSize, cropSize]: each sample a random photo, a random square of side between
    /// `cropSize` and the photo's shorter side, resized to `cropSize`, flipped left-right half of the time, and with
    /// `.all` also flipped top to bottom and transposed half of the time each (any of the 8 orientations), and with
    /// `colors: .permuted` in another order of its red, green and blue planes half of the time.
    public func batch<G: RandomNumberGenerator>(_ n: Int, orientations: CropOrientations = .mirror, colors: CropColors = .natural,
                                                using generator: inout G) -> Tensor {
        let s = cropSize, plane = 3 * s * s
        var data = [Float](repeating: 0, count: n * plane)
        for k in 0..<n {
            let photo = images[Int.random(in: 0..<images.count, using: &generator)]
            let side = Int.random(in: s...min(photo.width, photo.height), using: &generator)
            var crop = photo.randomCropped(width: side, height: side, using: &generator)
            if side != s { crop = crop.resized(width: s, height: s) }
            if Bool.random(using: &generator) { crop = crop.flippedHorizontally() }
            if orientations == .all {
                if Bool.random(using: &generator) { crop = crop.flippedVertically() }
                if Bool.random(using: &generator) { crop = crop.transposed() }
            }
            if colors == .permuted, Bool.random(using: &generator) {
                crop = crop.withChannels(in: CropColors.otherOrders[Int.random(in: 0..<CropColors.otherOrders.count, using: &generator)])
            }
            let x = VGG16Features.preprocess(crop)
            data.withUnsafeMutableBufferPointer { dst in
                x.data.withUnsafeBufferPointer { src in (dst.baseAddress! + k * plane).update(from: src.baseAddress!, count: plane) }
            }
        }
        return Tensor(shape: [n, 3, s, s], data: data)
    }
}

/// Which orientations training crops come in. A photo's sky is almost always at the top, so `.mirror` keeps crops
/// as photographed (or mirrored); `.all` (the 8 flips and quarter turns) multiplies what a small photo set can teach a
/// network whose task does not depend on which way is up, such as a decoder that inverts VGG features.
public enum CropOrientations: String, Codable, CaseIterable, Sendable {
    case mirror, all
}

/// The colours of training crops. `.permuted` shows half of the crops with their red, green and blue planes in one of
/// the five other orders (a red cup turns blue or green), which multiplies the colours a small photo set shows a
/// decoder: it must read a pixel's colour from the features, not guess it from the texture (grass is not always green).
/// The other half keeps the colours as photographed, the ones the decoder meets in use.
/// Measured on the relu4_1 decoder it does the opposite: its reconstructions turn nearly grey
/// (`docs/decoder-relu4_1.md`), because relu4_1 features say little about which channel is which. Kept to make that run repeatable.
public enum CropColors: String, Codable, CaseIterable, Sendable {
    case natural, permuted

    /// The five channel orders other than [0, 1, 2].
    static let otherOrders = [[0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
}
