// libFuzzer entry point for every reader of untrusted files. One binary, the reader chosen by $NST_FUZZ_TARGET:
//   png, jpeg         ImageIO's decoders (libpng / libjpeg-turbo behind our header checks and limits)
//   safetensors       SafeTensorsFile plus every model loader: classifier metadata → network (and a forward pass),
//                     stylizer metadata → TransformerNet, VGG16 decoders
//   idx               IDX parsing, gzip'd or not
//   checkpoint        classifier checkpoints (metadata, history, optimiser state), stylizer checkpoints, feature caches
// Built only by scripts/fuzz (NST_FUZZ=1, -sanitize=fuzzer,address, -parse-as-library); see docs/fuzzing.md.
// A thrown error is the expected outcome for nearly every input; a crash, leak or sanitizer report is a finding.
import Foundation
@testable import Classification
@testable import ImageIO
import Networks
import NeuralCore
@testable import StyleTransfer

/// Small limits keep libFuzzer's memory budget for finding bugs, not for decoding legitimately huge images.
let limits = ImageLimits(maxPixels: 4_000_000, maxFileBytes: 1 << 24)
/// The readers, chosen once from $NST_FUZZ_TARGET. Globals hold no String: Swift keeps flag bits in a string's
/// storage pointer, so LeakSanitizer cannot see a global string as reachable and reports it as a leak at exit.
enum Reader: String, CaseIterable { case png, jpeg, safetensors, idx, checkpoint }
nonisolated(unsafe) var reader = Reader.safetensors

func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

/// The URL-based loaders read this per-process file (in memory-backed /dev/shm when there is one); made per call.
func scratch() -> URL {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return URL(fileURLWithPath: folder).appendingPathComponent("nst-fuzz-\(getpid()).safetensors")
}

/// SwiftPM links executables with `main` defined as `<module>_main` (so tests can import them): that symbol hands
/// control to libFuzzer's driver, which would otherwise be reached through libFuzzer's own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("nst_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { bytes, size in fuzz(bytes, size) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    switch reader {
    case .png: _ = try? PNG.decode(data, url: URL(fileURLWithPath: "fuzz.png"), limits: limits)
    case .jpeg: _ = try? JPEG.decode(data, url: URL(fileURLWithPath: "fuzz.jpg"), limits: limits, applyOrientation: true)
    case .safetensors: models(data)
    case .idx: idx(data)
    case .checkpoint: checkpoints(data)
    }
    return 0
}

/// Every model kind nst loads, from one safetensors file.
func models(_ data: Data) {
    guard let file = try? SafeTensorsFile.decode(data, name: "fuzz.safetensors") else { return }
    // Classifiers: metadata → network; a feature head would need VGG16, so only its metadata checks run.
    if let metadata = try? ModelMetadata.decode(ModelFile(file), path: "fuzz") {
        if metadata.kind == .fashionCNN {
            let weights = WeightStore(file: file)
            if let (network, _) = try? ClassifierModel.network(for: metadata, weights: weights, file: "fuzz"),
               (try? ClassifierModel.checkTensorSet(weights, file: "fuzz")) != nil {
                // A model that passes every check must run: one image through preprocessing and the network.
                let model = ClassifierModel(metadata: metadata, network: network, extractor: nil, source: "fuzz")
                var image = Image(width: 9, height: 12, channels: 3, value: 0.25)
                image.pixels[5] = 1
                if let prepared = try? metadata.preprocessing.prepare(image, name: "fuzz") {
                    _ = model.probabilities(prepared: prepared, count: 1)
                }
            }
        } else {
            _ = (try? metadata.config(FeatureClassifierConfig.self, file: "fuzz"))?.problem
        }
    }
    // Stylizers: the same path as `nst stylize --model`, through a file.
    let path = scratch()
    if (try? data.write(to: path)) != nil {
        if let (model, _) = try? StylizerModel.read(path) {
            _ = model.stylize(Image(width: 16, height: 16, channels: 3, value: 0.5))
        }
        for level in VGGDecoder.supportedLevels { _ = try? VGGDecoder(contentsOf: path, level: level) }
    }
}

