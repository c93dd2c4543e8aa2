import Foundation
import Testing
import SpeakUpCore
import SpeakUpRules
import SpeakUpStore
@testable import SpeakUpSealing

@Suite("Conformance: the subject's name and role sealed with the report, and every check run on what is kept in their place (each engine)")
struct SealedSubjectConformance {
    struct Guardians: GroupMembership {
        var guardians = ["asha", "gita", "okafor"]
        func members(ofGroup group: String) -> [String] {
            ["speakup-guardians": guardians, "speakup-patient-safety": ["pat"], "speakup-independent": ["ned"]][group] ?? []
        }
    }

    static let secret = try! SubjectNameSecret(bytes: SubjectNameSecret.fresh())

    static func router(digest: Bool = true, membership: Guardians = Guardians()) -> RulesRouter {
        RulesRouter(rules: DefaultRules.ruleSet, membership: membership, subjectKeyDigest: digest ? secret : nil)
    }

    static func report(about name: String?, role: String = "registrar", by reporter: String = "ben", uid: UInt32 = 1002) -> Report {
        var report = Examples.report(.confidential, about: name)
        report.subject.role = role
        report.reporter = Reporter(userName: reporter, uid: uid)
        return report
    }

    @Test("with the installation's secret the name and role are sealed: the row keeps the facts and a keyed digest, the files hold neither, a handler's key opens them",
          arguments: Engine.allCases)
    func sealedName(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try SealedReportConformance.sealing(made)
        let unique = "Zyzzwort\(UUID().uuidString.prefix(6))"
        let stored = try made.store.submit(Self.report(about: "Dr \(unique) Okonkwo", role: "Registrar\(unique)"), receipt: nil,
                                           discardingDraftOf: nil, router: Self.router())
        let back = try #require(try made.store.allReports().first { $0.reference == stored.reference })
        #expect(back.subject.name == nil && back.subject.role.isEmpty && back.subject.isSealedAway)
        let facts = try #require(back.subject.sealedFacts)
        #expect(facts.nameGiven && facts.roleGiven && facts.checked == ["asha", "gita", "ned", "okafor", "pat"])
        #expect(back.subject.keptKey?.hasPrefix("sealed:") == true && back.subject.keptKey?.contains(unique.lowercased()) == false)
        for file in try SealedReportConformance.storeFiles(made, engine) {
            guard let bytes = FileManager.default.contents(atPath: file) else { continue }
            #expect(bytes.range(of: Data(unique.utf8)) == nil && bytes.range(of: Data(unique.lowercased().utf8)) == nil, "\(file) holds the name")
        }
        // Without a key the queue says the name is sealed; with the handler's key the page's cases are opened for it.
        let locked = SealedSearchDesk(inner: made.store.desk(policy: SubjectChainPolicy(router: Self.router())), store: made.store, key: { nil })
        let before = try #require(try locked.queue(QueueQuery(), for: "gita", now: Examples.moment).rows.first)
        #expect(before.aboutSealed && before.about.isEmpty)
        let desk = SealedSearchDesk(inner: made.store.desk(policy: SubjectChainPolicy(router: Self.router())), store: made.store, recheck: 0,
                                    key: { keys.gita })
        let first = try #require(try desk.queue(QueueQuery(), for: "gita", now: Examples.moment).rows.first)
        #expect(!first.aboutSealed && first.about == "Dr \(unique) Okonkwo, Registrar\(unique)", "opened for the page, before any search")
        // Someone whose key the case is not wrapped for still reads "sealed".
        let other = SealedSearchDesk(inner: made.store.desk(policy: SubjectChainPolicy(router: Self.router())), store: made.store,
                                     key: { keys.mo })
        #expect(try other.queue(QueueQuery(), for: "asha", now: Examples.moment).rows.first?.aboutSealed == true)
        var query = QueueQuery()
        query.search = unique
        #expect(try desk.queue(query, for: "gita", now: Examples.moment).rows.map(\.reference) == [stored.reference], "found by the name, opened in memory")
        let after = try #require(try desk.queue(QueueQuery(), for: "gita", now: Examples.moment).rows.first)
        #expect(!after.aboutSealed && after.about == "Dr \(unique) Okonkwo, Registrar\(unique)")
        let file = try #require(try desk.openCase(stored.reference, for: "gita", at: Examples.moment))
        let opened = ReportSeal.open(file, with: keys.gita)
        #expect(opened.report.subject.name == "Dr \(unique) Okonkwo" && opened.report.subject.role == "Registrar\(unique)")
        #expect(opened.report.account == stored.account)
        // Nothing the store keeps in clear about the case says the name: not its routing either.
        let routing = try #require(try made.store.routing(for: stored.reference))
        #expect(!routing.explanation.joined().contains(unique))
    }

