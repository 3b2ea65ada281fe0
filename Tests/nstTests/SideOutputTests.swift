// Side outputs that are on by default (loss curves, confusion matrices) are turned off by a --no-… flag, not a
// magic file name; a path and the flag together are a mistake worth naming.
import Foundation
import Testing
@testable import nst

@Suite struct SideOutputTests {
    @Test func defaultPathFlagAndConflict() throws {
        #expect(try sideOutput(nil, off: false, option: "--curve", beside: "out/wave.safetensors", suffix: "-loss.png")?.lastPathComponent
                == "wave-loss.png")
        #expect(try sideOutput("c.png", off: false, option: "--curve", beside: "wave.safetensors", suffix: "-loss.png")?.lastPathComponent
                == "c.png")
        #expect(try sideOutput(nil, off: true, option: "--curve", beside: "wave.safetensors", suffix: "-loss.png") == nil)
        #expect(throws: (any Error).self) {
            try sideOutput("c.png", off: true, option: "--curve", beside: "wave.safetensors", suffix: "-loss.png")
        }
        // A file named "none" is a file like any other now.
        #expect(try sideOutput("none", off: false, option: "--curve", beside: "w.safetensors", suffix: "-loss.png")?.lastPathComponent
                == "none")
    }

    @Test func theFlagsParse() throws {
        _ = try NST.parseAsRoot(["train-stylizer", "--style", "s.jpg", "--content-dir", "d", "-o", "m.safetensors", "--no-curve"])
        _ = try NST.parseAsRoot(["train-decoder", "--content-dir", "d", "-o", "m.safetensors", "--no-curve"])
        _ = try NST.parseAsRoot(["train-classifier", "--image-folder", "d", "-o", "m.safetensors", "--no-curve", "--no-feature-cache"])
        _ = try NST.parseAsRoot(["evaluate", "--model", "m.safetensors", "--dataset", "fashion-mnist", "--no-confusion-image"])
    }
}