/// IDX files, inflated first when they carry the gzip magic (as `IDXFile.read` does).
func idx(_ data: Data) {
    let bytes = data.starts(with: [0x1f, 0x8b]) ? try? Gzip.inflate(data, name: "fuzz.idx.gz") : data
    guard let bytes, let file = try? IDXFile.parse(bytes, name: "fuzz.idx") else { return }
    var total = 1
    for size in file.shape {
        let (product, overflow) = total.multipliedReportingOverflow(by: size)
        precondition(!overflow, "IDX shape \(file.shape) overflows")
        total = product
    }
    precondition(file.bytes.count == total, "IDX payload and shape disagree")
}

/// Checkpoints and caches: everything a resumed run or a cached feature set reads back.
func checkpoints(_ data: Data) {
    let path = scratch()
    guard (try? data.write(to: path)) != nil else { return }
    if let checkpoint = try? TrainingCheckpoint.read(path), checkpoint.metadata.kind == .fashionCNN,
       let config = try? checkpoint.metadata.config(FashionCNNConfig.self, file: "fuzz"), config.problem == nil,
       let network = try? FashionCNN(config: config, weights: WeightStore(file: checkpoint.file)) {
        let trainer = ClassifierTrainingLoop(network: network, config: checkpoint.training)
        _ = try? trainer.restore(from: checkpoint)
    }
    _ = try? StylizerModel.read(path)
    _ = try? FeatureCache.read(path, classNames: ["a", "b", "c"], featureCount: 4)
}

/// With $NST_FUZZ_WRITE_SEEDS=<folder>, writes small real PNG and JPEG seeds made by our own encoders from the
/// repository's sample images (every variant the decoders handle) and exits instead of fuzzing.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    if let name = environment("NST_FUZZ_TARGET") {
        guard let chosen = Reader(rawValue: name) else {
            FileHandle.standardError.write(Data("nst-fuzz: NST_FUZZ_TARGET must be one of png, jpeg, safetensors, idx, checkpoint\n".utf8))
            _exit(2)
        }
        reader = chosen
    }
    guard let folder = environment("NST_FUZZ_WRITE_SEEDS") else { return 0 }
    // _exit: the seed mode ends here, without libFuzzer's and LeakSanitizer's exit-time work.
    do {
        try writeImageSeeds(to: URL(fileURLWithPath: folder))
        _exit(0)
    } catch {
        FileHandle.standardError.write(Data("nst-fuzz: cannot write seeds: \(error)\n".utf8))
        _exit(1)
    }
}

func writeImageSeeds(to folder: URL) throws {
    let png = folder.appendingPathComponent("png"), jpeg = folder.appendingPathComponent("jpeg")
    for dir in [png, jpeg] { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
    let photo = try Image.load(URL(fileURLWithPath: "samples/photos/skimage_coffee.png")).resized(width: 24, height: 16)
    let painting = try Image.load(URL(fileURLWithPath: "samples/styles/wave.jpg")).resized(width: 20, height: 20)
    var rgba = Image(width: 16, height: 12, channels: 4, value: 0.5)
    for i in rgba.pixels.indices { rgba.pixels[i] = Float(i % 17) / 17 }
    try photo.encoded(as: .png).write(to: png.appendingPathComponent("rgb.png"))
    try photo.gray().encoded(as: .png).write(to: png.appendingPathComponent("gray.png"))
    try photo.encoded(as: .png, bitDepth: 16).write(to: png.appendingPathComponent("rgb16.png"))
    try rgba.encoded(as: .png).write(to: png.appendingPathComponent("rgba.png"))
    let url = URL(fileURLWithPath: "seed.jpg")
    try painting.encoded(as: .jpeg, quality: 80).write(to: jpeg.appendingPathComponent("baseline.jpg"))
    try painting.encoded(as: .jpeg, quality: 80, chroma: .yuv444).write(to: jpeg.appendingPathComponent("chroma444.jpg"))
    try painting.gray().encoded(as: .jpeg, quality: 80).write(to: jpeg.appendingPathComponent("gray.jpg"))
    try JPEG.encode(painting, quality: 80, chroma: .yuv420, progressive: true, url: url)
        .write(to: jpeg.appendingPathComponent("progressive.jpg"))
    try JPEG.encodeSamples([UInt8]((0..<(16 * 16 * 4)).map { UInt8($0 * 7 % 256) }), width: 16, height: 16, components: 4,
                           quality: 80, chroma: .yuv420, progressive: false, url: url)
        .write(to: jpeg.appendingPathComponent("cmyk.jpg"))
}
