// `nst info FILE`: what the image I/O layer sees in a file.
import ArgumentParser

extension NST {
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show format, size, channels, bit depth and orientation of images.")
        @Argument(help: "Image files to describe.") var files: [String]
        func run() throws { throw ValidationError("not yet implemented") }
    }
}
