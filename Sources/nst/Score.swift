// `nst score IMAGE… --content photo.jpg --style painting.jpg`: the README's content and style loss of finished
// images, to compare methods and settings on one scale (lower is closer to the photo / the painting), and the two
// measures a person sees: the photo's structure kept (SSIM of luminance) and the distance to the painting's palette.
import ArgumentParser
import Foundation
import ImageIO
import Networks
import StyleTransfer

extension NST {
    struct Score: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure how close images are to a photo's content and a painting's style.",
            discussion: """
                Prints the unweighted content loss (against --content) and style loss (against --style) of each image, \
                as defined in the README, at --size pixels (images are resized to the photo's working size); the \
                structure kept from the photo (mean SSIM of luminance at 256 px: 1 = all of it, higher is better) and \
                the palette distance to the painting (mean 1-D Wasserstein distance of L*, a*, b* at 256 px: lower is \
                closer to the painting's colours).
                """)

        @Argument(help: ArgumentHelp("Stylized images to score.", valueName: "image")) var images: [String]
        @Option(help: ArgumentHelp("The content photo.", valueName: "image")) var content: String
        @Option(help: ArgumentHelp("The painting.", valueName: "image")) var style: String
        @Option(help: ArgumentHelp("Longest side at which the losses are measured.", valueName: "pixels")) var size = 512
        @Option(help: ArgumentHelp("Comma-separated content layers.", valueName: "layers"))
        var contentLayers = GatysConfig().contentLayers.map(\.rawValue).joined(separator: ",")
        @Option(help: ArgumentHelp("Comma-separated style layers.", valueName: "layers"))
        var styleLayers = GatysConfig().styleLayers.map(\.rawValue).joined(separator: ",")
        @OptionGroup var vgg: VGGWeightsOption
        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard size >= 32 else { throw ValidationError("--size must be at least 32") }
            _ = try VGGLayer.parseList(contentLayers); _ = try VGGLayer.parseList(styleLayers)
        }

        func run() throws {
            let reporter = Reporter(outputOptions)
            let photo = try Image.load(URL(fileURLWithPath: content))
            let painting = try Image.load(URL(fileURLWithPath: style))
            let vgg = try self.vgg.load()
            let contentLayers = try VGGLayer.parseList(self.contentLayers), styleLayers = try VGGLayer.parseList(self.styleLayers)
            var rows: [[String: Any]] = []
            for (index, path) in images.enumerated() {
                reporter.progress("scoring \(path) (\(index + 1) of \(images.count))")
                let image = try Image.load(URL(fileURLWithPath: path))
                let s = PerceptualScoring.score(image, content: photo, style: painting, size: size,
                                                contentLayers: contentLayers, styleLayers: styleLayers, vgg: vgg)
                let structure = ImageMeasures.structure(photo: photo, result: image)
                let palette = ImageMeasures.paletteDistance(result: image, painting: painting)
                rows.append(["image": path, "content_loss": s.content, "style_loss": s.style,
                             "structure": structure, "palette_distance": palette])
                reporter.result(String(format: "%@: content %.5g, style %.5g, structure %.4f, palette %.3f",
                                        path, s.content, s.style, structure, palette))
            }
            reporter.summary(rows)
        }
    }
}
