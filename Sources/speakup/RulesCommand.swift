import ArgumentParser
import Foundation
import SpeakUpCore
import SpeakUpRules

/// `speakup rules`: tools for the people who write the escalation rules.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check escalation rules files, and explain how a case was routed.",
        subcommands: [Check.self, Test.self, Explain.self]
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
            let text: String
            do { text = try TextFile.read(file, code: 2, what: "rules file") } catch { error.exit() }
            switch RulesLoader.load(text) {
            case .success(let rules):
                print("\(file): the rules are valid: \(rules.roles.count.counted("role")), \(rules.routes.count.counted("route")), fallback \(rules.fallback.joined(separator: ", ")).")
            case .failure(let problems):
                let lines = problems.all.map { "\(file):\($0.line):\($0.column): \($0.sentence)" }
                Failure(lines.joined(separator: "\n") + "\n\(problems.all.count.counted("problem")) in \(file).", code: 2).exit()
            }
        }
    }

    /// `speakup rules test FILE`: cases of reports and the routing they must get.
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run a rules test file: given reports, a directory and times, the routes, levels, handlers and escalations expected (exit 1 if any case fails, 2 if the files are wrong)."
        )

        @Argument(help: ArgumentHelp("The test file (YAML), e.g. docs/rules/default-rules.test.yaml.", valueName: "file"))
        var file: String

        func run() throws {
            let text: String
            do { text = try TextFile.read(file, code: 2, what: "test file") } catch { error.exit() }
            let plan: RulesTestFile.Plan
            switch RulesTestFile.plan(text) {
            case .success(let read): plan = read
            case .failure(let problems):
                Failure(problems.all.map { "\(file):\($0.line):\($0.column): \($0.sentence)" }.joined(separator: "\n"), code: 2).exit()
            }
            var rules = DefaultRules.ruleSet
            if let relative = plan.rulesPath {
                let path = relative.hasPrefix("/") ? relative : ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(relative)
                let rulesText: String
                do { rulesText = try TextFile.read(path, code: 2, what: "rules file") } catch { error.exit() }
                switch RulesLoader.load(rulesText) {
                case .success(let loaded): rules = loaded
                case .failure(let problems):
                    Failure(problems.all.map { "\(path):\($0.line):\($0.column): \($0.sentence)" }.joined(separator: "\n"), code: 2).exit()
                }
            }
            let outcomes = RulesTestFile.run(plan, rules: rules)
            for outcome in outcomes {
                if outcome.failures.isEmpty {
                    print("ok    \(outcome.name)")
                } else {
                    print("FAIL  \(outcome.name) (\(file):\(outcome.line))")
                    for failure in outcome.failures { print("        \(failure)") }
                }
            }
            let failed = outcomes.filter { !$0.failures.isEmpty }.count
            print("\(outcomes.count - failed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode(1) }
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
        @OptionGroup var rulesOptions: RulesOptions

        func run() throws {
            guard let parsed = CaseReference(reference) else {
                Failure("\(reference) is not a case reference like SU-7KQ4-M2XD.", code: 64).exit()
            }
            do {
                try Roles.require(.administrator, toDo: "read a case's routing")
                let (store, _) = try storeOptions.open(.read, createIfMissing: false)
                let routing: CaseRouting?
                do { routing = try store.routing(for: parsed) } catch { throw Failure(error.sentence) }
                guard let routing else {
                    throw Failure("The case \(parsed) was not found, or was stored before routing existed.")
                }
                var lines = ["Case \(parsed): level \(routing.level.rawValue); handlers \(routing.handlers.isEmpty ? "none" : routing.handlers.joined(separator: ", ")) (roles \(routing.roles.joined(separator: ", ")))."]
                lines.append("Acknowledge by \(ScreenDate.moment(routing.acknowledgeBy)); feed back by \(ScreenDate.moment(routing.feedBackBy)).")
                lines += routing.explanation
                if routing.isUnrouted {
                    lines.append("It is waiting, unrouted, for a handler: run `speakup check` to see what is missing.")
                }
                // Who would take it now, by the same router every command builds (directory and rules as they are today).
                let router = try Routing.router(store: store, rulesPath: try rulesOptions.chosen(), owner: RealIdentity.current()?.reporter.userName)
                do throws(StoreError) {
                    if let report = try store.report(parsed) {
                        let now = try store.dryRoute(report, router: router)
                        lines.append("")
                        lines.append("Routed again today: handlers \(now.handlers.isEmpty ? "none (it would wait for one)" : now.handlers.joined(separator: ", ")) (roles \(now.roles.joined(separator: ", "))).")
                    }
                } catch {
                    lines.append("")
                    lines.append("It could not be routed again today: \(error.sentence)")
                }
                print(lines.map { SafeText.displayable($0) }.joined(separator: "\n"))
            } catch let failure as Failure {
                failure.exit()
            }
        }
    }
}
