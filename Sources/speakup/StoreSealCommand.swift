import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpRules
import SpeakUpStore

/// `speakup store seal`: seals, in place, the reports a store kept in clear before it had a trust
/// recovery key, with their notes, for whoever may hold each case and for the recovery key; then
/// erases the clear copies from the store's files (docs/security.md, "Moving to sealing").
struct StoreSealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Seal the reports a store kept in clear before it had a recovery key, and erase the clear copies (administrators).",
        discussion: "Run after `speakup store recovery-key`, once the handlers have chosen their passphrases (a case is sealed for those who have a key then; the others are given it from a handler's session, or with `speakup recover`). All or nothing, in one transaction: stopped at any point, the store is as it was. Each case's changed events are kept as tombstones that `speakup audit verify` checks. Messages between handler and reporter stay in clear: nobody holds those reporters' receipt codes any more, so no key could be made for them."
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var rulesOptions: RulesOptions

    func run() throws {
        do throws(Failure) {
            try Roles.require(.administrator, toDo: "seal the store's reports")
            guard let identity = RealIdentity.current() else {
                throw Failure("SpeakUp cannot find your user account (uid \(getuid())) in the system's user list. Please tell IT.")
            }
            let (store, _) = try storeOptions.open(.write, createIfMissing: false)
            let clear: [Report]
            do throws(StoreError) {
                guard try store.recoveryKey() != nil else { throw SealingInPlace.noRecoveryKey }
                clear = try store.allReports().filter { $0.sealed == nil }
            } catch { throw Failure(error.sentence) }
            // Whom each case may reach, worked out as a submit would have: every eligible handler, less the conflict rules' exclusions.
            let rulesPath = try rulesOptions.chosen()
            let router = try Routing.router(store: store, rulesPath: rulesPath, owner: identity.reporter.userName)
            var mayHold: [CaseReference: [String]] = [:]
            for report in clear {
                mayHold[report.reference] = EscalationEngine.mayHold(report, rules: router.rules, directory: router.directory, membership: router.membership)
            }
            // With the installation's subject-key secret, each name is sealed too, the conflict rules' facts worked out now kept in its place.
            var subjects: [CaseReference: SubjectSealing] = [:]
            if let digest = router.subjectKeyDigest {
                for report in clear where !report.subject.isSealedAway {
                    let facts = EscalationEngine.subjectFacts(report, rules: router.rules, directory: router.directory, membership: router.membership,
                                                              alsoChecked: router.alsoChecked)
                    subjects[report.reference] = SubjectSealing(
                        facts: facts, key: SubjectKey.of(report.subject, directoryID: nil).map { StoredForm.subjectKey(digest.digest($0)) })
                }
            }
            let done: SealedInPlace
            do { done = try store.sealInPlace(mayHold: mayHold, subjects: subjects, by: identity.reporter.userName, at: Date()) } catch {
                throw Failure(error.sentence)
            }
            guard done.cases > 0 else {
                print("Every report in the store at \(store.location) is sealed already (or erased). Nothing was changed.")
                return
            }
            print("Sealed \(done.cases.counted("case")) in place, with \(done.notes.counted("note")), for the handlers who may hold each one and the trust's recovery key; each is in the audit trail.")
            print(router.subjectKeyDigest != nil
                ? "The names of the people they are about are sealed with them (\(done.names) of \(done.cases))."
                : "The names of the people they are about are still in clear: there is no subject-key secret (`speakup store subject-key` makes one; docs/security.md).")
            fflush(nil)
            // The words in clear are erased from the files: SQLite's pages (secure_delete, VACUUM), its log, and the search index's segments.
            do {
                if let sqlite = store as? SQLiteReportStore { try sqlite.vacuum() } else { try store.compactAfterErasure() }
            } catch {
                throw Failure("The reports are sealed, but the copies in clear could not be erased from the store's files yet: \(error.sentence) Run `speakup store seal` again (it seals nothing twice) or `speakup retention run --vacuum` at a quieter moment.")
            }
            // Verified: read back, nothing is left in clear.
            let left: [Report]
            do { left = try store.allReports().filter { $0.sealed == nil && !$0.account.isEmpty } } catch { throw Failure(error.sentence) }
            guard left.isEmpty else {
                throw Failure("After sealing, \(left.count.counted("report")) still read in clear (such as \(left[0].reference.text)). Please tell IT.")
            }
            print(store is SQLiteReportStore
                ? "The copies in clear are erased from the store's file and its log. Copies made before now (backups) still hold them."
                : "PostgreSQL has vacuumed the tables; pages and log segments it has not reused yet, and backups made before now, may still hold the words in clear (docs/security.md).")
        } catch {
            error.exit()
        }
    }
}
