// `nst stylize photo.jpg… --model model.safetensors`: one forward pass of a trained stylizer per photo.
// Photos and folders of photos in, one output per photo; an unreadable photo among several is reported and skipped.
import ArgumentParser
import Foundation
import ImageIO
import StyleTransfer

extension NST.Stylize {
    func runModel(_ modelURL: URL) throws {
        let reporter = Reporter(outputOptions)
        let modelStem = modelURL.deletingPathExtension().lastPathComponent
        let pairs = try photoOutputs(images, suffix: modelStem)
        let stylizer = try StylizerModel.read(modelURL).model
        let (outputs, failures) = try paintEach(pairs, reporter: reporter) { photoPath, target in
            let start = Date()
            var photo = try Image.load(URL(fileURLWithPath: photoPath))
            if let size { photo = photo.resized(longestSide: size) }
            let painted = stylizer.stylize(photo, strength: strength, preserveColors: preserveColors,
                                           workingSize: workingSize.side(automatic: stylizer.automaticWorkingSize(longestSide: max(photo.width, photo.height))))
            try painted.save(to: URL(fileURLWithPath: target))
            let seconds = Date().timeIntervalSince(start)
            reporter.note(String(format: "wrote %@ (%dx%d) in %.2f s", target, painted.width, painted.height, seconds))
            return ["input": photoPath, "output": target, "width": painted.width, "height": painted.height, "seconds": seconds]
        }
        reporter.summary(["model": modelURL.path, "style": stylizer.metadata.style,
                          "architecture": stylizer.metadata.architecture.rawValue, "outputs": outputs, "failed": failures])
        if failures > 0 { throw ExitCode(1) }
    }
}
