import Foundation
import Testing
import SpeakUpCore
import SpeakUpRules
import SpeakUpStore
@testable import SpeakUpSealing

@Suite("Conformance: a name kept in clear beside words sealed before the subject-key secret, sealed in place with the recovery key (each engine)")
struct SealNamesInPlaceConformance {
    typealias Subject = SealedSubjectConformance

    /// A sealing store with a report sealed while the installation had no subject-key secret: its words
    /// sealed, the name and role of the person it is about in clear.
    static func store(_ engine: Engine) throws -> (made: StoreUnderTest, keys: SealedReportConformance.Keys, report: Report, unique: String) {
        let made = try engine.freshStore()
        let keys = try SealedReportConformance.sealing(made)
        let unique = "Zyzzname\(UUID().uuidString.prefix(6))"
        let stored = try made.store.submit(Subject.report(about: "Dr \(unique) Adeyemi", role: "Matron\(unique)"), receipt: nil,
                                           discardingDraftOf: nil, router: Subject.router(digest: false))
        let back = try #require(try made.store.allReports().first { $0.reference == stored.reference })
        #expect(back.sealed != nil && back.account.isEmpty)
        #expect(back.subject.name == "Dr \(unique) Adeyemi" && !back.subject.isSealedAway)
        return (made, keys, back, unique)
    }

    /// What `speakup store seal --names` works out for one report: its words sealed again with the name,
    /// through the recovery key, and the facts and same-person key kept instead of the name.
    static func sealing(of report: Report, in made: StoreUnderTest, with recovery: SealingKeyPair) throws -> NameSealing {
        let wrapped = try #require(try made.store.caseKeys(report.reference)[SealedWords.recoveryRecipient])
        let resealed = try NameResealing.reseal(report, wrapped: wrapped, with: recovery)
        let router = Subject.router()
        let facts = EscalationEngine.subjectFacts(report, rules: router.rules, directory: router.directory, membership: router.membership)
        let key = SubjectKey.of(report.subject, directoryID: nil).map { StoredForm.subjectKey(Subject.secret.digest($0)) }
        return NameSealing(reference: report.reference, replacing: try #require(report.sealed), sealed: resealed,
                           subject: SubjectSealing(facts: facts, key: key))
    }

