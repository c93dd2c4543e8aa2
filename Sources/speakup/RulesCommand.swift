import ArgumentParser
import Foundation
import SpeakUpRules

/// `speakup rules`: tools for the people who write the escalation rules.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check escalation rules files.",
        subcommands: [Check.self]
    )

    /// `speakup rules check FILE`: every problem with its line and column.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check a rules file; list every problem with its line and column (exit 2 if any)."
        )

        @Argument(help: ArgumentHelp("The rules file (YAML), e.g. docs/rules/default.yaml.", valueName: "file"))
        var file: String

        func run() throws {
            guard let bytes = FileManager.default.contents(atPath: file) else {
                Failure("SpeakUp cannot read \(file). Please check that it exists and that you may read it.", code: 2).exit()
            }
            guard let text = String(data: bytes, encoding: .utf8) else {
                Failure("\(file): this is not UTF-8 text. Please save the rules file as UTF-8.", code: 2).exit()
            }
            switch RulesLoader.load(text) {
            case .success(let rules):
                print("\(file): the rules are valid: \(rules.roles.count) roles, \(rules.routes.count) routes, fallback \(rules.fallback.joined(separator: ", ")).")
            case .failure(let problems):
                let lines = problems.all.map { "\(file):\($0.line):\($0.column): \($0.sentence)" }
                Failure(lines.joined(separator: "\n") + "\n\(problems.all.count) problem\(problems.all.count == 1 ? "" : "s") in \(file).", code: 2).exit()
            }
        }
    }
}
