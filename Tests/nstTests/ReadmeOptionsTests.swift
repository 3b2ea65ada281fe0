// Keeps README and --help in step: every option `nst stylize` accepts is documented in the README's option list.
import Foundation
import Testing
@testable import nst

@Suite struct ReadmeOptionsTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../README.md").standardizedFileURL

    @Test func everyStylizeOptionIsInTheReadme() throws {
        let readme = try String(contentsOf: Self.readme, encoding: .utf8)
        let help = NST.helpMessage(for: NST.Stylize.self, columns: 200)
        let options = Set(help.matches(of: try Regex("--[a-z][a-z-]+")).map { String(help[$0.range]) })
            .subtracting(["--help", "--version"])
        #expect(options.count >= 20)
        let missing = options.filter { !readme.contains("`\($0)") && !readme.contains(", \($0)") }
        #expect(missing.isEmpty, "options missing from README.md: \(missing.sorted())")
    }
}
