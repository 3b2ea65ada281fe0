// Crafted classifier files (ClassifierModel.swift, ModelMetadata.swift): each edit of the shipped Fashion-MNIST model
// that used to crash, read out of bounds or print nonsense must give a one-line error naming the file and the problem.
import Foundation
import Networks
import NeuralCore
import Testing
@testable import Classification

@Suite struct UntrustedModelTests {
    static let shipped = URL(fileURLWithPath: "weights/fashion-mnist.safetensors")
    static var available: Bool { FileManager.default.fileExists(atPath: shipped.path) }

    /// One crafted variant of the shipped model: a name, the edit, and a phrase its error must contain.
    struct Craft: CustomTestStringConvertible, Sendable {
        let name: String
        let expected: String
        let edit: @Sendable (inout [String: Tensor], inout [String: String]) -> Void
        var testDescription: String { name }
    }

    static func config(_ edit: @escaping @Sendable (inout [String: Any]) -> Void) -> @Sendable (inout [String: Tensor], inout [String: String]) -> Void {
        { _, meta in
            var json = try! JSONSerialization.jsonObject(with: Data(meta["nst.config"]!.utf8)) as! [String: Any]
            edit(&json)
            meta["nst.config"] = String(decoding: try! JSONSerialization.data(withJSONObject: json, options: .sortedKeys), as: UTF8.self)
        }
    }

