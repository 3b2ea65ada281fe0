// Atomic file replacement: write a temporary file in the target folder, then rename it over the target,
// so a crash or a failed encoder never leaves a half-written image or checkpoint behind.
import Foundation

/// A failure to write a file atomically. `description` is one line: "<path>: <problem>".
public struct FileWriteError: Error, CustomStringConvertible, Sendable {
    /// The target path as the caller gave it.
    public let path: String
    /// What went wrong, one line.
    public let problem: String
    /// "<path>: <problem>", one line.
    public var description: String { "\(path): \(problem)" }
}

/// Writes `data` to `url` atomically (temporary file in the same folder, then rename).
/// Throws `FileWriteError` if the folder is missing or not writable; the target is then untouched.
public func writeAtomically(_ data: Data, to url: URL) throws {
    try writeAtomically(to: url) { temporary in
        do {
            try data.write(to: temporary)
        } catch {
            throw FileWriteError(path: url.displayPath, problem: "cannot write (\(error.localizedDescription))")
        }
    }
}

/// Calls `write` with a temporary path in `url`'s folder, then renames that file onto `url`.
/// For writers that need a path (C libraries). If `write` throws, the temporary file is removed and the
/// error is rethrown unchanged; filesystem failures throw `FileWriteError`.
public func writeAtomically(to url: URL, _ write: (URL) throws -> Void) throws {
    let folder = url.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw FileWriteError(path: url.displayPath, problem: "folder \(folder.displayPath) does not exist")
    }
    // Hidden, unique name in the same folder: rename(2) is atomic only within one filesystem.
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    do {
        try write(temporary)
        // On disk before the rename, as model files are: after a power cut the target is the old file or the
        // whole new one, never a renamed but empty one.
        try synchronize(temporary, target: url)
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw error
    }
    if rename(temporary.path, url.path) != 0 {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw FileWriteError(path: url.displayPath, problem: "cannot replace file (\(reason))")
    }
    // The rename itself is durable once the folder's entry is (best effort: not every filesystem allows it).
    let folderDescriptor = open(folder.path, O_RDONLY)
    if folderDescriptor >= 0 { _ = fsync(folderDescriptor); close(folderDescriptor) }
}

/// fsync(2) of the file at `path`; errors name `target`, the file the caller asked for.
func synchronize(_ path: URL, target: URL) throws {
    let descriptor = open(path.path, O_RDONLY)
    guard descriptor >= 0 else {
        throw FileWriteError(path: target.displayPath, problem: "cannot reopen the written file (\(String(cString: strerror(errno))))")
    }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else {
        throw FileWriteError(path: target.displayPath, problem: "cannot flush to disk (\(String(cString: strerror(errno))))")
    }
}
