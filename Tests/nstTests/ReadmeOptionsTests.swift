// Keeps README.md and the tool in step: the README's section for each command names every option `nst <command> --help`
// lists and no option the command lacks. `nst stylize` has three sections (optimisation, --model, --fast); an option
// whose help says it works with --model (or --fast, --refine) belongs in that section too.
import ArgumentParser
import Foundation
import Testing
import StyleTransfer
@testable import nst

/// One option as `nst <command> --help` lists it: its long names (`--noise/--no-noise` gives two) and its help text.
struct HelpOption {
    var names: [String]
    var takesValue: Bool
    var help: String
}

enum HelpText {
    /// Exactly what `nst <command> --help` prints, wide enough that no help text wraps into the names column.
    static func of(_ command: ParsableCommand.Type) -> String { NST.helpMessage(for: command, columns: 1000) }

    /// The OPTIONS section of the help, without --help and --version (ArgumentParser's own).
    static func options(of command: ParsableCommand.Type) -> [HelpOption] {
        var options: [HelpOption] = []
        var inOptions = false
        for line in of(command).split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasSuffix(":") && !line.hasPrefix(" ") { inOptions = line == "OPTIONS:"; continue }
            guard inOptions, !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            // "  -o, --output <path>     Output image…", "  --noise/--no-noise  …": a long name too wide for the
            // names column is followed by a single space, so the names are matched rather than split at spaces.
            if let match = line.wholeMatch(of: #/  ((?:-[a-zA-Z], )?--[a-z0-9-]+(?:/--[a-z0-9-]+)?(?: <[^>]+>)?)(.*)/#) {
                let names = String(match.output.1)
                options.append(HelpOption(names: longOptions(in: names), takesValue: names.contains("<"),
                                          help: match.output.2.trimmingCharacters(in: .whitespaces)))
            } else if !options.isEmpty {
                // A name wider than the names column puts the whole help on the following lines.
                let help = options[options.count - 1].help
                options[options.count - 1].help = (help.isEmpty ? "" : help + " ") + line.trimmingCharacters(in: .whitespaces)
            }
        }
        return options.filter { !$0.names.contains("--help") && !$0.names.contains("--version") }
    }

    /// Every `--name` in a text (not part of a longer word).
    static func longOptions(in text: String) -> [String] {
        text.matches(of: #/(?:^|[^\w-])(--[a-z][a-z0-9-]*)/#).map { String($0.output.1) }
    }
}

@Suite struct ReadmeOptionsTests {
    static let readmeURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../README.md").standardizedFileURL

    /// Every subcommand of `nst`, so a new command fails here until the README has a section for it.
    static let commands: [(name: String, type: ParsableCommand.Type)] =
        NST.configuration.subcommands.map { ($0._commandName, $0) }

    /// The README's section whose heading names "`nst <title>`": its lines up to the next heading of the same or a
    /// higher level. Nil when there is no such heading or more than one.
    static func section(_ title: String, in readme: String) -> String? {
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let level = { (line: String) in line.prefix { $0 == "#" }.count }
        let starts = lines.indices.filter { level(lines[$0]) > 0 && lines[$0].contains("`nst \(title)`") }
        guard starts.count == 1, let start = starts.first else { return nil }
        let end = lines[(start + 1)...].firstIndex { level($0) > 0 && level($0) <= level(lines[start]) } ?? lines.endIndex
        return lines[start..<end].joined(separator: "\n")
    }

    /// The README sections of a command and the options each must name.
    static func sections(of name: String, options: [HelpOption]) -> [(title: String, required: Set<String>)] {
        let all = Set(options.flatMap(\.names))
        guard name == "stylize" else { return [(name, all)] }
        func naming(_ words: [String]) -> Set<String> {
            Set(options.filter { option in words.contains { option.help.contains($0) } }.flatMap(\.names))
        }
        let optimisation = Set(options.filter { !$0.help.hasPrefix("With --") }.flatMap(\.names))
        return [("stylize", optimisation),
                ("stylize --model", naming(["--model"]).union(["--model"])),
                ("stylize --fast", naming(["--fast", "--refine"]).union(["--fast"]))]
    }

    @Test(arguments: commands.map(\.name))
    func theCommandsSectionsNameExactlyItsOptions(command: String) throws {
        let readme = try String(contentsOf: Self.readmeURL, encoding: .utf8)
        let type = try #require(Self.commands.first { $0.name == command }?.type)
        let options = HelpText.options(of: type)
        #expect(!options.isEmpty, "no options parsed from `nst \(command) --help`")
        let known = Set(options.flatMap(\.names))
        for (title, required) in Self.sections(of: command, options: options) {
            guard let section = Self.section(title, in: readme) else {
                Issue.record("README.md has no section (or several) whose heading names `nst \(title)`")
                continue
            }
            let named = Set(HelpText.longOptions(in: section))
            #expect(required.subtracting(named).isEmpty,
                    "README section `nst \(title)` misses \(required.subtracting(named).sorted())")
            #expect(named.subtracting(known).isEmpty,
                    "README section `nst \(title)` names options `nst \(command)` does not have: \(named.subtracting(known).sorted())")
        }
    }

    /// The check itself: a section that drops an option, or names one the command lacks, is caught.
    @Test func aMissingOrUnknownOptionIsCaught() throws {
        let options = HelpText.options(of: NST.Score.self)
        let names = Set(options.flatMap(\.names))
        #expect(names == ["--content", "--style", "--size", "--content-layers", "--style-layers", "--vgg-weights", "--quiet", "--json"])
        let readme = "## `nst score`\n`--content`, `--style`, `--size`, `--frobnicate`\n## `nst info`\n`--json`\n"
        let section = try #require(Self.section("score", in: readme))
        let named = Set(HelpText.longOptions(in: section))
        #expect(names.subtracting(named) == ["--content-layers", "--style-layers", "--vgg-weights", "--quiet", "--json"])
        #expect(named.subtracting(names) == ["--frobnicate"])
    }

    /// Every option that takes a value and is not required says in its help what it defaults to: ArgumentParser
    /// prints "(default: …)" from the property's value, and options without one say what happens when omitted.
    @Test(arguments: commands.map(\.name))
    func everyOptionalValueStatesItsDefault(command: String) throws {
        let type = try #require(Self.commands.first { $0.name == command }?.type)
        let usage = HelpText.of(type).split(separator: "\n").first { $0.hasPrefix("USAGE:") }.map(String.init) ?? ""
        let required = Set(HelpText.longOptions(in: usage.replacing(#/\[[^\]]*\]/#, with: "")))
        let silent = HelpText.options(of: type).filter { option in
            option.takesValue && required.isDisjoint(with: option.names) && !option.help.lowercased().contains("default")
        }
        #expect(silent.isEmpty, "`nst \(command) --help` states no default for \(silent.flatMap(\.names))")
    }

    /// --content-layer's default is the library's whole recipe (both layers and their weights), not its last layer.
    @Test func trainStylizerDefaultsAreTheLibrarysRecipe() throws {
        let command = try #require(try NST.parseAsRoot(["train-stylizer", "--style", "s.jpg", "--content-dir", "d", "-o", "m.safetensors"])
            as? NST.TrainStylizer)
        let parsed = try command.config(), library = StylizerTrainingConfig()
        #expect(parsed.contentLayers == library.contentLayers)
        #expect(parsed.contentLayerWeights == library.contentLayerWeights)
        #expect(HelpText.of(NST.TrainStylizer.self).contains("(default: \(NST.TrainStylizer.weightedLayers(library)))"))
    }
}
