// Checks on what a command will write, made before any work starts: a run of minutes must not end in "cannot write
// extension .tif", two photos must not silently paint over each other's output, and a fresh training run must not
// destroy the checkpoint of an earlier one.
import ArgumentParser
import Foundation
import ImageIO

/// An image output: a supported extension (.png, .jpg, .jpeg) in an existing, writable folder.
func checkImageOutput(_ path: String) throws {
    do { _ = try ImageFormat.forOutput(URL(fileURLWithPath: path)) } catch { throw CLIError("\(error)") }
    try checkWritable(path)
}

/// Every (input, output) pair writes a different file: two inputs that would share an output name are an error
/// naming both, so neither result is lost.
func checkDistinctOutputs(_ pairs: [(input: String, output: String)]) throws {
    var seen: [String: String] = [:]
    for (input, output) in pairs {
        let key = URL(fileURLWithPath: output).standardizedFileURL.path
        if let first = seen[key] {
            throw CLIError("\(output): both \(first) and \(input) would be written here; give them different names or folders")
        }
        seen[key] = input
    }
}

/// `--checkpoint`, `--resume` and `--overwrite`: the one declaration of the checkpoint options every trainer takes.
struct CheckpointOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Checkpoint file, with the optimiser state (default: <output>.checkpoint).", valueName: "path"))
    var checkpoint: String?
    @Flag(help: "Continue from the checkpoint exactly; only the run's length (--iterations, --epochs; train-decoder's --average-last) may differ.")
    var resume = false
    @Flag(help: "Start afresh even though the checkpoint of an earlier run exists (it is then replaced).")
    var overwrite = false

    /// The checkpoint of the run that writes `output`.
    func path(output: String) -> String { checkpoint ?? output + ".checkpoint" }

    /// `--init-model` starts a new run from a model's weights and `--resume` continues a checkpoint: not both.
    func checkNotBoth(initModel: String?) throws {
        if initModel != nil && resume { throw ValidationError("--init-model starts a new run; --resume continues one (give one of them)") }
    }

    /// Before any work: a fresh run (no --resume) must not silently replace an earlier run's checkpoint; refused
    /// unless --overwrite, naming both ways out.
    func checkNotOverwritten(output: String) throws {
        let path = path(output: output)
        guard !resume, !overwrite, FileManager.default.fileExists(atPath: path) else { return }
        throw CLIError("\(path): a checkpoint of an earlier run is here; continue it with --resume, or discard it with --overwrite")
    }
}

/// A path option that is on by default and turned off by its `--no-…` flag: the path given, else `defaultPath`;
/// nil when `off` (giving both is an error).
func defaultedPath(_ path: String?, off: Bool, option: String, default defaultPath: @autoclosure () -> String) throws -> URL? {
    if off {
        guard path == nil else { throw ValidationError("give \(option) or --no-\(option.dropFirst(2)), not both") }
        return nil
    }
    return URL(fileURLWithPath: path ?? defaultPath())
}

/// A side output that is on by default (a loss curve, a confusion matrix): `defaultedPath` with `<output
/// stem><suffix>` beside `output` as the default.
func sideOutput(_ path: String?, off: Bool, option: String, beside output: String, suffix: String) throws -> URL? {
    try defaultedPath(path, off: off, option: option, default: URL(fileURLWithPath: output).deletingPathExtension().path + suffix)
}
