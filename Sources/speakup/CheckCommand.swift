import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpRules
import SpeakUpStore

/// `speakup check`: everything a deployment needs, checked, each problem in a sentence.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the settings, rules, staff directory, handlers and store: each problem in a sentence (exit 1 if any).",
        discussion: "Run it after installing, after changing the rules or the directory, and whenever a report waits with nobody to handle it."
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var rulesOptions: RulesOptions

    func run() throws {
        do throws(Failure) {
            let findings = try Self.findings(storeOptions: storeOptions, rulesOptions: rulesOptions)
            for line in findings.good { print("ok       " + SafeText.displayable(line)) }
            for line in findings.problems { print("PROBLEM  " + SafeText.displayable(line)) }
            if findings.problems.isEmpty {
                print("Everything SpeakUp needs is in place.")
            } else {
                print("\(findings.problems.count.counted("problem")) found.")
                Glibc.exit(1)
            }
        } catch {
            error.exit()
        }
    }

    /// What is in place, and each problem, in sentences.
    static func findings(storeOptions: StoreOptions, rulesOptions: RulesOptions) throws(Failure) -> (good: [String], problems: [String]) {
        var good: [String] = []
        var problems: [String] = []
        let deployment = try Deployment.get()
        switch deployment {
        case .embedded: good.append("Settings: none (a personal SpeakUp; each user has their own store).")
        case .installed(_, let path): good.append("Settings: \(path), owned by root and not writable by others.")
        }
        let rulesPath = try rulesOptions.chosen()
        let (rules, source) = Routing.rules(at: rulesPath)
        if source.first?.contains("could not") == true { problems += source } else { good.append(source.first ?? "") }
        let (store, _) = try storeOptions.open(.read, createIfMissing: false)
        if store is SQLiteReportStore {
            good.append("Store: \(store.location) opens, and its permissions are as they should be.")
            // Only SQLite's writers take turns on a lock a stopped process could keep; a server ends its own sessions.
            let holders = TurnHolder.current(storePath: store.location)
            if holders.isEmpty { good.append("No terminal is holding the store just now.") }
            for holder in holders { problems.append(Self.sentence(for: holder, now: Date())) }
        } else {
            good.append("Store: \(store.location) answers, accepts writes, and its schema is up to date.")
        }
        let sealing: (recovery: TrustRecoveryKey?, keys: [HandlerSealingKey], inClear: Int, unopenable: [(reference: CaseReference, handlers: [String])],
                      namesInClear: Int)
        do {
            let recovery = try store.recoveryKey()
            sealing = (recovery, try store.sealingKeys(), recovery == nil ? 0 : try store.reportsInClear(),
                       recovery == nil ? [] : try store.sealedCasesNobodyCanOpen(), recovery == nil ? 0 : try store.namesInClear())
        } catch { throw Failure(error.sentence) }
        let router = try Routing.router(store: store, rulesPath: rulesPath, owner: RealIdentity.current()?.reporter.userName)
        let directory = router.directory
        let staffProblems = StaffDirectory.problems(in: Array(directory.members.values))
        if directory.members.isEmpty {
            problems.append("There is no staff directory: SpeakUp can only keep a report from a handler whose own name or login was written as its subject, not from the people the subject manages. Import one with `speakup directory import staff.csv`.")
        } else if staffProblems.isEmpty {
            good.append("Staff directory: \(directory.members.count.counted("person", "people")), every management chain complete.")
        }
        for problem in staffProblems { problems.append("Staff directory: " + problem.sentence) }
        var everyone: Set<String> = []
        for name in rules.roles.keys.sorted() {
            guard let role = rules.roles[name] else { continue }
            let members = role.members(router.membership).sorted()
            everyone.formUnion(members)
            let missingUsers = role.users.filter { !router.membership.existing([$0]).contains($0) }
            for user in missingUsers { problems.append("The role \(name) names the user \(user), who does not exist on this system.") }
            if members.isEmpty {
                let groups = role.groups.isEmpty ? "" : " (groups \(role.groups.joined(separator: ", ")))"
                problems.append("The role \(name)\(groups) has no members on this system, so nothing routed to it reaches anyone. Add people to its group, or change the rules.")
            } else {
                good.append("The role \(name): \(members.joined(separator: ", ")).")
            }
        }
        if !directory.members.isEmpty {
            let independent = rules.independentHandlers(router.membership)
            for handler in everyone.sorted() where directory.member(unixUser: handler) == nil && handler != Routing.personalHandler {
                if independent.contains(handler) {
                    good.append("The independent handler \(handler) is not in the staff directory, and is taken to be outside every management chain.")
                } else {
                    problems.append("The handler \(handler) is not in the staff directory, so SpeakUp cannot tell whom they report to: they are left out of every report that may be about someone in it. Add their unix_user to the directory.")
                }
            }
        }
        // Sealing (docs/security.md): on once the store has a trust recovery key.
        let keyed = Set(sealing.keys.map(\.handler))
        let keyless = everyone.subtracting(keyed).sorted()
        if sealing.recovery != nil {
            good.append("Sealing: on. Reports' words are sealed for their handlers and the trust recovery key; \(keyed.count.counted("handler")) \(keyed.count == 1 ? "has" : "have") a key."
                + (keyless.isEmpty ? "" : " Not yet (they choose a passphrase at their first `speakup cases`; cases sent before then reach them when a handler who can open them opens them, or through `speakup recover`): \(keyless.joined(separator: ", "))."))
            // A sealed case none of whose handlers holds its key reaches nobody until it is sealed for one of them.
            for (reference, handlers) in sealing.unopenable.prefix(20) {
                problems.append("Case \(reference.text) is sealed, and none of its handlers (\(handlers.joined(separator: ", "))) can open it (it was sealed before any of them chose a passphrase). Until an administrator seals it for one of them with the recovery key (`speakup recover --for \(handlers[0])`), it reaches nobody.")
            }
            if sealing.unopenable.count > 20 {
                problems.append("\((sealing.unopenable.count - 20).counted("more sealed case")) cannot be opened by any of \(sealing.unopenable.count - 20 == 1 ? "its" : "their") handlers either.")
            }
            switch SubjectKeyFile.found {
            case .secret:
                good.append("The names of the people reports are about are sealed too (the subject-key secret at \(SubjectKeyFile.path() ?? "?") is in place).")
            case .none:
                problems.append("New reports keep the name and role of the person they are about in clear, readable by whoever can read the store or a backup of it, because there is no subject-key secret. An administrator makes one, once: `speakup store subject-key` (docs/security.md).")
            case .unusable(let why):
                problems.append("New reports keep the name and role of the person they are about in clear, because the subject-key secret cannot be used: \(why)")
            }
            if sealing.namesInClear > 0 {
                problems.append("\(sealing.namesInClear.counted("sealed report")) \(sealing.namesInClear == 1 ? "keeps" : "keep") the name or role of the person \(sealing.namesInClear == 1 ? "it is" : "they are") about in clear (sealed before this installation had its subject-key secret), readable by whoever can read the store or a backup of it. `speakup store seal --names` seals \(sealing.namesInClear == 1 ? "it" : "them") with the trust's recovery key (docs/security.md).")
            }
            if sealing.inClear > 0 {
                problems.append("\(sealing.inClear.counted("report")) sent before this store had its recovery key \(sealing.inClear == 1 ? "is" : "are") still kept in clear, readable by whoever can read the store or a backup of it. An administrator seals them, once the handlers have chosen their passphrases: `speakup store seal` (docs/security.md).")
            }
        } else if case .installed = deployment {
            problems.append("This store has no trust recovery key, so reports' words are kept in clear, readable by whoever can read the store or a backup of it. An administrator makes one, once: `speakup store recovery-key` (docs/security.md).")
        } else {
            good.append("Sealing: off (a personal store keeps words in clear; `speakup store recovery-key` turns it on, docs/security.md).")
        }
        if rules.independent.isEmpty {
            problems.append("The rules name no independent route (`independent:`), so reports about executives cannot go outside the chain they run.")
        }
        let waiting: [UnroutedCase]
        do { waiting = try store.unroutedCases() } catch { throw Failure(error.sentence) }
        for item in waiting {
            problems.append("The report \(item.reference), sent on \(ScreenDate.day(item.since)), waits with nobody to handle it. Once a handler can take it, `speakup escalate tick` passes it on.")
        }
        if waiting.isEmpty { good.append("No report is waiting for a handler.") }
        return (good, problems)
    }

    /// A process holding the store, as `check` reports it. Who it is (which is to say, who is
    /// using SpeakUp just now) is told to administrators only.
    static func sentence(for holder: TurnHolder, now: Date) -> String {
        let what = holder.hold == .turn
            ? "its turn to write to the store"
            : "the store's write lock (SQLite's own), so no other terminal can save until it lets go"
        var who = "Process \(holder.pid)"
        let administrator = (try? Deployment.get()).flatMap { deployment in
            RealIdentity.current().map { Roles.of($0, in: deployment).contains(.administrator) }
        } ?? false
        if administrator, let uid = holder.uid {
            who += " (user \(RealIdentity.of(uid: uid)?.reporter.userName ?? "uid \(uid)"))"
        }
        var sentence = "\(who) is holding \(what)"
        if let since = holder.since {
            sentence += ", and has since \(ScreenDate.moment(since)) (\(Int(now.timeIntervalSince(since))) s)"
        }
        sentence += "."
        if holder.stopped {
            sentence += " It is stopped (suspended), so it will not let go by itself: other terminals wait their limit and are told. An administrator can end it with `kill -CONT \(holder.pid)` or `kill \(holder.pid)`; nothing it had not saved is stored."
        } else {
            sentence += " If it holds on for long, an administrator can look at it (`ps \(holder.pid)`)."
        }
        return sentence
    }
}
