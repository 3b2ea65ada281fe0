// Keeps README and --help in step: every option of the main commands is documented in the README.
import ArgumentParser
import Foundation
import Testing
@testable import nst

@Suite struct ReadmeOptionsTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../README.md").standardizedFileURL

    static let commands: [(String, ParsableCommand.Type, Int)] = [
        ("stylize", NST.Stylize.self, 23), ("train-stylizer", NST.TrainStylizer.self, 25),
    ]

    @Test(arguments: commands.map { $0.0 })
    func everyOptionIsInTheReadme(command: String) throws {
        let (_, type, expected) = Self.commands.first { $0.0 == command }!
        let readme = try String(contentsOf: Self.readme, encoding: .utf8)
        let help = NST.helpMessage(for: type, columns: 200)
        let options = Set(help.matches(of: try Regex("--[a-z][a-z-]+")).map { String(help[$0.range]) })
            .subtracting(["--help", "--version"])
        #expect(options.count >= expected)
        let missing = options.filter { !readme.contains("`\($0)") && !readme.contains(", \($0)") }
        #expect(missing.isEmpty, "\(command) options missing from README.md: \(missing.sorted())")
    }
}
