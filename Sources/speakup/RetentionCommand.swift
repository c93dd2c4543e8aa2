import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpRules
import SpeakUpStore

/// `speakup retention`: legal holds, and erasing what the retention policy no longer lets the
/// store keep (docs/governance.md).
struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Erase what the retention policy no longer keeps; set and lift legal holds.",
        subcommands: [Run.self, Hold.self, LiftHold.self]
    )

    /// `--policy`, or the installed settings' retention policy, or the standard one.
    struct PolicyOptions: ParsableArguments {
        @Option(name: .customLong("policy"), help: ArgumentHelp(
            "The retention policy file (default: the built-in policy; an installed SpeakUp uses its settings' retention policy).",
            valueName: "path"))
        var path: String?

        func chosen() throws(Failure) -> (RetentionPolicy, String) {
            var path = path
            if let installation = try Deployment.get().installation {
                if path != nil {
                    throw Failure("This SpeakUp is installed with the retention policy its settings name, so --policy cannot change it.", code: 64)
                }
                path = installation.retention
            }
            guard let path else { return (.standard, "the standard retention policy") }
            guard !path.isEmpty else { throw Failure("--policy needs the path of a retention policy file.", code: 64) }
            let text = try TextFile.read(path, code: 64, notText: 65, what: "retention policy")
            switch RetentionPolicyLoader.load(text) {
            case .success(let policy):
                return (policy, path)
            case .failure(let problems):
                let lines = problems.all.map { "\(path):\($0.line):\($0.column): \($0.sentence)" }
                throw Failure(lines.joined(separator: "\n") + "\n\(problems.all.count.counted("problem")) in \(path); nothing was erased.", code: 65)
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Erase for good the content of closed cases past their time (never one under legal hold), expired receipts and old drafts.",
            discussion: "Safe to run from cron, and to run again: cases are erased 100 to a transaction, each whole, so a run stopped part way leaves every case whole or fully erased, and the next run finishes. What statistics and past returns count is kept. Exit status: 0 when done, 65 for a policy file with mistakes, 75 when the store was kept busy."
        )

        @Flag(name: .customLong("dry-run"), help: "List what would be erased, and change nothing.")
        var dryRun = false

        @Flag(help: "Also rewrite the whole SQLite file afterwards (VACUUM). Writers wait while it runs: for a quiet hour.")
        var vacuum = false

        @Option(help: ArgumentHelp("Act as if today were this day (YYYY-MM-DD).", valueName: "day"))
        var today: String?

        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            do throws(Failure) {
                try Roles.require(.administrator, toDo: "run the retention policy")
                let day: CalendarDay
                if let today {
                    guard let typed = CalendarDay(typed: today) else {
                        throw Failure("--today needs a day like 2026-12-05; \(today) is not one.", code: 64)
                    }
                    day = typed
                } else {
                    day = SystemClock().today()
                }
                let (policy, source) = try policyOptions.chosen()
                let (store, _) = try storeOptions.open(dryRun ? .read : .write, createIfMissing: false)
                let plan: RetentionPlan
                do { plan = try store.retentionPlan(policy, today: day) } catch { throw Failure(error) }
                print("Retention policy: \(source). Closed cases kept \(policy.closedCases)"
                    + policy.byOutcome.sorted { $0.key < $1.key }.map { ", \($0.key) \($0.value)" }.joined()
                    + "; receipts \(policy.receipts) after closing; drafts \(policy.drafts).")
                for reference in plan.held { print("\(reference): under legal hold, kept.") }
                if dryRun {
                    for due in plan.cases { print("\(due.reference): would be erased (\(due.rule), closed \(due.closedOn)).") }
                    for reference in plan.receipts { print("\(reference): its receipt code would stop working.") }
                    print("Dry run: \(plan.cases.count.counted("case")) would be erased, \(plan.receipts.count.counted("receipt")) and \(plan.drafts.counted("draft")) removed; nothing was changed.")
                    return
                }
                let run = RetentionRun(store: store, policy: policy, today: day, actor: RealIdentity.current()?.reporter.userName)
                do {
                    // Each batch is told once committed: what it prints has happened, whatever happens next.
                    let done = try run.erase(plan) { batch, erased in
                        for due in batch {
                            if erased.contains(due.reference) {
                                print("\(due.reference): erased (\(due.rule)).")
                            } else {
                                print("\(due.reference): kept: it was put under legal hold, or erased, since the run began.")
                            }
                        }
                        fflush(nil)
                    }
                    if done.changedAnything {
                        try run.compact()
                        if vacuum, let sqlite = store as? SQLiteReportStore { try sqlite.vacuum() }
                    }
                    print("Erased \(done.erased.counted("case")); removed \(done.receipts.counted("expired receipt")) and \(done.drafts.counted("old draft")). `speakup audit verify` checks each erased case against its tombstone.")
                } catch {
                    throw Failure(error)
                }
            } catch {
                error.exit()
            }
        }
    }

    /// What `hold` and `lift-hold` share: the case, the reason, the handler and their desk.
    struct HoldArguments: ParsableArguments {
        @Argument(help: ArgumentHelp("The case's reference, such as C-7KQ2-M9XD.", valueName: "reference"))
        var reference: String

        @Option(help: ArgumentHelp("Why, in a sentence (kept with the case as its event).", valueName: "text"))
        var reason: String?

        @OptionGroup var rulesOptions: RulesOptions
        @OptionGroup var storeOptions: StoreOptions

        func act(_ action: (String) -> CaseAction, toDo: String, done: String) throws(Failure) {
            try Roles.requireAny([.handler, .administrator], toDo: toDo)
            guard let reason, !reason.isBlank else {
                throw Failure("Please give the reason with --reason, such as --reason \"Employment tribunal claim 2026/1234\": it is kept with the case.", code: 64)
            }
            guard let caseReference = CaseReference(reference) else {
                throw Failure("\(reference) is not a case reference; they look like C-7KQ2-M9XD.", code: 64)
            }
            guard let identity = RealIdentity.current() else {
                throw Failure("SpeakUp cannot find your user account (uid \(getuid())) in the system's user list. Please tell IT.")
            }
            let rulesPath = try rulesOptions.chosen()
            let handler = try Routing.handler(for: identity.reporter.userName, rulesPath: rulesPath)
            let (store, _) = try storeOptions.open(.write, createIfMissing: false)
            let router = try Routing.router(store: store, rulesPath: rulesPath, owner: handler)
            let desk = store.desk(policy: SubjectChainPolicy(router: router, names: SystemAccounts()))
            do { try desk.act(action(reason), on: caseReference, by: handler, at: Date()) } catch { throw Failure(error) }
            print(done.replacingOccurrences(of: "{case}", with: caseReference.text))
        }
    }

    struct Hold: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hold",
            abstract: "Put a case under legal hold: nothing of it is erased until the hold is lifted (handlers of the case).")

        @OptionGroup var arguments: HoldArguments

        func run() throws {
            do throws(Failure) {
                try arguments.act({ .legalHold(reason: $0) }, toDo: "set a legal hold",
                                  done: "{case} is under legal hold: nothing of it will be erased until the hold is lifted.")
            } catch {
                error.exit()
            }
        }
    }

    struct LiftHold: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lift-hold",
            abstract: "Lift a case's legal hold: the retention policy applies to it again (handlers of the case).")

        @OptionGroup var arguments: HoldArguments

        func run() throws {
            do throws(Failure) {
                try arguments.act({ .liftLegalHold(reason: $0) }, toDo: "lift a legal hold",
                                  done: "{case}'s legal hold is lifted: the retention policy applies to it again.")
            } catch {
                error.exit()
            }
        }
    }
}