    @Test("without the secret, or in a store that does not seal, the name stays in clear and no facts are kept", arguments: Engine.allCases)
    func clearWithoutSecret(engine: Engine) throws {
        let made = try engine.freshStore()
        let plain = try made.store.submit(Self.report(about: "Dr Clear"), receipt: nil, discardingDraftOf: nil, router: Self.router())
        _ = try SealedReportConformance.sealing(made)
        let noSecret = try made.store.submit(Self.report(about: "Dr Clear"), receipt: nil, discardingDraftOf: nil, router: Self.router(digest: false))
        let reports = try made.store.allReports()
        for reference in [plain.reference, noSecret.reference] {
            let back = try #require(reports.first { $0.reference == reference })
            #expect(back.subject.name == "Dr Clear" && back.subject.sealedFacts == nil && !back.subject.isSealedAway)
        }
        #expect(try #require(reports.first { $0.reference == noSecret.reference }).sealed != nil, "the words are sealed all the same")
        #expect(try made.store.namesInClear() == 1, "the sealed report whose name is in clear is counted (the one kept before sealing is not: its words are in clear too)")
        _ = try made.store.submit(Self.report(about: "Dr Sealed"), receipt: nil, discardingDraftOf: nil, router: Self.router())
        _ = try made.store.submit(Self.report(about: nil, role: ""), receipt: nil, discardingDraftOf: nil, router: Self.router(digest: false))
        #expect(try made.store.namesInClear() == 1, "a name sealed, or no name given, is not counted")
    }

    @Test("the same person is recognised across sealed and clear reports: the third takes the pattern route; a held report is released by another about them",
          arguments: Engine.allCases)
    func samePerson(engine: Engine) throws {
        let made = try engine.freshStore()
        // The first report is kept in clear (before the store sealed), the rest with the name sealed.
        let first = try made.store.submit(Self.report(about: "Dr Quentin Blake", by: "ann", uid: 2001), receipt: nil, discardingDraftOf: nil, router: Self.router())
        _ = try SealedReportConformance.sealing(made)
        let second = try made.store.submit(Self.report(about: "dr. quentin blake", by: "bea", uid: 2002), receipt: nil, discardingDraftOf: nil, router: Self.router())
        #expect(try made.store.routing(for: second.reference)?.level == .informal)
        let third = try made.store.submit(Self.report(about: "Dr Quentin Blake", by: "cy", uid: 2003), receipt: nil, discardingDraftOf: nil, router: Self.router())
        #expect(try made.store.routing(for: third.reference)?.level == .awareness, "three reports about him, one kept in clear: a pattern")
        let reports = try made.store.allReports()
        let kept = Set([second.reference, third.reference].compactMap { reference in reports.first { $0.reference == reference }?.subject.keptKey })
        #expect(kept.count == 1, "both sealed reports share one key")
        #expect(reports.first { $0.reference == first.reference }?.subject.name == "Dr Quentin Blake")
        // Held until someone else reports the same person: released by a later report about them, both names sealed.
        var held = Self.report(about: "Dr Zed Held", by: "dee", uid: 2004)
        held.hold = MatchingHold(until: CalendarDay(year: 2027, month: 11, day: 27)!)
        let waiting = try made.store.submit(held, receipt: nil, discardingDraftOf: nil, router: Self.router())
        #expect(try made.store.routing(for: waiting.reference)?.held == true)
        _ = try made.store.submit(Self.report(about: "Dr Zed Other", by: "eve", uid: 2005), receipt: nil, discardingDraftOf: nil, router: Self.router())
        #expect(try made.store.routing(for: waiting.reference)?.held == true, "someone else entirely releases nothing")
        _ = try made.store.submit(Self.report(about: "dr zed held", by: "fay", uid: 2006), receipt: nil, discardingDraftOf: nil, router: Self.router())
        let released = try #require(try made.store.routing(for: waiting.reference))
        #expect(!released.held && !released.handlers.isEmpty)
    }