    @Test("the name and role are sealed with the words: the row keeps the facts and a keyed digest, the handler's key opens them, the audit trail holds, nothing twice",
          arguments: Engine.allCases)
    func sealsTheName(engine: Engine) throws {
        let (made, keys, report, unique) = try Self.store(engine)
        #expect(try made.store.namesInClear() == 1)
        let name = try Self.sealing(of: report, in: made, with: keys.recovery)
        #expect(try made.store.sealNamesInPlace([name], by: "ivan", at: Examples.moment) == 1)
        #expect(try made.store.namesInClear() == 0)

        let back = try #require(try made.store.allReports().first { $0.reference == report.reference })
        #expect(back.subject.isSealedAway && back.subject.name == nil && back.subject.role.isEmpty)
        #expect(back.subject.sealedFacts?.nameGiven == true && back.subject.sealedFacts?.roleGiven == true)
        #expect(back.subject.keptKey?.hasPrefix("sealed:") == true && back.subject.keptKey?.contains(unique.lowercased()) == false)
        #expect(back.subject.seniority == report.subject.seniority && back.location == report.location)
        // The case's key is unchanged: the handler's wrapping opens the words, now with the name.
        let desk = SealedSearchDesk(inner: made.store.desk(policy: SubjectChainPolicy(router: Subject.router())), store: made.store, recheck: 0,
                                    key: { keys.gita })
        let file = ReportSeal.open(try #require(try desk.openCase(report.reference, for: "gita", at: Examples.moment)), with: keys.gita)
        #expect(file.unopened == nil)
        #expect(file.report.subject.name == "Dr \(unique) Adeyemi" && file.report.subject.role == "Matron\(unique)")
        #expect(file.report.account == SealedSubjectConformance.report(about: nil).account)
        // The store's own index no longer finds the name; the handler's search, opening the words in memory, does.
        var query = QueueQuery()
        query.search = unique
        try made.store.indexPendingWords()
        #expect(try made.store.desk(policy: EveryoneMay()).queue(query, for: "gita", now: Examples.moment).rows.isEmpty)
        #expect(try desk.queue(query, for: "gita", now: Examples.moment).rows.map(\.reference) == [report.reference])

        #expect(try made.store.verifyAudit(today: CalendarDay(year: 2027, month: 1, day: 1)!, anchor: nil).firstBroken == nil)
        #expect(try made.store.auditRecords().filter { $0.entry.action == SealingInPlace.nameAction }.map(\.entry.reference) == [report.reference.text])
        // The same sealing again (read before the first was kept) is refused, and changes nothing.
        let again = #expect(throws: StoreError.self) { _ = try made.store.sealNamesInPlace([name], by: "ivan", at: Examples.moment) }
        #expect(again?.sentence.contains(report.reference.text) == true)
        #expect(try made.store.auditRecords().filter { $0.entry.action == SealingInPlace.nameAction }.count == 1)
    }

    @Test("all or nothing: one report changed since it was read refuses the whole batch", arguments: Engine.allCases)
    func allOrNothing(engine: Engine) throws {
        let (made, keys, report, _) = try Self.store(engine)
        let other = try made.store.submit(Subject.report(about: "Mr Second Person"), receipt: nil, discardingDraftOf: nil,
                                          router: Subject.router(digest: false))
        let otherBack = try #require(try made.store.allReports().first { $0.reference == other.reference })
        var stale = try Self.sealing(of: otherBack, in: made, with: keys.recovery)
        stale.replacing = SealedWords(content: Array(stale.replacing.content.reversed()))
        let refused = #expect(throws: StoreError.self) {
            _ = try made.store.sealNamesInPlace([try Self.sealing(of: report, in: made, with: keys.recovery), stale], by: "ivan", at: Examples.moment)
        }
        #expect(refused?.sentence.contains("Nothing was changed") == true)
        #expect(try made.store.namesInClear() == 2)
        #expect(try made.store.allReports().first { $0.reference == report.reference }?.subject.name == report.subject.name)
    }

