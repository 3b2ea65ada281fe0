// The `nst` command: parses arguments and hands work to the libraries. No pixel or tensor loops here.
import ArgumentParser
import NeuralCore

@main
struct NST: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nst",
        abstract: "Neural style transfer and image classification on the CPU.",
        version: "0.1.0",
        subcommands: [Stylize.self, TrainStylizer.self, TrainDecoder.self, Score.self, TrainClassifier.self, Evaluate.self, Classify.self, Info.self]
    )

    static func main() {
        // OpenBLAS may have picked generic kernels on a CPU it does not know (see BLASCore); this restarts the
        // process once with the right ones before anything else happens.
        BLASCore.relaunchWithFasterKernelsIfNeeded()
        main(nil)
    }
}