    @Test("the policy keeps a sealed-name case from a handler the name fits and from a handler added since; re-routing works on the facts",
          arguments: Engine.allCases)
    func policyOnFacts(engine: Engine) throws {
        let made = try engine.freshStore()
        _ = try SealedReportConformance.sealing(made)
        let stored = try made.store.submit(Self.report(about: "Okafor"), receipt: nil, discardingDraftOf: nil, router: Self.router())
        let routing = try #require(try made.store.routing(for: stored.reference))
        #expect(!routing.handlers.contains("okafor") && routing.handlers.contains("gita"))
        let later = Guardians(guardians: ["asha", "gita", "okafor", "newbie"])
        let policy = SubjectChainPolicy(router: Self.router(membership: later))
        let desk = made.store.desk(policy: policy)
        #expect(try desk.queue(QueueQuery(), for: "gita", now: Examples.moment).rows.map(\.reference) == [stored.reference])
        // The policy as every desk call asks it, on the case as the store keeps it (the name sealed away).
        let back = try #require(try made.store.allReports().first { $0.reference == stored.reference })
        #expect(back.subject.isSealedAway)
        #expect(policy.refusal(of: "okafor", for: back.caseSubject)?.contains("possibly the person the report is about") == true)
        #expect(policy.refusal(of: "newbie", for: back.caseSubject)?.contains("the name is sealed") == true)
        #expect(policy.refusal(of: "gita", for: back.caseSubject) == nil)
        // Re-routing the stored report (as a held one is) runs on the facts: the same handlers, okafor still left out.
        let again = try Self.router(membership: later).route(back, history: NoHistory(), from: Examples.moment)
        #expect(Set(again.handlers) == ["asha", "gita"], "newbie was never checked against the name; okafor fits it")
        #expect(again.subjectFacts == back.subject.sealedFacts)
    }

