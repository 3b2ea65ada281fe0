// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 60 000 training and 10 000 test images, 28×28 gray, 10 classes,
// stored as gzip'd IDX files. Debian's dataset-fashion-mnist installs them in /usr/share/datasets/fashion-mnist/.
import Foundation

/// Loader for the four Fashion-MNIST IDX files.
public enum FashionMNIST {
    /// Where Debian's `dataset-fashion-mnist` package puts the files.
    public static let defaultDirectory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")

    /// Class names in label order, as in the data set's documentation.
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// Image side in pixels.
    public static let side = 28

    public enum Split: String, CaseIterable, Sendable {
        case train, test
        var filePrefix: String { self == .train ? "train" : "t10k" }
    }

    /// Whether `directory` holds both files of `split` (gzip'd or not).
    public static func isAvailable(in directory: URL = defaultDirectory, split: Split = .train) -> Bool {
        (try? files(split, in: directory)) != nil
    }

    /// Loads one split as [1, 28, 28] samples, pixels 0…1 (white object on black, as distributed).
    /// Throws `IDXError` when the folder or a file is missing (naming what to install or pass) or malformed.
    public static func load(_ split: Split, from directory: URL = defaultDirectory, limit: Int? = nil) throws -> LabeledDataset {
        let (imagesURL, labelsURL) = try files(split, in: directory)
        let images = try IDXFile.read(imagesURL)
        let labels = try IDXFile.read(labelsURL)
        guard images.shape.count == 3, images.shape[1] == side, images.shape[2] == side else {
            throw IDXError(file: imagesURL.path, problem: "expected [N, 28, 28] images, got \(images.shape)")
        }
        guard labels.shape.count == 1, labels.shape[0] == images.shape[0] else {
            throw IDXError(file: labelsURL.path, problem: "expected \(images.shape[0]) labels, got shape \(labels.shape)")
        }
        if let bad = labels.bytes.first(where: { Int($0) >= classNames.count }) {
            throw IDXError(file: labelsURL.path, problem: "label \(bad) outside 0…9")
        }
        let n = min(images.shape[0], limit ?? Int.max)
        let plane = side * side
        var values = [Float](repeating: 0, count: n * plane)
        images.bytes.withUnsafeBufferPointer { src in
            values.withUnsafeMutableBufferPointer { dst in
                for i in 0..<(n * plane) { dst[i] = Float(src[i]) * (1 / 255) }
            }
        }
        return LabeledDataset(sampleShape: [1, side, side], values: values,
                              labels: labels.bytes.prefix(n).map { Int($0) }, classNames: classNames)
    }

    /// The image and label files of `split`, preferring the .gz names Debian ships.
    static func files(_ split: Split, in directory: URL) throws -> (images: URL, labels: URL) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw IDXError(file: directory.path, problem:
                "Fashion-MNIST folder not found (install the Debian package dataset-fashion-mnist or pass --data-dir)")
        }
        func find(_ stem: String) throws -> URL {
            for name in [stem + ".gz", stem] {
                let url = directory.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: url.path) { return url }
            }
            throw IDXError(file: directory.appendingPathComponent(stem + ".gz").path, problem: "Fashion-MNIST file not found")
        }
        return (try find("\(split.filePrefix)-images-idx3-ubyte"), try find("\(split.filePrefix)-labels-idx1-ubyte"))
    }
}