    @Test("the store takes a sealed report's name emptied only with its facts set and nothing else changed", arguments: Engine.allCases)
    func triggerGuards(engine: Engine) throws {
        let (made, _, report, _) = try Self.store(engine)
        let reference = report.reference.text
        let facts = "'{\"certainty\":\"unknown\"}'"
        #expect(throws: (any Error).self, "no facts") {
            try made.raw("UPDATE report SET subject_name = NULL, subject_role = '' WHERE reference = '\(reference)'")
        }
        #expect(throws: (any Error).self, "the place changed with it") {
            try made.raw("UPDATE report SET subject_name = NULL, subject_role = '', subject_facts = \(facts), location = 'Elsewhere' WHERE reference = '\(reference)'")
        }
        #expect(throws: (any Error).self, "the name changed, not emptied") {
            try made.raw("UPDATE report SET subject_name = 'Someone else', subject_role = '', subject_facts = \(facts) WHERE reference = '\(reference)'")
        }
        #expect(try made.store.namesInClear() == 1)
    }

    @Test("a name's tombstone changed after the sealing breaks the audit trail's check, with the case named", arguments: Engine.allCases)
    func tombstoneHeld(engine: Engine) throws {
        let (made, keys, report, _) = try Self.store(engine)
        _ = try made.store.sealNamesInPlace([try Self.sealing(of: report, in: made, with: keys.recovery)], by: "ivan", at: Examples.moment)
        if engine == .sqlite {
            #expect(throws: (any Error).self) { try made.raw("UPDATE sealed_name SET remains = X'00'") }
            try made.asOwner("DROP TRIGGER sealed_name_no_update")
            try made.asOwner("UPDATE sealed_name SET remains = X'00' WHERE reference = '\(report.reference.text)'")
        } else {
            #expect(throws: (any Error).self) { try made.raw("UPDATE sealed_name SET remains = '\\x00'::bytea") }
            try made.asOwner("ALTER TABLE sealed_name DISABLE TRIGGER USER")
            try made.asOwner("UPDATE sealed_name SET remains = '\\x00'::bytea WHERE reference = '\(report.reference.text)'")
        }
        let broken = try made.store.verifyAudit(today: CalendarDay(year: 2027, month: 1, day: 1)!, anchor: nil).firstBroken
        #expect(broken?.reason.contains(report.reference.text) == true, "\(String(describing: broken))")
    }

    @Test("a case sealed in place before the secret, then its name: both tombstones hold it, and a copy to each engine carries them",
          arguments: Engine.allCases)
    func afterSealingInPlace(engine: Engine) throws {
        let made = try Engine.sqlite.freshStore()
        let clear = try made.store.submit(Subject.report(about: "Ms Earlier Named", role: "Sister"), receipt: nil, discardingDraftOf: nil,
                                          router: Subject.router(digest: false))
        try made.store.desk(policy: EveryoneMay()).act(.note("Tamarillo meeting booked."), on: clear.reference, by: "gita", at: Examples.moment)
        let keys = try SealedReportConformance.sealing(made)
        #expect(try made.store.sealInPlace(mayHold: [clear.reference: ["gita"]], by: "ivan", at: Examples.moment).cases == 1)
        let sealed = try #require(try made.store.allReports().first { $0.reference == clear.reference })
        #expect(sealed.sealed != nil && sealed.subject.name == "Ms Earlier Named")
        _ = try made.store.sealNamesInPlace([try Self.sealing(of: sealed, in: made, with: keys.recovery)], by: "ivan", at: Examples.moment)
        let later = CalendarDay(year: 2027, month: 1, day: 1)!
        #expect(try made.store.verifyAudit(today: later, anchor: nil).firstBroken == nil)

        let there = try engine.freshStore()
        let copied = try StoreCopy(from: made.transfer, to: there.transfer, today: later).run()
        #expect(copied.rows["sealed_name"] == 1 && copied.rows["sealed_event"] == 2)
        #expect(try there.store.verifyAudit(today: later, anchor: nil).firstBroken == nil)
        let back = try #require(try there.store.allReports().first { $0.reference == clear.reference })
        #expect(back.subject.isSealedAway)
        let opened = try ReportSeal.open(back, wrapped: try #require(try there.store.caseKeys(clear.reference)["gita"]), with: keys.gita)
        #expect(opened.subject.name == "Ms Earlier Named" && opened.subject.role == "Sister")
        // Erased later under the retention policy: the first event is held through all three tombstones.
        let desk = SealedSearchDesk(inner: there.store.desk(policy: EveryoneMay()), store: there.store, key: { keys.gita })
        try desk.act(.close(.notUpheld, learned: "Rotas changed."), on: clear.reference, by: "gita", at: Examples.moment.addingTimeInterval(3600))
        try RetentionConformance.run(there.store, today: RetentionConformance.later)
        #expect(try there.store.allReports().first { $0.reference == clear.reference }?.sealed == nil)
        #expect(try there.store.verifyAudit(today: RetentionConformance.later, anchor: nil).firstBroken == nil)
    }

    @Test("the words already hold a name, or the key is not the case's: nothing is sealed again")
    func resealRefusals() throws {
        let (made, keys, report, _) = try Self.store(.sqlite)
        let wrapped = try #require(try made.store.caseKeys(report.reference)[SealedWords.recoveryRecipient])
        #expect(throws: SealingFailure.self) { _ = try NameResealing.reseal(report, wrapped: wrapped, with: keys.gita) }
        let once = try NameResealing.reseal(report, wrapped: wrapped, with: keys.recovery)
        var twice = report
        twice.sealed = once
        #expect(throws: SealingFailure.self) { _ = try NameResealing.reseal(twice, wrapped: wrapped, with: keys.recovery) }
    }
}