    static let crafts: [Craft] = [
        // The issue's first two files.
        Craft(name: "preprocessing size 200", expected: "says size 200 but the network takes 28×28") { _, m in
            m["nst.preprocessing"] = #"{"color":"gray","fit":"pad","inversion":"auto","size":200}"# },
        Craft(name: "preprocessing rgb", expected: "says rgb but the network takes 1-channel inputs") { _, m in
            m["nst.preprocessing"] = #"{"color":"rgb","fit":"pad","inversion":"auto","size":28}"# },
        Craft(name: "preprocessing size 0", expected: "says size 0") { _, m in
            m["nst.preprocessing"] = #"{"color":"gray","fit":"pad","inversion":"auto","size":0}"# },
        Craft(name: "preprocessing size negative", expected: "says size -28") { _, m in
            m["nst.preprocessing"] = #"{"color":"gray","fit":"pad","inversion":"auto","size":-28}"# },
        Craft(name: "preprocessing unknown fit", expected: "metadata nst.preprocessing is not valid") { _, m in
            m["nst.preprocessing"] = #"{"color":"gray","fit":"stretch","inversion":"auto","size":28}"# },
        Craft(name: "class count disagrees with labels", expected: "lists 10 labels but its network has 9 outputs",
              edit: config { $0["classes"] = 9 }),
        Craft(name: "zero classes", expected: "class count 0", edit: config { $0["classes"] = 0 }),
        Craft(name: "side not a multiple of 4", expected: "input side 30", edit: config { $0["side"] = 30 }),
        Craft(name: "huge side", expected: "input side 100000", edit: config { $0["side"] = 100_000 }),
        Craft(name: "two input channels", expected: "input channels 2", edit: config { $0["channels"] = 2 }),
        Craft(name: "dropout 1.5", expected: "dropout 1.5", edit: config { $0["dropout"] = 1.5 }),
        Craft(name: "hidden width 0", expected: "hidden width 0", edit: config { $0["hidden"] = 0 }),
        Craft(name: "side 32 with 28-px tensors", expected: "tensor fc1.weight has shape") { t, m in
            config { $0["side"] = 32 }(&t, &m)
            m["nst.preprocessing"] = #"{"color":"gray","fit":"pad","inversion":"auto","size":32}"# },
        Craft(name: "architecture seeds on bn-cnn tensors", expected: "tensor conv1.weight has shape",
              edit: config { $0["architecture"] = "seeds" }),
        Craft(name: "unknown architecture", expected: "nst.config is not a valid", edit: config { $0["architecture"] = "resnet" }),
        Craft(name: "config not JSON", expected: "nst.config is not a valid") { _, m in m["nst.config"] = "{side: 28" },
        Craft(name: "extra tensor", expected: "tensor evil.weight is not part of the architecture") { t, _ in
            t["evil.weight"] = Tensor(shape: [2], data: [1, 2]) },
        Craft(name: "missing tensor", expected: "missing tensor conv1.weight") { t, _ in t["conv1.weight"] = nil },
        Craft(name: "NaN weight", expected: "tensor fc2.bias holds NaN") { t, _ in
            var b = t["fc2.bias"]!.data; b[3] = .nan; t["fc2.bias"] = Tensor(shape: t["fc2.bias"]!.shape, data: b) },
        Craft(name: "no labels", expected: "model has no labels") { _, m in m["nst.labels"] = "[]" },
        Craft(name: "labels not strings", expected: "nst.labels is not valid") { _, m in m["nst.labels"] = "[1,2]" },
        Craft(name: "history out of order", expected: "nst.history lists epoch 7 as record 1") { _, m in
            m["nst.history"] = #"[{"epoch":7,"learningRate":0.001,"seconds":1,"trainAccuracy":0.5,"trainLoss":1}]"# },
        Craft(name: "a stylizer's kind", expected: "holds an nst stylizer model (for nst stylize --model), not an nst classifier") { _, m in
            m["nst.kind"] = "stylizer" },
        Craft(name: "a decoder's metadata", expected: "holds a VGG16 relu4_1 decoder") { _, m in
            m = ["kind": "vgg16-decoder", "level": "relu4_1"] },
        Craft(name: "feature head of 8 px", expected: "input size 8") { _, m in
            m["nst.kind"] = "vgg-feature-head"
            m["nst.config"] = #"{"classes":10,"dropout":0.3,"hidden":0,"inputSize":8,"layers":["relu5_3"]}"# },
        Craft(name: "feature head without layers", expected: "0 feature layers") { _, m in
            m["nst.kind"] = "vgg-feature-head"
            m["nst.config"] = #"{"classes":10,"dropout":0.3,"hidden":0,"inputSize":224,"layers":[]}"# },
        Craft(name: "feature head preprocessing gray", expected: "says gray but the network takes 3-channel inputs") { _, m in
            m["nst.kind"] = "vgg-feature-head"
            m["nst.config"] = #"{"classes":10,"dropout":0.3,"hidden":0,"inputSize":224,"layers":["relu5_3"]}"#
            m["nst.preprocessing"] = #"{"color":"gray","fit":"center-crop","inversion":"never","size":224}"# },
    ]

    @Test(.enabled(if: available, "shipped model missing"), arguments: crafts)
    func craftedModelIsRefused(craft: Craft) throws {
        let folder = try temporaryFolder("craft")
        defer { try? FileManager.default.removeItem(at: folder) }
        let shipped = try SafeTensorsFile.read(Self.shipped)
        var tensors = shipped.tensors, metadata = shipped.metadata
        craft.edit(&tensors, &metadata)
        let url = folder.appendingPathComponent("crafted.safetensors")
        try SafeTensorsFile.write(tensors: tensors, metadata: metadata, to: url)
        do {
            _ = try ClassifierModel(contentsOf: url)
            Issue.record("\(craft.name): loaded without an error")
        } catch {
            let message = "\(error)"
            #expect(message.hasPrefix(url.path + ": ") && message.contains(craft.expected) && !message.contains("\n"),
                    "\(craft.name): \(message)")
        }
    }

    /// The issue's third file: the shipped model plus 3,000 header entries aliasing fc1.weight's bytes. Refused by
    /// the safetensors tiling rule before any of them is decoded (it took 3.5 GB and 15 s before).
    @Test(.enabled(if: available, "shipped model missing"))
    func aliasedEntriesAreRefusedBeforeDecoding() throws {
        let folder = try temporaryFolder("alias")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = try Data(contentsOf: Self.shipped)
        let length = Int(bytes.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
        var header = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + length))) as! [String: Any]
        let fc1 = header["fc1.weight"]!
        for i in 0..<3000 { header["alias\(i)"] = fc1 }
        let json = try JSONSerialization.data(withJSONObject: header)
        var crafted = withUnsafeBytes(of: UInt64(json.count).littleEndian) { Data($0) }
        crafted += json + bytes.suffix(from: 8 + length)
        let url = folder.appendingPathComponent("alias.safetensors")
        try crafted.write(to: url)
        #expect(throws: SafeTensorsError.self) { _ = try ClassifierModel(contentsOf: url) }
        do { _ = try SafeTensorsFile.read(url) } catch { #expect("\(error)".contains("overlap"), "\(error)") }
    }

    /// The shipped model itself passes every check (so the checks are not simply refusing everything).
    @Test(.enabled(if: available, "shipped model missing"))
    func shippedModelLoads() throws {
        let model = try ClassifierModel(contentsOf: Self.shipped)
        #expect(model.labels.count == 10 && model.metadata.preprocessing == .fashionMNIST)
    }
}