    @Test("a handler who joined after the name was sealed is checked against it with the recovery key: not fitting, they may hold it; fitting, they are kept from it; a check is kept once, never changed, and goes with an erasure",
          arguments: Engine.allCases)
    func laterChecks(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try SealedReportConformance.sealing(made)
        let aboutOther = try made.store.submit(Self.report(about: "Dr Quibble"), receipt: nil, discardingDraftOf: nil, router: Self.router())
        let aboutNewbie = try made.store.submit(Self.report(about: "Newbie"), receipt: nil, discardingDraftOf: nil, router: Self.router())
        let later = Guardians(guardians: ["asha", "gita", "okafor", "newbie"])
        let policy = SubjectChainPolicy(router: Self.router(membership: later))
        func stored(_ reference: CaseReference) throws -> Report { try #require(try made.store.allReports().first { $0.reference == reference }) }
        // Never checked: kept from both while their names are sealed.
        for reference in [aboutOther.reference, aboutNewbie.reference] {
            #expect(policy.refusal(of: "newbie", for: try stored(reference).caseSubject)?.contains("the name is sealed") == true)
            // The name as it stands cannot be checked: it is sealed away.
            #expect(policy.laterCheck(of: "newbie", opened: try stored(reference).caseSubject) == nil)
        }
        // Opened with the recovery key (as `speakup recover` does), each is checked.
        var checks: [SubjectCheck] = []
        for reference in [aboutOther.reference, aboutNewbie.reference] {
            let report = try stored(reference)
            let wrapped = try #require(try made.store.caseKeys(reference)[SealedWords.recoveryRecipient])
            let opened = try ReportSeal.open(report, wrapped: wrapped, with: keys.recovery)
            #expect(policy.laterCheck(of: "gita", opened: opened.caseSubject) == nil, "gita was checked when it was sent")
            checks.append(try #require(policy.laterCheck(of: "newbie", opened: opened.caseSubject)))
        }
        #expect(checks.map(\.fits) == [false, true])
        try made.store.keepSubjectChecks(checks, by: "ivan", at: Examples.moment)
        // Kept once: a second check for the same handler changes nothing.
        try made.store.keepSubjectChecks([SubjectCheck(reference: aboutNewbie.reference, handler: "newbie", fits: false)], by: "ivan", at: Examples.moment)
        let other = try stored(aboutOther.reference)
        #expect(other.subject.isSealedAway && other.subject.sealedFacts?.checked.contains("newbie") == true)
        // (A policy works each case out once a session: a new one reads the checks.)
        #expect(SubjectChainPolicy(router: Self.router(membership: later)).refusal(of: "newbie", for: other.caseSubject) == nil)
        let fitting = try stored(aboutNewbie.reference)
        #expect(fitting.subject.sealedFacts?.fitting.contains("newbie") == true)
        #expect(SubjectChainPolicy(router: Self.router(membership: later)).refusal(of: "newbie", for: fitting.caseSubject)?
            .contains("possibly the person the report is about") == true)
        // Audited, once each (never naming the name); never changed or removed while the case stands.
        let trail = try made.store.auditRecords().filter { $0.entry.action == SubjectCheck.auditAction }
        #expect(trail.count == 2)
        #expect(trail.allSatisfy { !($0.entry.detail ?? "").contains("Newbie") && !($0.entry.detail ?? "").contains("Quibble") })
        #expect(throws: (any Error).self) { try made.raw("UPDATE subject_check SET fits = 0") }
        #expect(throws: (any Error).self) { try made.raw("DELETE FROM subject_check") }
        #expect(try made.store.verifyAudit(today: RetentionConformance.later, anchor: nil).firstBroken == nil)
        // Erased with the case.
        let desk2 = SealedSearchDesk(inner: made.store.desk(policy: EveryoneMay()), store: made.store, key: { keys.gita })
        for reference in [aboutOther.reference, aboutNewbie.reference] {
            try desk2.act(.close(.notUpheld, learned: "Rotas changed."), on: reference, by: "gita", at: Examples.moment.addingTimeInterval(3600))
        }
        try RetentionConformance.run(made.store, today: RetentionConformance.later)
        #expect(try made.transfer.rows(of: "subject_check").rows.isEmpty)
        #expect(try made.store.verifyAudit(today: RetentionConformance.later, anchor: nil).firstBroken == nil)
    }

    @Test("an erasure under the retention policy blanks what stood in for the name too, and the audit chain still verifies", arguments: Engine.allCases)
    func erased(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try SealedReportConformance.sealing(made)
        let stored = try made.store.submit(Self.report(about: "Dr Erasable"), receipt: nil, discardingDraftOf: nil, router: Self.router())
        let desk = SealedSearchDesk(inner: made.store.desk(policy: EveryoneMay()), store: made.store, key: { keys.gita })
        try desk.act(.close(.notUpheld, learned: "Rotas changed."), on: stored.reference, by: "gita", at: Examples.moment.addingTimeInterval(3600))
        #expect(try made.store.allReports().first?.subject.sealedFacts != nil)
        try RetentionConformance.run(made.store, today: RetentionConformance.later)
        let back = try #require(try made.store.allReports().first { $0.reference == stored.reference })
        #expect(back.subject.sealedFacts == nil && back.subject.keptKey == nil && back.sealed == nil)
        let rows = try made.transfer.rows(of: "report")
        let column = try #require(rows.columns.firstIndex(of: "subject_facts"))
        #expect(rows.rows.allSatisfy { $0[column] == .null })
        #expect(try made.store.verifyAudit(today: RetentionConformance.later, anchor: nil).firstBroken == nil)
    }

    @Test("store seal seals the names of reports kept in clear too, with the facts worked out now; matching and the audit chain carry on",
          arguments: Engine.allCases)
    func sealedInPlace(engine: Engine) throws {
        let made = try engine.freshStore()
        let unique = "Plumtree\(UUID().uuidString.prefix(6))"
        let before = try made.store.submit(Self.report(about: "Dr \(unique)", role: "porter", by: "ann", uid: 2001), receipt: nil,
                                           discardingDraftOf: nil, router: Self.router())
        let unnamed = try made.store.submit(Self.report(about: nil, role: ""), receipt: nil, discardingDraftOf: nil, router: Self.router())
        let keys = try SealedReportConformance.sealing(made)
        // As `speakup store seal` does: the facts and the digested key for each report kept in clear.
        let router = Self.router()
        var subjects: [CaseReference: SubjectSealing] = [:]
        for report in try made.store.allReports() {
            subjects[report.reference] = SubjectSealing(
                facts: EscalationEngine.subjectFacts(report, rules: router.rules, directory: router.directory, membership: router.membership),
                key: SubjectKey.of(report.subject, directoryID: nil).map { StoredForm.subjectKey(Self.secret.digest($0)) })
        }
        let done = try made.store.sealInPlace(mayHold: [before.reference: ["gita"], unnamed.reference: ["gita"]], subjects: subjects, by: "ivan",
                                              at: Examples.moment)
        #expect(done.cases == 2 && done.names == 2)
        let back = try #require(try made.store.allReports().first { $0.reference == before.reference })
        #expect(back.subject.isSealedAway && back.subject.keptKey?.hasPrefix("sealed:") == true)
        #expect(back.subject.sealedFacts?.checked == ["asha", "gita", "ned", "okafor", "pat"])
        if let sqlite = made.store as? SQLiteReportStore { try sqlite.vacuum() } else { try made.store.compactAfterErasure() }
        if engine == .sqlite {
            for file in try SealedReportConformance.storeFiles(made, engine) {
                #expect(FileManager.default.contents(atPath: file)?.range(of: Data(unique.utf8)) == nil, "\(file) holds the name")
            }
        }
        let file = try #require(try made.store.desk(policy: EveryoneMay()).openCase(before.reference, for: "gita", at: Examples.moment))
        #expect(ReportSeal.open(file, with: keys.gita).report.subject.asWritten == "Dr \(unique), porter")
        // The same person, reported again by others: the report sealed in place counts towards the pattern.
        _ = try made.store.submit(Self.report(about: "dr \(unique.lowercased())", role: "porter", by: "bea", uid: 2002), receipt: nil,
                                  discardingDraftOf: nil, router: Self.router())
        let third = try made.store.submit(Self.report(about: "Dr \(unique)", role: "Porter", by: "cy", uid: 2003), receipt: nil,
                                          discardingDraftOf: nil, router: Self.router())
        #expect(try made.store.routing(for: third.reference)?.level == .awareness)
        #expect(try made.store.verifyAudit(today: CalendarDay(year: 2027, month: 1, day: 1)!, anchor: nil).firstBroken == nil)
        // A name sealed in place is never put back in clear.
        #expect(throws: (any Error).self) {
            try made.raw("UPDATE report SET subject_name = 'Dr \(unique)' WHERE reference = '\(before.reference.text)'")
        }
    }

