// `--vgg-weights`: the one declaration of the option every VGG16-based command takes, and the one way it is loaded.
import ArgumentParser
import Foundation
import Networks

struct VGGWeightsOption: ParsableArguments {
    @Option(help: ArgumentHelp("VGG16 weights file (default: $NST_VGG16_WEIGHTS, else weights/vgg16-imagenet.safetensors).", valueName: "path"))
    var vggWeights: String?

    /// The file to read: the option, else the library's default search.
    var url: URL { vggWeights.map { URL(fileURLWithPath: $0) } ?? VGG16Features.defaultWeightsURL() }

    /// The frozen VGG16 layers, `pooling` as asked.
    func load(pooling: VGGPooling = .max) throws -> VGG16Features { try VGG16Features(contentsOf: url, pooling: pooling) }
}
