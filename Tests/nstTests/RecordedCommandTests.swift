// Tests for RecordedCommand.swift: the command a model file records names no folder of the machine it was made on.
import Testing
@testable import nst

@Suite struct RecordedCommandTests {
    @Test func theBinaryBecomesNstAndAbsolutePathsBecomeRelativeToTheWorkingDirectory() {
        let command = RecordedCommand.string(
            arguments: ["/work/ci/.build/release/nst", "train-classifier", "--dataset", "fashion-mnist",
                        "-o", "/work/fash/fashion-mnist.safetensors", "--vgg-weights=/work/main/weights/vgg16-imagenet.safetensors",
                        "--content-dir", "data/training-photos", "--exclude", "a.jpg,b.png", "--style-weight", "0.2"],
            workingDirectory: "/work/main")
        #expect(command == "nst train-classifier --dataset fashion-mnist -o ../fash/fashion-mnist.safetensors "
            + "--vgg-weights=weights/vgg16-imagenet.safetensors --content-dir data/training-photos --exclude a.jpg,b.png --style-weight 0.2")
    }

    @Test func relativePathsClimbOutOfTheWorkingDirectoryOnlyAsFarAsNeeded() {
        #expect(RecordedCommand.relativePath("/work/main/samples/a.jpg", from: "/work/main") == "samples/a.jpg")
        #expect(RecordedCommand.relativePath("/work/main/samples/a.jpg", from: "/work/main/weights/") == "../samples/a.jpg")
        #expect(RecordedCommand.relativePath("/work/shared/data/photos", from: "/work/main") == "../shared/data/photos")
        #expect(RecordedCommand.relativePath("/work/main", from: "/work/main") == ".")
        #expect(RecordedCommand.relativePath("/work/main/x/../y.png", from: "/work/main") == "y.png")
    }

    @Test func argumentsTheShellWouldSplitOrExpandAreQuoted() {
        #expect(RecordedCommand.quoted("my photos/a b.jpg") == "'my photos/a b.jpg'")
        #expect(RecordedCommand.quoted("it's") == "'it'\\''s'")
        #expect(RecordedCommand.quoted("") == "''")
        #expect(RecordedCommand.quoted("relu2_2:0.4,relu4_2") == "relu2_2:0.4,relu4_2")
    }
}
