// The `nst` command: parses arguments and hands work to the libraries. No pixel or tensor loops here.
import ArgumentParser

@main
struct NST: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nst",
        abstract: "Neural style transfer and image classification on the CPU.",
        version: "0.1.0",
        subcommands: [Stylize.self, TrainStylizer.self, TrainDecoder.self, Score.self, TrainClassifier.self, Evaluate.self, Classify.self, Info.self]
    )
}
