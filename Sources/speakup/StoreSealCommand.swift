import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpRules
import SpeakUpSealing
import SpeakUpStore

/// `speakup store seal`: seals, in place, the reports a store kept in clear before it had a trust
/// recovery key, with their notes, for whoever may hold each case and for the recovery key; then
/// erases the clear copies from the store's files (docs/security.md, "Moving to sealing").
struct StoreSealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Seal the reports a store kept in clear before it had a recovery key, and erase the clear copies (administrators).",
        discussion: "Run after `speakup store recovery-key`, once the handlers have chosen their passphrases (a case is sealed for those who have a key then; the others are given it from a handler's session, or with `speakup recover`). All or nothing, in one transaction: stopped at any point, the store is as it was. Each case's changed events are kept as tombstones that `speakup audit verify` checks. Messages between handler and reporter stay in clear: nobody holds those reporters' receipt codes any more, so no key could be made for them. With --names, the names of the people reports are about are sealed too where their words were sealed before this installation had its subject-key secret: that needs the trust's recovery key, read from the terminal (not shown) or from standard input, never from the command line."
    )

    @Flag(name: .customLong("names"), help: "Also seal, with the trust's recovery key, the names kept in clear beside words sealed before the subject-key secret existed.")
    var names = false

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var rulesOptions: RulesOptions

    func run() throws {
        do throws(Failure) {
            try Roles.require(.administrator, toDo: "seal the store's reports")
            guard let identity = RealIdentity.current() else {
                throw Failure("SpeakUp cannot find your user account (uid \(getuid())) in the system's user list. Please tell IT.")
            }
            if names { _ = SessionHardening.harden() }
            let (store, _) = try storeOptions.open(.write, createIfMissing: false)
            let recovery: TrustRecoveryKey
            let clear: [Report]
            do throws(StoreError) {
                guard let kept = try store.recoveryKey() else { throw SealingInPlace.noRecoveryKey }
                recovery = kept
                clear = try store.allReports().filter { $0.sealed == nil }
            } catch { throw Failure(error.sentence) }
            let rulesPath = try rulesOptions.chosen()
            let router = try Routing.router(store: store, rulesPath: rulesPath, owner: identity.reporter.userName)
            // The recovery key is asked for, and checked, before anything is changed.
            var pair: SealingKeyPair?
            if names {
                guard router.subjectKeyDigest != nil else {
                    throw Failure("This installation has no subject-key secret, so a name sealed now could not be matched with later reports about the same person: make one first with `speakup store subject-key` (docs/security.md). Nothing was changed.")
                }
                let typed = try RecoverCommand.readRecoveryKey()
                do {
                    pair = try RecoveryKeyText.keyPair(from: typed, matching: try SealingPublicKey(stored: recovery.publicKey))
                } catch {
                    throw Failure(error.sentence + " Nothing was changed.")
                }
            }
            // Whom each case may reach, worked out as a submit would have: every eligible handler, less the conflict rules' exclusions.
            var mayHold: [CaseReference: [String]] = [:]
            for report in clear {
                mayHold[report.reference] = EscalationEngine.mayHold(report, rules: router.rules, directory: router.directory, membership: router.membership)
            }
            // With the installation's subject-key secret, each name is sealed too, the conflict rules' facts worked out now kept in its place.
            var subjects: [CaseReference: SubjectSealing] = [:]
            if router.subjectKeyDigest != nil {
                for report in clear where !report.subject.isSealedAway { subjects[report.reference] = Self.subjectSealing(report, router: router) }
            }
            let done: SealedInPlace
            do { done = try store.sealInPlace(mayHold: mayHold, subjects: subjects, by: identity.reporter.userName, at: Date()) } catch {
                throw Failure(error.sentence)
            }
            if done.cases > 0 {
                print("Sealed \(done.cases.counted("case")) in place, with \(done.notes.counted("note")), for the handlers who may hold each one and the trust's recovery key; each is in the audit trail.")
                print(router.subjectKeyDigest != nil
                    ? "The names of the people they are about are sealed with them (\(done.names) of \(done.cases))."
                    : "The names of the people they are about are still in clear: there is no subject-key secret (`speakup store subject-key` makes one; docs/security.md).")
            } else {
                print("Every report in the store at \(store.location) has its words sealed already (or erased).")
            }
            var namesSealed = 0
            var left: [String] = []
            if let pair {
                (namesSealed, left) = try Self.sealNames(in: store, with: pair, router: router, by: identity.reporter.userName)
                print(namesSealed > 0
                    ? (namesSealed == 1
                        ? "Sealed the name of the person 1 report is about with its words (opened with the recovery key, never shown); it is in the audit trail."
                        : "Sealed the names of the people \(namesSealed) reports are about with their words (opened with the recovery key, never shown); each is in the audit trail.")
                    : "No report with sealed words keeps the name of the person it is about in clear.")
            }
            fflush(nil)
            // The words in clear are erased from the files: SQLite's pages (secure_delete, VACUUM), its log, and the search index's
            // segments; PostgreSQL's tables rewritten when this login owns them, else vacuumed. Also when nothing needed sealing
            // now: an earlier run stopped (Ctrl-C, a hang-up, SIGKILL) after its transaction but before this step left its reports
            // sealed and their copies in clear still in the files, and nothing else would say so or erase them.
            let rewritten: Bool
            do {
                rewritten = try store.eraseClearCopies()
            } catch {
                throw Failure("The reports are sealed, but the copies in clear could not be erased from the store's files yet: \(error.sentence) At a quieter moment, run `speakup retention run --vacuum` on an SQLite store (it also erases whatever the retention policy has made due), or, on PostgreSQL, have the database's owner run `VACUUM FULL report, case_event, case_text`.")
            }
            // Verified: read back, nothing is left in clear.
            let still: [Report]
            let namesStill: Int
            do {
                still = try store.allReports().filter { $0.sealed == nil && !$0.account.isEmpty }
                namesStill = try store.namesInClear()
            } catch { throw Failure(error.sentence) }
            guard still.isEmpty else {
                throw Failure("After sealing, \(still.count.counted("report")) still read in clear (such as \(still[0].reference.text)). Please tell IT.")
            }
            if names, namesStill > left.count {
                throw Failure("After sealing, \(namesStill.counted("report")) still \(namesStill == 1 ? "keeps" : "keep") a name in clear beside sealed words. Please tell IT.")
            }
            try Self.sayNamesLeft(in: store, asked: names)
            if done.cases == 0 && namesSealed == 0 {
                print("Nothing needed sealing; the store's files were cleaned all the same, in case an earlier sealing was stopped before it erased the copies in clear.")
            }
            print(store is SQLiteReportStore
                ? "The copies in clear are erased from the store's file and its log. Copies made before now (backups) still hold them."
                : rewritten
                ? "PostgreSQL has rewritten the tables that held the words in clear (VACUUM FULL), keeping only old rows a transaction open at that moment could still see. Its write-ahead log segments from before now keep them until it reuses them, and backups made before now hold them: replace those backups (docs/security.md)."
                : "PostgreSQL has vacuumed the tables, which frees the old rows' space without overwriting it: to rewrite them, the database's owner runs `VACUUM FULL report, case_event, case_text` at a quiet hour. Its write-ahead log segments and backups from before now also hold the words in clear (docs/security.md).")
            try Self.exitLeavingOut(left)
        } catch {
            error.exit()
        }
    }

    /// What stands in for a report's subject's name once sealed: the conflict rules' facts now, and the same-person key as the secret keeps it.
    static func subjectSealing(_ report: Report, router: RulesRouter) -> SubjectSealing {
        let facts = EscalationEngine.subjectFacts(report, rules: router.rules, directory: router.directory, membership: router.membership,
                                                  alsoChecked: router.alsoChecked)
        let digest = router.subjectKeyDigest
        return SubjectSealing(facts: facts, key: digest.flatMap { digest in SubjectKey.of(report.subject, directoryID: nil).map { StoredForm.subjectKey(digest.digest($0)) } })
    }

    /// The names kept in clear beside sealed words, sealed with them: each report's words opened with the
    /// recovery key, sealed again with the name, all kept in one transaction. Those that cannot be opened are
    /// left out and named.
    static func sealNames(in store: any ReportStore, with pair: SealingKeyPair, router: RulesRouter, by actor: String) throws(Failure)
        -> (sealed: Int, left: [String]) {
        var sealings: [NameSealing] = []
        var left: [String] = []
        do throws(StoreError) {
            let waiting = try store.allReports().filter {
                $0.sealed != nil && $0.subject.sealedFacts == nil && (!($0.subject.name ?? "").isEmpty || !$0.subject.role.isEmpty)
            }
            for report in waiting {
                guard let sealed = report.sealed, let wrapped = try store.caseKeys(report.reference)[SealedWords.recoveryRecipient] else {
                    left.append("\(report.reference.text) (it holds no wrapping for the recovery key)")
                    continue
                }
                do {
                    let resealed = try NameResealing.reseal(report, wrapped: wrapped, with: pair)
                    sealings.append(NameSealing(reference: report.reference, replacing: sealed, sealed: resealed,
                                                subject: subjectSealing(report, router: router)))
                } catch {
                    left.append("\(report.reference.text) (\(error.sentence))")
                }
            }
            return (try store.sealNamesInPlace(sealings, by: actor, at: Date()), left)
        } catch {
            throw Failure(error.sentence)
        }
    }

    /// Without --names, says how many names are still in clear beside sealed words, and how to seal them.
    static func sayNamesLeft(in store: any ReportStore, asked: Bool) throws(Failure) {
        guard !asked else { return }
        let count: Int
        do { count = try store.namesInClear() } catch { throw Failure(error.sentence) }
        guard count > 0 else { return }
        print("\(count.counted("report")) sealed before this installation had its subject-key secret \(count == 1 ? "keeps" : "keep") the name of the person \(count == 1 ? "it is" : "they are") about in clear: `speakup store seal --names` seals \(count == 1 ? "it" : "them") with the trust's recovery key.")
    }

    /// Names the reports whose names could not be sealed, and exits 3, as `speakup recover` does.
    static func exitLeavingOut(_ left: [String]) throws(Failure) {
        guard !left.isEmpty else { return }
        Diagnostics.say("Names left in clear, \(left.count.counted("case")): " + left.joined(separator: "; ") + ".")
        fflush(nil)
        Glibc.exit(3)
    }
}
