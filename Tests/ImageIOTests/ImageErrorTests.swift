// ImageError descriptions and ImageLimits arithmetic.
import Foundation
import Testing
@testable import ImageIO

@Suite struct ImageErrorTests {
    @Test func relativePathsStayRelativeInMessages() {
        let error = ImageError(URL(fileURLWithPath: "style.jpg"), .empty, "file is empty")
        #expect(error.description == "style.jpg: file is empty")
    }

    @Test func multiLineProblemsAreFolded() {
        let error = ImageError(path: "a.png", kind: .corrupt, problem: "first\nsecond")
        #expect(error.description == "a.png: first second")
    }

    @Test func hugeSizesDoNotOverflow() {
        #expect(throws: ImageError.self) {
            try ImageLimits.default.check(width: Int.max / 2, height: 4, url: URL(fileURLWithPath: "x.png"))
        }
        #expect(throws: ImageError.self) {
            try ImageLimits.default.check(width: 0, height: 4, url: URL(fileURLWithPath: "x.png"))
        }
    }
}
