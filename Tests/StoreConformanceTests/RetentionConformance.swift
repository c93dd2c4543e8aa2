import Foundation
import Testing
import SpeakUpCore
import SpeakUpStore

/// Erasure under the retention policy, legal holds and the audit chain after erasure, on every engine.
@Suite("Conformance: retention, legal holds and erasure (each engine)")
struct RetentionConformance {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["SPEAKUP_TEST_SEED"].flatMap(UInt64.init) ?? 20_261_130
    /// Closed cases kept a year (upheld ones three), receipts 30 days, drafts 30 days.
    static let policy = RetentionPolicy(closedCases: .init(1, .years), byOutcome: ["upheld": .init(3, .years)],
                                        receipts: .init(30, .days), drafts: .init(30, .days))
    static let later = CalendarDay(year: 2040, month: 1, day: 1)!

    /// A case sent at `sent`, closed at `closed` (if given) with `outcome`, by asha.
    static func make(_ made: StoreUnderTest, _ way: WayOfRaising = .confidential, account: String, sent: Date = Examples.moment,
                     closed: Date?, outcome: CaseOutcome = .notUpheld, receipt: ReceiptCode? = nil) throws -> Report {
        var report = Examples.report(way, account: account, at: sent)
        report.reference = .random()
        let stored = try made.store.submit(report, receipt: receipt, discardingDraftOf: nil, router: CountingRouter(handlers: ["asha"]))
        let desk = made.store.desk(policy: EveryoneMay())
        try desk.act(.note("Spoke to the ward manager about \(account.prefix(12))."), on: stored.reference, by: "asha", at: sent.addingTimeInterval(60))
        if let closed { try desk.act(.close(outcome, learned: "Rotas changed."), on: stored.reference, by: "asha", at: closed) }
        return stored
    }

    /// Runs the policy as `speakup retention run` does (`RetentionRun`), in batches of three so
    /// that every test here also crosses batches.
    @discardableResult
    static func run(_ store: any OpenedStore, today: CalendarDay, policy: RetentionPolicy = policy, batchSize: Int = 3) throws -> RetentionPlan {
        let plan = try store.retentionPlan(policy, today: today)
        let run = RetentionRun(store: store, policy: policy, today: today, actor: "admin", batchSize: batchSize, clock: { Examples.moment })
        if try run.erase(plan).changedAnything { try run.compact() }
        return plan
    }

    static func facts(_ store: any OpenedStore) throws -> [String] {
        try store.caseFacts(now: Examples.moment).map { "\($0)" }.sorted()
    }

