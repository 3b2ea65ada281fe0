// What kind of nst file a safetensors file's metadata says it is, in words, so a loader handed the wrong kind
// ("--model decoder-relu4_1.safetensors") can say what it got instead of naming a missing metadata key.

public enum ModelFileKind {
    /// "a VGG16 relu4_1 decoder (for --fast)", "an nst stylizer model", "VGG16 weights", …; nil when the
    /// metadata names no kind nst writes.
    public static func describe(_ metadata: [String: String]) -> String? {
        if metadata["kind"] == VGGDecoder.kind {
            return "a VGG16 \(metadata["level"].map { String($0.prefix(16)) } ?? "") decoder (for --fast, in --decoders)"
        }
        if metadata["architecture"] == "vgg16-features" { return "VGG16 weights (for --vgg-weights)" }
        switch metadata["nst.kind"] {
        case "stylizer"?: return "an nst stylizer model (for nst stylize --model)"
        case "fashion-cnn"?, "vgg-feature-head"?: return "an nst classifier (for nst classify --model)"
        case let other?: return "an nst file of unknown kind '\(other.prefix(40))'"
        case nil: return nil
        }
    }
}
