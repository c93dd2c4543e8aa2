import ArgumentParser
import Foundation
import SpeakUpCore
import SpeakUpRules

/// `speakup rules`: tools for the people who write the escalation rules.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check escalation rules files, and explain how a case was routed.",
        subcommands: [Check.self, Explain.self]
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

    /// `speakup rules explain REFERENCE`: the stored reasons a case went where it did.
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Show how a case was routed: which rule matched, on which facts, who was left out and why."
        )

        @Argument(help: ArgumentHelp("The case reference, e.g. SU-7KQ4-M2XD.", valueName: "reference"))
        var reference: String

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            guard let parsed = CaseReference(reference) else {
                Failure("\(reference) is not a case reference like SU-7KQ4-M2XD.", code: 64).exit()
            }
            do {
                let (store, _) = try storeOptions.open(createIfMissing: false)
                let routing: CaseRouting?
                do { routing = try store.routing(for: parsed) } catch { throw Failure(error.sentence) }
                guard let routing else {
                    throw Failure("The case \(parsed) was not found, or was stored before routing existed.")
                }
                let stamp = Date.ISO8601FormatStyle(timeZone: .gmt)
                var lines = ["Case \(parsed): level \(routing.level.rawValue); handlers \(routing.handlers.isEmpty ? "none" : routing.handlers.joined(separator: ", ")) (roles \(routing.roles.joined(separator: ", ")))."]
                lines.append("Acknowledge by \(routing.acknowledgeBy.formatted(stamp)); feed back by \(routing.feedBackBy.formatted(stamp)).")
                lines += routing.explanation
                print(lines.map { SafeText.displayable($0) }.joined(separator: "\n"))
            } catch let failure as Failure {
                failure.exit()
            }
        }
    }
}
