// The command line a trained model records in its metadata: `nst` and the arguments as the user would type them again
// from the same folder. The binary's own path and absolute paths (the machine's folders, a build directory) would make
// a shipped file name the machine it was trained on rather than the recipe, so they are made relative to the working
// directory; arguments the shell would split or expand are quoted, so the string can be pasted back.
import Foundation

enum RecordedCommand {
    /// "nst <arguments>", absolute paths (also in `--option=/path`) relative to `workingDirectory`.
    static func string(arguments: [String] = CommandLine.arguments,
                       workingDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        (["nst"] + arguments.dropFirst().map { quoted(relativeArgument($0, to: workingDirectory)) }).joined(separator: " ")
    }

    static func relativeArgument(_ argument: String, to directory: String) -> String {
        if argument.hasPrefix("/") { return relativePath(argument, from: directory) }
        if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
            let value = String(argument[argument.index(after: equals)...])
            if value.hasPrefix("/") { return argument[...equals] + relativePath(value, from: directory) }
        }
        return argument
    }

    /// "/work/main/samples/a.jpg" from "/work/main" → "samples/a.jpg"; from "/work/other" → "../main/samples/a.jpg".
    static func relativePath(_ path: String, from directory: String) -> String {
        let target = URL(fileURLWithPath: path).standardized.pathComponents
        let base = URL(fileURLWithPath: directory).standardized.pathComponents
        var common = 0
        while common < min(target.count, base.count) && target[common] == base[common] { common += 1 }
        let parts = Array(repeating: "..", count: base.count - common) + target[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// Single quotes around an argument with characters the shell treats specially (or an empty one).
    static func quoted(_ argument: String) -> String {
        let plain = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./,:=@%+"))
        if !argument.isEmpty && argument.unicodeScalars.allSatisfy(plain.contains) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
