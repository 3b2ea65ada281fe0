// The one place the CLI talks to the user: progress lines on stderr (silenced by --quiet), a JSON summary on stdout (--json).
import ArgumentParser
import Foundation

/// Options every long-running subcommand shares.
struct OutputOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print no progress on stderr.")
    var quiet = false

    @Flag(help: "Print a machine-readable JSON summary on stdout when done.")
    var json = false
}

final class Reporter {
    private let quiet: Bool
    private let json: Bool
    private let interactive = isatty(STDERR_FILENO) != 0
    private var lastLine = Date.distantPast
    private var pendingNewline = false

    init(_ options: OutputOptions) {
        quiet = options.quiet
        json = options.json
    }

    /// A progress line; on a terminal it overwrites the previous one, elsewhere at most one line per second (and
    /// always the `final` one).
    func progress(_ text: String, final: Bool = false) {
        guard !quiet else { return }
        if interactive {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text)" .utf8))
            pendingNewline = true
            if final { endLine() }
        } else if final || Date().timeIntervalSince(lastLine) >= 1 {
            FileHandle.standardError.write(Data("\(text)\n".utf8))
            lastLine = Date()
        }
    }

    /// A line of information (not progress), e.g. where the output went.
    func note(_ text: String) {
        guard !quiet else { return }
        endLine()
        FileHandle.standardError.write(Data("\(text)\n".utf8))
    }

    /// An error about one input among several (the command goes on, and exits non-zero at the end); shown even
    /// with --quiet.
    func error(_ text: String) {
        endLine()
        FileHandle.standardError.write(Data("nst: \(text)\n".utf8))
    }

    /// A warning is shown even with --quiet.
    func warn(_ text: String) {
        endLine()
        FileHandle.standardError.write(Data("nst: warning: \(text)\n".utf8))
    }

    /// A line of the command's result on stdout (for commands whose result is text, such as `score`), unless --json
    /// asked for the JSON summary instead.
    func result(_ line: String) {
        guard !json else { return }
        endLine()
        print(line)
    }

    /// Prints the summary (a JSON object or array) on stdout when --json was given.
    func summary(_ object: Any) {
        endLine()
        guard json else { return }
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
    }

    private func endLine() {
        if pendingNewline { FileHandle.standardError.write(Data("\n".utf8)); pendingNewline = false }
    }
}

/// "1m 05s" style durations for ETAs.
func formatDuration(_ seconds: Double) -> String {
    // Durations can come from a file's metadata: anything that is not a plausible time is shown as unknown.
    guard seconds.isFinite, seconds >= 0, seconds < 1e9 else { return "?" }
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return String(format: "%dm %02ds", s / 60, s % 60) }
    return String(format: "%dh %02dm", s / 3600, (s % 3600) / 60)
}

/// Fails early, before minutes of work, when `path` can't be written (missing folder, no permission).
func checkWritable(_ path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw CLIError("\(path): folder \(folder.path) does not exist")
    }
    let probe = folder.appendingPathComponent(".nst-write-test-\(getpid())")
    guard FileManager.default.createFile(atPath: probe.path, contents: nil) else {
        throw CLIError("\(path): folder \(folder.path) is not writable")
    }
    try? FileManager.default.removeItem(at: probe)
}

/// A one-line error for problems the CLI itself finds.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