    @Test("property: erasure never takes a case under legal hold or younger than the policy, takes every other due case whole, keeps the statistics' facts, and the audit chain verifies", arguments: Engine.allCases)
    func neverTooMuchNeverTooLittle(engine: Engine) throws {
        let made = try engine.freshStore()
        var random = SeededRandom(seed: Self.seed)
        print("RetentionConformance seed: \(Self.seed) (replay with SPEAKUP_TEST_SEED=\(Self.seed))")
        let desk = made.store.desk(policy: EveryoneMay())
        let today = CalendarDay(Examples.moment.addingTimeInterval(Double(Int.random(in: 400...1400, using: &random)) * Examples.day), in: .gmt)
        var expected: [CaseReference: Bool] = [:]  // erased?
        var accounts: [CaseReference: String] = [:]
        for index in 0..<(engine == .sqlite ? 40 : 24) {
            let way = [WayOfRaising.open, .confidential, .anonymous].randomElement(using: &random)!
            let closedAfter = Int.random(in: -1...1300, using: &random)  // -1: still open
            let outcome = CaseOutcome.allCases.randomElement(using: &random)!
            let account = "Account number \(index) of the property test."
            let closed = closedAfter < 0 ? nil : Examples.moment.addingTimeInterval(Double(closedAfter) * Examples.day + 3600)
            let stored = try Self.make(made, way, account: account, closed: closed, outcome: outcome)
            let hold = Int.random(in: 0..<4, using: &random)  // 0: held; 1: held then lifted; else none
            if hold <= 1 {
                try desk.act(.legalHold(reason: "Tribunal claim \(index)"), on: stored.reference, by: "asha", at: Examples.moment.addingTimeInterval(7200))
            }
            if hold == 1 {
                try desk.act(.liftLegalHold(reason: "Claim settled"), on: stored.reference, by: "asha", at: Examples.moment.addingTimeInterval(9000))
            }
            let due = closed.map { Self.policy.caseIsDue(closedOn: CalendarDay($0, in: .gmt), outcome: outcome.rawValue, today: today) } ?? false
            expected[stored.reference] = due && hold != 0
            accounts[stored.reference] = account
        }
        let before = try Self.facts(made.store)
        let plan = try Self.run(made.store, today: today)
        #expect(Set(plan.cases.map(\.reference)) == Set(expected.filter(\.value).keys))
        for report in try made.store.allReports() {
            let erased = try #require(expected[report.reference])
            if erased {
                #expect(report.account.isEmpty && report.subject.name == nil && report.location.isEmpty && report.reporterDetails?.name ?? "" == "",
                        "\(report.reference) should be erased")
                let events = try made.store.events(for: report.reference)
                #expect(events.allSatisfy { $0.kind == .closed || $0.kind == .speakUpAgain || $0.text == nil }, "no event keeps its words")
            } else {
                #expect(report.account == accounts[report.reference], "\(report.reference) should be kept whole")
                #expect(try made.store.events(for: report.reference).contains { $0.kind == .note && $0.text != nil })
            }
        }
        #expect(try Self.facts(made.store) == before, "the statistics' facts are the same after erasure")
        let verified = try made.store.verifyAudit(today: Self.later, anchor: nil)
        #expect(verified.firstBroken == nil, "\(String(describing: verified.firstBroken))")
        #expect(verified.erasedCases == expected.values.filter { $0 }.count)
        // Again: nothing more to do, nothing changes.
        let again = try Self.run(made.store, today: today)
        #expect(again.cases.isEmpty)
        #expect(try Self.facts(made.store) == before)
        #expect(try made.store.verifyAudit(today: Self.later, anchor: nil).firstBroken == nil)
    }

    @Test("a legal hold set on the day a case falls due keeps it; lifted, the case goes at the next run", arguments: Engine.allCases)
    func holdOnTheDayItFallsDue(engine: Engine) throws {
        let made = try engine.freshStore()
        let stored = try Self.make(made, account: "The bank holiday rota was ignored again.", closed: Examples.moment)
        let dueDay = try #require(Self.policy.closedCases.due(from: CalendarDay(Examples.moment, in: .gmt)))
        #expect(try made.store.retentionPlan(Self.policy, today: dueDay.adding(days: -1)).cases.isEmpty, "not due the day before")
        let desk = made.store.desk(policy: EveryoneMay())
        try desk.act(.legalHold(reason: "Inquest"), on: stored.reference, by: "asha", at: dueDay.deadlineStart.addingTimeInterval(60))
        #expect(try made.store.isUnderLegalHold(stored.reference))
        let plan = try Self.run(made.store, today: dueDay)
        #expect(plan.cases.isEmpty && plan.held == [stored.reference])
        #expect(try made.store.allReports().first?.account == "The bank holiday rota was ignored again.")
        // A case put under hold after the plan was made is still kept: the erasure checks again inside its transaction.
        try desk.act(.liftLegalHold(reason: "Inquest closed"), on: stored.reference, by: "asha", at: dueDay.deadlineStart.addingTimeInterval(120))
        let planned = try made.store.retentionPlan(Self.policy, today: dueDay)
        #expect(planned.cases.map(\.reference) == [stored.reference])
        try desk.act(.legalHold(reason: "New claim"), on: stored.reference, by: "asha", at: dueDay.deadlineStart.addingTimeInterval(180))
        #expect(try made.store.eraseCase(planned.cases[0], policy: Self.policy, today: dueDay, by: "admin", at: Examples.moment) == false)
        try desk.act(.liftLegalHold(reason: "Claim withdrawn"), on: stored.reference, by: "asha", at: dueDay.deadlineStart.addingTimeInterval(240))
        #expect(try Self.run(made.store, today: dueDay).cases.map(\.reference) == [stored.reference])
        #expect(try made.store.allReports().first?.account == "")
        // Nothing can be added to an erased case.
        #expect(throws: StoreError.self) { try made.store.appendEvent(to: stored.reference, kind: .note, text: "x", actor: "asha", at: Examples.moment) }
        #expect(try made.store.verifyAudit(today: Self.later, anchor: nil).firstBroken == nil)
    }

    @Test("a hold needs a reason; lifting one that is not set is refused; both are events the reporter never sees", arguments: Engine.allCases)
    func holdRefusals(engine: Engine) throws {
        let made = try engine.freshStore()
        let stored = try Self.make(made, account: "Shouting in handover.", closed: nil)
        let desk = made.store.desk(policy: EveryoneMay())
        let blank = #expect(throws: StoreError.self) { try desk.act(.legalHold(reason: "  "), on: stored.reference, by: "asha", at: Examples.moment) }
        #expect(blank?.sentence.contains("needs a reason") == true)
        let notSet = #expect(throws: StoreError.self) { try desk.act(.liftLegalHold(reason: "done"), on: stored.reference, by: "asha", at: Examples.moment) }
        #expect(notSet?.sentence.contains("not under legal hold") == true)
        try desk.act(.legalHold(reason: "Claim"), on: stored.reference, by: "asha", at: Examples.moment)
        let twice = #expect(throws: StoreError.self) { try desk.act(.legalHold(reason: "Claim"), on: stored.reference, by: "asha", at: Examples.moment) }
        #expect(twice?.sentence.contains("already under legal hold") == true)
        #expect(try made.store.events(for: stored.reference).last?.kind == .legalHold)
        #expect(!CaseEvent.Kind.legalHold.isShownToReporter && !CaseEvent.Kind.legalHoldLifted.isShownToReporter)
        // Someone who does not have the case cannot set one.
        #expect(throws: StoreError.self) { try desk.act(.legalHold(reason: "Claim"), on: stored.reference, by: "kim", at: Examples.moment) }
    }

    @Test("a dry run (the plan) changes nothing; receipts expire on their own time; old drafts go", arguments: Engine.allCases)
    func planChangesNothing(engine: Engine) throws {
        let made = try engine.freshStore()
        let code = ReceiptCode.random()
        let anonymous = try Self.make(made, .anonymous, account: "Anonymous account kept for now.", closed: Examples.moment, outcome: .upheld, receipt: code)
        try made.store.saveDraft(ReportDraft(), owner: Examples.ben, at: Examples.moment)
        let today = CalendarDay(Examples.moment.addingTimeInterval(60 * Examples.day), in: .gmt)
        let records = try made.store.auditRecords().count
        let plan = try made.store.retentionPlan(Self.policy, today: today)
        #expect(plan.cases.isEmpty && plan.receipts == [anonymous.reference] && plan.drafts == 1)
        #expect(try made.store.retentionPlan(Self.policy, today: today) == plan, "the plan changed nothing")
        #expect(try made.store.report(forReceipt: code)?.reference == anonymous.reference)
        #expect(try made.store.auditRecords().count == records)
        try Self.run(made.store, today: today)
        #expect(try made.store.report(forReceipt: code) == nil, "the receipt has expired")
        #expect(try made.store.draft(owner: Examples.ben) == nil)
        #expect(try made.store.allReports().first?.account == "Anonymous account kept for now.", "an upheld case is kept three years")
        #expect(try made.store.retentionPlan(Self.policy, today: today).isEmpty)
    }

    @Test("a tombstone or an erased row changed behind the program's back fails the audit check", arguments: Engine.allCases)
    func tamperedTombstone(engine: Engine) throws {
        for tamper in 0..<3 {
            let made = try engine.freshStore()
            let stored = try Self.make(made, account: "Words to be erased.", closed: Examples.moment)
            _ = try Self.make(made, account: "Another case, kept.", closed: nil)
            try Self.run(made.store, today: Self.later)
            let verified = try made.store.verifyAudit(today: Self.later, anchor: nil)
            #expect(verified.firstBroken == nil && verified.erasedCases == 1 && verified.erasedEvents >= 4)
            let ref = stored.reference.text
            // The database itself refuses, even to the program's own login.
            #expect(throws: (any Error).self) { try made.raw("UPDATE erased_event SET content = remains WHERE reference = '\(ref)'") }
            #expect(throws: (any Error).self) { try made.raw("DELETE FROM case_erasure WHERE reference = '\(ref)'") }
            let off = engine == .sqlite ? "DROP TRIGGER erased_event_no_update" : "ALTER TABLE erased_event DISABLE TRIGGER USER"
            switch tamper {
            case 0:
                try made.asOwner(off)
                try made.asOwner("UPDATE erased_event SET content = remains WHERE reference = '\(ref)' AND sequence = 1")
            case 1:
                try made.asOwner(off)
                try made.asOwner("UPDATE erased_event SET remains = content WHERE reference = '\(ref)' AND sequence = 2")
            default:
                // The erased account given words again.
                try made.asOwner("UPDATE report SET account = 'Put back.' WHERE reference = '\(ref)'")
            }
            let broken = try made.store.verifyAudit(today: Self.later, anchor: nil).firstBroken
            #expect(broken != nil, "tampering \(tamper) went unseen")
        }
    }
}
