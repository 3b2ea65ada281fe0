// What kind of nst file a safetensors file's metadata says it is, in words, so a loader handed the wrong kind
// ("--model decoder-relu4_1.safetensors") can say what it got instead of naming a missing metadata key. The key
// itself is NeuralCore's ModelFile codec's; this adds the kinds' names, which live here in Networks.
import NeuralCore

public enum ModelFileKind {
    /// Kinds whose files were once written with their kind under `ModelFile.legacyKindKey` only: decoders from
    /// before 2026-12-06 (the shipped ones among them).
    static let legacyKinds: Set<String> = [VGGDecoder.kind]

    /// The kind a file's metadata names: `nst.kind`, or for decoders written before they used it, their `kind`.
    public static func kind(of metadata: [String: String]) -> String? {
        ModelFile.kind(of: metadata, legacyKinds: legacyKinds)
    }

    /// "a VGG16 relu4_1 decoder (for --fast)", "an nst stylizer model", "VGG16 weights", …; nil when the
    /// metadata names no kind nst writes.
    public static func describe(_ metadata: [String: String]) -> String? {
        if kind(of: metadata) == VGGDecoder.kind {
            return "a VGG16 \(metadata["level"].map { String($0.prefix(16)) } ?? "") decoder (for --fast, in --decoders)"
        }
        if metadata["architecture"] == "vgg16-features" { return "VGG16 weights (for --vgg-weights)" }
        switch metadata[ModelFile.kindKey] {
        case "stylizer"?: return "an nst stylizer model (for nst stylize --model)"
        case "fashion-cnn"?, "vgg-feature-head"?: return "an nst classifier (for nst classify --model)"
        case let other?: return "an nst file of unknown kind '\(other.prefix(40))'"
        case nil: return nil
        }
    }
}
