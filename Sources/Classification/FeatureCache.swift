// VGG features of an image folder, computed once and cached as safetensors keyed by the files (path, size,
// modification time) and the extraction settings, so retraining a head takes seconds.
import Foundation
import ImageIO
import Networks
import NeuralCore

/// Features of a scanned image folder, plus the files that could not be used.
public struct FolderFeatures {
    /// Samples of shape [D], labels = class folder index.
    public var dataset: LabeledDataset
    /// Files skipped with the reason (unreadable, corrupt, too small).
    public var skipped: [(file: String, reason: String)]
    /// Whether the features came from the cache.
    public var fromCache: Bool
}

public enum FeatureCache {
    /// The default cache folder: $XDG_CACHE_HOME/nst, else ~/.cache/nst.
    public static var defaultDirectory: URL {
        if let xdg = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("nst")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/nst")
    }

    /// Features of every image in `folder` for `config` (layers, input size). Reads the cache in `cacheDirectory`
    /// when it matches, else computes and writes it (nil: no caching). `progress(done, total)` reports images.
    /// Throws when no image at all could be used, or the cache folder cannot be created.
    public static func features(of folder: ImageFolder, config: FeatureClassifierConfig, vgg: VGG16Features,
                                cacheDirectory: URL?, progress: (Int, Int) -> Void = { _, _ in }) throws -> FolderFeatures {
        let cacheURL = cacheDirectory.map { $0.appendingPathComponent("features-\(key(folder, config)).safetensors") }
        if let cacheURL, let cached = try? read(cacheURL, classNames: folder.classNames, featureCount: config.featureCount) { return cached }

        let preprocessing = Preprocessing.vgg(size: config.inputSize)
        let extractor = VGGFeatureExtractor(vgg: vgg, layers: config.layers)
        var values: [Float] = [], labels: [Int] = [], skipped: [(String, String)] = []
        let chunk = 16
        for start in stride(from: 0, to: folder.files.count, by: chunk) {
            let part = Array(folder.files[start..<min(start + chunk, folder.files.count)])
            var inputs: [Float] = [], kept: [Int] = []
            for (file, result) in zip(part, ImageBatchLoader.prepare(part.map(\.url), with: preprocessing)) {
                switch result {
                case .success(let v): inputs += v; kept.append(file.label)
                case .failure(let error): skipped.append((file.url.path, "\(error)"))
                }
            }
            if !kept.isEmpty {
                values += extractor.features(inputs, count: kept.count, side: config.inputSize)
                labels += kept
            }
            progress(min(start + chunk, folder.files.count), folder.files.count)
        }
        guard !labels.isEmpty else {
            throw ModelFileError(file: folder.root.path, problem: "none of the \(folder.files.count) images could be read")
        }
        let result = FolderFeatures(dataset: LabeledDataset(sampleShape: [extractor.featureCount], values: values, labels: labels,
                                                            classNames: folder.classNames),
                                    skipped: skipped, fromCache: false)
        if let cacheURL, let cacheDirectory {
            try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
            try write(result, to: cacheURL)
        }
        return result
    }

    /// FNV-1a over the settings and each file's path, size and modification time, as 16 hex digits.
    static func key(_ folder: ImageFolder, _ config: FeatureClassifierConfig) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) { for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 } }
        mix(config.layers.map(\.rawValue).joined(separator: ",") + "|\(config.inputSize)|")
        for (url, label) in folder.files {
            let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            mix("\(url.standardizedFileURL.path)|\(size)|\(modified)|\(label)\n")
        }
        return String(format: "%016llx", hash)
    }

    static func write(_ features: FolderFeatures, to url: URL) throws {
        let d = features.dataset
        let skipped = features.skipped.map { ["file": $0.file, "reason": $0.reason] }
        let skippedJSON = String(decoding: try JSONSerialization.data(withJSONObject: skipped), as: UTF8.self)
        let classJSON = String(decoding: try JSONSerialization.data(withJSONObject: d.classNames), as: UTF8.self)
        try SafeTensorsFile.write(tensors: [
            "features": Tensor(shape: [d.count] + d.sampleShape, data: d.values),
            "labels": Tensor(shape: [d.count], data: d.labels.map(Float.init)),
        ], metadata: ["skipped": skippedJSON, "classes": classJSON], to: url)
    }

    /// The cached features, or nil when the file is absent or does not fit: a cache is untrusted like any file, so
    /// its shapes, labels and values are checked (a mismatch means recomputing, never a trap in the trainer).
    static func read(_ url: URL, classNames: [String], featureCount: Int) throws -> FolderFeatures? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let file = try SafeTensorsFile.read(url)
        guard let features = file.tensors["features"], let labels = file.tensors["labels"], features.shape.count == 2,
              let classData = file.metadata["classes"]?.data(using: .utf8),
              (try? JSONSerialization.jsonObject(with: classData)) as? [String] == classNames,
              labels.count == features.shape[0], features.shape[1] == featureCount,
              // Labels become indices: each must be a whole number naming a class (NaN and infinity would trap).
              labels.data.allSatisfy({ $0.isFinite && $0 >= 0 && $0 < Float(classNames.count) && $0.rounded() == $0 }),
              features.data.allSatisfy(\.isFinite)
        else { return nil }
        let skippedData = Data((file.metadata["skipped"] ?? "[]").utf8)
        let skipped = ((try? JSONSerialization.jsonObject(with: skippedData)) as? [[String: String]] ?? [])
            .map { (file: $0["file"] ?? "?", reason: $0["reason"] ?? "?") }
        let dataset = LabeledDataset(sampleShape: [features.shape[1]], values: features.data,
                                     labels: labels.data.map { Int($0) }, classNames: classNames)
        return FolderFeatures(dataset: dataset, skipped: skipped, fromCache: true)
    }
}
