// `nst stylize photo.jpg… --model model.safetensors`: one forward pass of a trained stylizer per photo.
// Photos and folders of photos in, one output per photo; an unreadable photo among several is reported and skipped.
import ArgumentParser
import Foundation
import ImageIO
import StyleTransfer

extension NST.Stylize {
    func runModel(_ modelURL: URL) throws {
        let reporter = Reporter(outputOptions)
        let photos = try expandInputs(images)
        guard !photos.isEmpty else { throw CLIError("\(images.joined(separator: ", ")): no .jpg, .jpeg or .png photos found") }
        guard photos.count == 1 || output == nil else {
            throw CLIError("-o names one output but \(photos.count) photos were given; use --output-dir")
        }
        let modelStem = modelURL.deletingPathExtension().lastPathComponent
        let folder = outputDir ?? "."
        let targets = photos.map { photoPath in
            output ?? URL(fileURLWithPath: folder).appendingPathComponent(
                URL(fileURLWithPath: photoPath).deletingPathExtension().lastPathComponent + "-\(modelStem).jpg").path
        }
        // Before any work: every output can be written, and no two photos share one.
        for target in Set(targets) { try checkImageOutput(target) }
        try checkDistinctOutputs(Array(zip(photos, targets)))
        let stylizer = try StylizerModel.read(modelURL).model
        var outputs: [[String: Any]] = [], failures = 0
        for (photoPath, target) in zip(photos, targets) {
            do {
                let start = Date()
                var photo = try Image.load(URL(fileURLWithPath: photoPath))
                if let size { photo = photo.resized(longestSide: size) }
                let painted = stylizer.stylize(photo, strength: strength, preserveColors: preserveColors,
                                               workingSize: workingSize.side(automatic: stylizer.automaticWorkingSize(longestSide: max(photo.width, photo.height))))
                try painted.save(to: URL(fileURLWithPath: target))
                let seconds = Date().timeIntervalSince(start)
                reporter.note(String(format: "wrote %@ (%dx%d) in %.2f s", target, painted.width, painted.height, seconds))
                outputs.append(["input": photoPath, "output": target, "width": painted.width, "height": painted.height,
                                "seconds": seconds])
            } catch {
                // One bad photo among many shouldn't stop the rest; alone, it is the command's error.
                if photos.count == 1 { throw error }
                reporter.warn("\(error)")
                failures += 1
            }
        }
        reporter.summary(["model": modelURL.path, "style": stylizer.metadata.style,
                          "architecture": stylizer.metadata.architecture.rawValue, "outputs": outputs, "failed": failures])
        if failures > 0 { throw ExitCode(1) }
    }

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
}