    @Test("an import into a sealing store seals each report's name too, routed by today's rules with the facts kept", arguments: Engine.allCases)
    func imported(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try SealedReportConformance.sealing(made)
        let unique = "Quillfeather\(UUID().uuidString.prefix(6))"
        let report = Self.report(about: "Dr \(unique)", role: "porter")
        try made.store.importReports([(report, [CaseEvent(reference: report.reference, sequence: 1, kind: .received, at: report.submitted)])],
                                     router: Self.router(), by: "ivan", at: Examples.moment)
        let back = try #require(try made.store.allReports().first)
        #expect(back.subject.isSealedAway && back.subject.sealedFacts?.nameGiven == true && back.subject.keptKey?.hasPrefix("sealed:") == true)
        let file = try #require(try made.store.desk(policy: EveryoneMay()).openCase(report.reference, for: "gita", at: Examples.moment))
        #expect(ReportSeal.open(file, with: keys.gita).report.subject.asWritten == "Dr \(unique), porter")
        #expect(try made.store.verifyAudit(today: CalendarDay(year: 2027, month: 1, day: 1)!, anchor: nil).firstBroken == nil)
    }

    struct NoHistory: ReportHistory {
        func reportsAbout(_ subject: SubjectKey, since day: CalendarDay) throws -> Int { 0 }
    }
}
