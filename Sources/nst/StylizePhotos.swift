// Painting several photos in one command (`--model`, `--fast`): the photos named (folders expanded), where each
// result goes, checked before any work, and a loop in which one unreadable photo among several is reported and
// skipped rather than ending the run.
import ArgumentParser
import Foundation
import ImageIO

extension NST.Stylize {
    /// `inputs` (paths named on the command line), folders replaced by the images directly inside them (sorted).
    func expandInputs(_ inputs: [String]) throws -> [String] {
        var paths: [String] = []
        for path in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIError("\(path): no such file or folder")
            }
            if isDirectory.boolValue {
                paths += try ImageFiles.list(in: URL(fileURLWithPath: path)).map { URL(fileURLWithPath: path).appendingPathComponent($0.lastPathComponent).path }
            } else {
                paths.append(path)
            }
        }
        return paths
    }

    /// The photos `inputs` name and where each result goes: `-o` for a single photo, else `<photo>-<suffix>.jpg` in
    /// `--output-dir` (the current folder). Before any work: some photo was found, `-o` names at most one output, and
    /// every output can be written, no two photos sharing one.
    func photoOutputs(_ inputs: [String], suffix: String) throws -> [(photo: String, target: String)] {
        let photos = try expandInputs(inputs)
        guard !photos.isEmpty else { throw CLIError("\(inputs.joined(separator: ", ")): no .jpg, .jpeg or .png photos found") }
        guard photos.count == 1 || output == nil else {
            throw CLIError("-o names one output but \(photos.count) photos were given; use --output-dir")
        }
        let folder = URL(fileURLWithPath: outputDir ?? ".")
        let pairs = photos.map { photo in
            (photo: photo, target: output ?? folder.appendingPathComponent(
                URL(fileURLWithPath: photo).deletingPathExtension().lastPathComponent + "-\(suffix).jpg").path)
        }
        for target in Set(pairs.map(\.target)) { try checkImageOutput(target) }
        try checkDistinctOutputs(pairs.map { (input: $0.photo, output: $0.target) })
        return pairs
    }

    /// `paint(photo, target)` for every pair, collecting the summary entries it returns. One bad photo among many
    /// shouldn't stop the rest: it is reported and counted; alone, it is the command's error.
    func paintEach(_ pairs: [(photo: String, target: String)], reporter: Reporter,
                   _ paint: (String, String) throws -> [String: Any]) throws -> (outputs: [[String: Any]], failures: Int) {
        var outputs: [[String: Any]] = [], failures = 0
        for (photo, target) in pairs {
            do {
                outputs.append(try paint(photo, target))
            } catch {
                if pairs.count == 1 { throw error }
                reporter.warn("\(error)")
                failures += 1
            }
        }
        return (outputs, failures)
    }
}
