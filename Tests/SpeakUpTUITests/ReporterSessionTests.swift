import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpTUI

/// A store in memory that can be told to fail.
final class MemoryStore: ReportingStore, ScreensNeverCall, @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [Report] = []
    var failure: StoreError?
    /// Makes reading a reporter's own reports fail.
    var readFailure: StoreError?

    private var receipts: [ReceiptCode: Report] = [:]
    private var drafts: [UInt32: ReportDraft] = [:]

    private var routings: [CaseReference: CaseRouting] = [:]
    var directory: [StaffMember] = []
    /// Whether reports are sealed (a named reporter is then given a reply code).
    var seals = false

    func sealsReports() throws(StoreError) -> Bool { seals }

    func staff() throws(StoreError) -> [StaffMember] { lock.withLock { directory } }

    func routing(for reference: CaseReference) throws(StoreError) -> CaseRouting? { lock.withLock { routings[reference] } }

    func casesPastDeadline(at now: Date) throws(StoreError) -> [(CaseReference, CaseDeadline)] { [] }

    func releaseEndedHolds(at now: Date, router: any CaseRouter) throws(StoreError) -> [CaseReference] { [] }

    func escalate(_ reference: CaseReference, missed deadline: CaseDeadline, at now: Date,
                  decide: (Report, CaseRouting) -> CaseRouting) throws(StoreError) -> Bool {
        false  // the SQLite store's own tests cover escalation
    }

    func submit(_ report: Report, receipt: ReceiptCode?, discardingDraftOf owner: Reporter?, router: (any CaseRouter)?) throws(StoreError) -> Report {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        reports.append(report)
        timeline[report.reference] = [CaseEvent(reference: report.reference, sequence: 1, kind: .received, at: report.submitted)]
        // (As the stores: a named report's reply code is no way to find it.)
        if let receipt, report.reporter == nil { receipts[receipt] = report }
        if let owner { drafts[owner.uid] = nil }
        if let router {
            do { routings[report.reference] = try router.prepared().route(report, history: NoHistory(), from: report.deadlineStart) } catch {
                throw StoreError(.failed, "\(error)")
            }
        }
        return report
    }

    func allReports() throws(StoreError) -> [Report] { lock.withLock { reports } }

    private var timeline: [CaseReference: [CaseEvent]] = [:]

    func events(for reference: CaseReference) throws(StoreError) -> [CaseEvent] { lock.withLock { timeline[reference] ?? [] } }

    func reports(raisedBy reporter: Reporter) throws(StoreError) -> [Report] {
        if let readFailure { throw readFailure }
        return lock.withLock { reports.filter { $0.reporter == reporter } }
    }

    func appendEvent(to reference: CaseReference, kind: CaseEvent.Kind, text: String?, actor: String?, at moment: Date) throws(StoreError) -> CaseEvent {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        guard let report = reports.first(where: { $0.reference == reference }) else { throw StoreError(.missing, "no case") }
        let event = CaseEvent(reference: reference, sequence: (timeline[reference]?.count ?? 0) + 1, kind: kind,
                              at: .recorded(for: report.wayOfRaising, at: moment), text: text, actor: actor)
        timeline[reference, default: []].append(event)
        return event
    }

    func answerCheckIn(on reference: CaseReference, answer: DetrimentCheckIn.Answer, account: String, receipt: ReceiptCode?,
                       actor: String?, router: (any CaseRouter)?, at moment: Date) throws(StoreError) -> CheckInAnswered {
        if let failure { throw failure }
        guard let original = lock.withLock({ reports.first { $0.reference == reference } }) else { throw StoreError(.missing, "no case") }
        let months = try CheckInRules.due(try events(for: reference), on: moment)
        var linked: Report? = nil
        var routing: CaseRouting? = nil
        if answer == .yes {
            let report = DetrimentCheckIn.linkedReport(from: original, months: months, account: account, reference: .random(), at: moment)
            linked = try submit(report, receipt: receipt, discardingDraftOf: nil, router: router)
            routing = try self.routing(for: report.reference)
        }
        let event = try appendEvent(to: reference, kind: .detrimentCheckIn,
                                    text: DetrimentCheckIn.Recorded(months: months, answer: answer, linked: linked?.reference).text,
                                    actor: actor, at: moment)
        if let linked {
            _ = try appendEvent(to: linked.reference, kind: .detrimentLinked, text: DetrimentCheckIn.Link(months: months, original: reference).text,
                                actor: actor, at: moment)
        }
        return CheckInAnswered(event: event, linked: linked, routing: routing)
    }

    func report(forReceipt code: ReceiptCode) throws(StoreError) -> Report? { lock.withLock { receipts[code] } }

    func saveDraft(_ draft: ReportDraft, owner: Reporter, at moment: Date) throws(StoreError) {
        lock.withLock { drafts[owner.uid] = draft; draftSaves += 1 }
    }

    /// Makes reading a draft fail.
    var draftFailure: StoreError?
    var draftSaves = 0

    func draft(owner: Reporter) throws(StoreError) -> ReportDraft? {
        if let draftFailure { throw draftFailure }
        return lock.withLock { drafts[owner.uid] }
    }

    func discardDraft(owner: Reporter) throws(StoreError) { _ = lock.withLock { drafts.removeValue(forKey: owner.uid) } }

    var receiptCount: Int { lock.withLock { receipts.count } }
}

@Suite("A whole session on a headless terminal")
struct ReporterSessionTests {
    static let person = Reporter(userName: "asha", uid: 1001)
    static let clock = FixedClock(Date(timeIntervalSince1970: 1_795_770_106))

    /// Keys that fill in the whole form and send it: 0 open, 1 confidential, 2 anonymous.
    static func keys(way: Int) -> [Key] {
        var keys: [Key] = Array(repeating: .down, count: way + 1) + [.enter]  // lists start with nothing highlighted
        keys += [.tab, .tab, .tab, .down, .enter]           // not named; student
        keys += [.down, .character(" "), .enter]            // first concern
        keys += [.down, .enter, .enter] + "Ward 7".map(Key.character) + [.enter]  // today, no time, place
        keys += [.down, .enter, .tab]                       // no harm
        keys += [.paste("He shouted."), .tab, .tab]         // account, no witnesses
        keys += [.down, .enter, .enter, .enter]             // informal word, no hold, nobody excluded
        if way < 2 { keys += [.enter, .enter, .tab] }       // about you as offered; no group
        if way < 2 { keys += Characteristic.allCases.map { _ in Key.tab } }  // nothing described for the figures
        return keys + [.character("s")]                     // send
    }

    @Test("a confidential report is saved with the reporter, and the confirmation shows its reference")
    func confidential() throws {
        let store = MemoryStore()
        let terminal = TestTerminal(keys: Self.keys(way: 1) + [.enter])
        let outcome = ReporterSession(store: store, reporter: Self.person, reporterName: "Asha Patel", clock: Self.clock).run(on: terminal)
        let saved = try #require(try store.allReports().first)
        #expect(outcome == .submitted(saved))
        #expect(saved.reporter == Self.person)
        #expect(saved.reporterDetails?.name == "Asha Patel")
        #expect(store.receiptCount == 0)
        #expect(try store.draft(owner: Self.person) == nil)  // submitted: the draft is gone
        #expect(saved.account == "He shouted.")
        #expect(terminal.frames.contains { $0.text.contains("Your case reference is  \(saved.reference.text)") })
    }

    @Test("the report is made with the reference the form is given (a sealing form's: the one its sealing was prepared for)")
    func givenReference() throws {
        let store = MemoryStore()
        let terminal = TestTerminal(keys: Self.keys(way: 1) + [.enter])
        let prepared = CaseReference("SU-KT00-0001")!
        let outcome = ReporterSession(store: store, reporter: Self.person, reporterName: "Asha Patel", clock: Self.clock,
                                      references: { prepared }).run(on: terminal)
        let saved = try #require(try store.allReports().first)
        #expect(outcome == .submitted(saved))
        #expect(saved.reference == prepared)
    }

    @Test("in a store that seals, a confidential reporter is given a reply code (not a way to find the report); in one that does not, none")
    func replyCode() throws {
        for seals in [true, false] {
            let store = MemoryStore()
            store.seals = seals
            let terminal = TestTerminal(keys: Self.keys(way: 1) + [.enter])
            _ = ReporterSession(store: store, reporter: Self.person, reporterName: "Asha Patel", clock: Self.clock).run(on: terminal)
            #expect(terminal.frames.contains { $0.text.contains("Your reply code is") } == seals)
            #expect(terminal.frames.contains { $0.text.contains("Replies to you about this report are sealed so that only you can read them") } == seals)
            #expect(!terminal.frames.contains { $0.text.contains("Your receipt code is") })
            #expect(store.receiptCount == 0)
        }
    }

    @Test("an earlier draft that cannot be read is said so, never overwritten nor removed, and the report still goes")
    func unreadableDraft() throws {
        let store = MemoryStore()
        try store.saveDraft(ReportDraft(), owner: Self.person, at: Self.clock.now())
        store.draftFailure = StoreError(.damaged, "Your unsent report from earlier is kept, but it could not be read.")
        let saves = store.draftSaves
        let terminal = TestTerminal(keys: Self.keys(way: 1) + [.enter])
        let outcome = ReporterSession(store: store, reporter: Self.person, reporterName: "Asha Patel", clock: Self.clock).run(on: terminal)
        #expect(terminal.frames.first?.text.contains("could not be read") == true)
        #expect(store.draftSaves == saves)  // no page change wrote over it
        let saved = try #require(try store.allReports().first)
        #expect(outcome == .submitted(saved))
        store.draftFailure = nil
        #expect(try store.draft(owner: Self.person) != nil)  // sending did not remove it either
    }

    @Test("the confirmation says who will see the report (roles, not names) and by when")
    func routingShown() {
        let store = MemoryStore()
        let terminal = TestTerminal(keys: Self.keys(way: 2))
        _ = ReporterSession(store: store, reporter: nil, clock: Self.clock, router: GuardianRouter()).run(on: terminal)
        #expect(terminal.screen.contains("Who will see it: the guardian team."))
        #expect(terminal.screen.contains("4 Dec 2026"))
        #expect(!terminal.screen.contains("asha"))
    }

    @Test("an anonymous report never carries the person at the terminal")
    func anonymous() throws {
        let store = MemoryStore()
        _ = ReporterSession(store: store, reporter: Self.person, reporterName: "Asha Patel", clock: Self.clock)
            .run(on: TestTerminal(keys: Self.keys(way: 2)))
        let saved = try #require(try store.allReports().first)
        #expect(saved.reporter == nil)
        #expect(saved.reporterDetails == nil)
        #expect(saved.submitted == .day("2026-11-27"))
        #expect(store.receiptCount == 1)
        #expect(try store.draft(owner: Self.person) == nil)  // never drafted
    }

    @Test("the receipt is shown once on the confirmation, in groups of four, and finds the report")
    func receiptShown() throws {
        let store = MemoryStore()
        let terminal = TestTerminal(keys: Self.keys(way: 2))
        _ = ReporterSession(store: store, reporter: Self.person, reporterName: "Asha Patel", clock: Self.clock).run(on: terminal)
        let line = try #require(terminal.screen.split(separator: "\n").first { $0.contains("Your receipt code is") })
        let code = try #require(ReceiptCode(typed: String(line.split(separator: " ").suffix(4).joined(separator: " "))))
        #expect(try store.report(forReceipt: code) == store.allReports().first)
    }

    @Test("a hang-up mid-form keeps a confidential draft; the next session offers it and R restores it")
    func draftSurvivesHangUp() throws {
        let store = MemoryStore()
        let firstKeys: [Key] = [.down, .down, .enter, .tab, .tab, .tab, .down, .enter, .down, .character(" "), .enter]
        let outcome = ReporterSession(store: store, reporter: Self.person, reporterName: "Asha Patel", clock: Self.clock).run(on: TestTerminal(keys: firstKeys))
        #expect(outcome == .hungUp)
        let kept = try #require(try store.draft(owner: Self.person))
        #expect(kept.wayOfRaising == .confidential && kept.concerns == [.rudeOrAggressive])

        let second = TestTerminal(keys: [.character("r")])
        _ = ReporterSession(store: store, reporter: Self.person, reporterName: "Asha Patel", clock: Self.clock).run(on: second)
        #expect(second.frames.first?.text.contains("Welcome back") == true)
        #expect(second.screen.words.contains("Your answers are as you left them, and you are where you left off."))
    }

    @Test("a store failure keeps the form and shows the sentence; trying again after it clears works")
    func failureThenRetry() throws {
        let store = MemoryStore()
        store.failure = StoreError(.diskFull, "The disk holding the store is full.")
        let terminal = TestTerminal(keys: Self.keys(way: 0))
        _ = ReporterSession(store: store, reporter: Self.person, reporterName: "Asha Patel", clock: Self.clock).run(on: terminal)
        #expect(terminal.screen.words.contains("The disk holding the store is full. Everything you wrote is still here. Press S to try again."))
        #expect(terminal.screen.contains("He shouted."))
        #expect(!terminal.frames.contains { $0.text.contains("Your case reference is") })
        #expect(try store.allReports().isEmpty)

        store.failure = nil
        let retry = TestTerminal(keys: Self.keys(way: 0) + [.enter])
        _ = try store.discardDraft(owner: Self.person)
        let outcome = ReporterSession(store: store, reporter: Self.person, reporterName: "Asha Patel", clock: Self.clock).run(on: retry)
        #expect(try store.allReports().count == 1)
        if case .submitted = outcome {} else { Issue.record("expected a submitted outcome, got \(outcome)") }
    }

    @Test("the confirmation is drawn only after the store has the report")
    func confirmationAfterCommit() {
        let store = MemoryStore()
        store.failure = StoreError(.busy, "busy")
        let terminal = TestTerminal(keys: Self.keys(way: 0))
        _ = ReporterSession(store: store, reporter: nil, clock: Self.clock).run(on: terminal)
        #expect(!terminal.frames.contains { $0.text.contains("Your report is saved") })
    }

    @Test("a hang-up mid-form ends the session without saving")
    func hangUp() throws {
        let store = MemoryStore()
        let outcome = ReporterSession(store: store, reporter: nil, clock: Self.clock)
            .run(on: TestTerminal(keys: [.enter, .character(" ")]))
        #expect(outcome == .hungUp)
        #expect(try store.allReports().isEmpty)
    }

    @Test("keys typed ahead of the save (a second Enter) cannot skip past the confirmation")
    func typeaheadAfterSend() throws {
        let store = MemoryStore()
        // Enter sends; two more Enters typed in the same burst, and two more typed while the store was busy.
        let terminal = TestTerminal(batches: [Self.keys(way: 2) + [.enter, .enter], [.enter, .enter]], typedAhead: [1])
        let outcome = ReporterSession(store: store, reporter: nil, clock: Self.clock).run(on: terminal)
        let saved = try #require(try store.allReports().first)
        #expect(outcome == .submitted(saved))
        // The confirmation with the receipt is what the reporter is left looking at: no Enter finished it.
        #expect(terminal.screen.contains("Your receipt code is"))
        #expect(terminal.discarded == 1 && terminal.dropped == [[.enter, .enter]])
    }

    @Test("a burst of keys is drawn once, not once a key")
    func burstDrawnOnce() {
        let terminal = TestTerminal(batches: [Array(repeating: Key.down, count: 50)])
        _ = ReporterSession(store: MemoryStore(), reporter: nil, clock: Self.clock).run(on: terminal)
        #expect(terminal.frames.count == 2)  // the first screen, then one for the burst
    }
}

struct NoHistory: ReportHistory {
    func reportsAbout(_ subject: SubjectKey, since day: CalendarDay) -> Int { 0 }
}

/// Sends everything to one role, for tests of what the reporter is told.
struct GuardianRouter: CaseRouter {
    func route(_ report: Report, history: any ReportHistory, from: Date) -> CaseRouting {
        CaseRouting(level: .informal, roles: ["guardian"], handlers: ["asha"], acknowledgeBy: from.addingTimeInterval(7 * 86_400),
                    feedBackBy: from.addingTimeInterval(90 * 86_400), explanation: ["test"])
    }
}

/// A store whose every submit finds the store held by another terminal, and waits as the
/// SQLite store does: until its deadline, or until the person at the screen stops it.
final class HeldStore: ReportingStore, ScreensNeverCall, @unchecked Sendable {
    let memory = MemoryStore()
    let writeWait: StoreWait?

    init(seconds: Double) { writeWait = StoreWait(seconds: seconds) }

    func sealsReports() throws(StoreError) -> Bool { false }

    func submit(_ report: Report, receipt: ReceiptCode?, discardingDraftOf owner: Reporter?, router: (any CaseRouter)?) throws(StoreError) -> Report {
        guard let wait = writeWait else { throw StoreError(.failed, "no wait") }
        wait.begin()
        defer { wait.end() }
        while wait.keepWaiting() { usleep(2_000) }
        throw StoreError(.busy, wait.wasCancelled ? "You stopped waiting for the store, so nothing was written." : "Another terminal kept the store busy.")
    }
    func staff() throws(StoreError) -> [StaffMember] { [] }
    func routing(for reference: CaseReference) throws(StoreError) -> CaseRouting? { nil }
    func casesPastDeadline(at now: Date) throws(StoreError) -> [(CaseReference, CaseDeadline)] { [] }
    func releaseEndedHolds(at now: Date, router: any CaseRouter) throws(StoreError) -> [CaseReference] { [] }
    func escalate(_ reference: CaseReference, missed deadline: CaseDeadline, at now: Date,
                  decide: (Report, CaseRouting) -> CaseRouting) throws(StoreError) -> Bool { false }
    func report(forReceipt code: ReceiptCode) throws(StoreError) -> Report? { nil }
    func reports(raisedBy reporter: Reporter) throws(StoreError) -> [Report] { [] }
    func appendEvent(to reference: CaseReference, kind: CaseEvent.Kind, text: String?, actor: String?, at moment: Date) throws(StoreError) -> CaseEvent {
        try memory.appendEvent(to: reference, kind: kind, text: text, actor: actor, at: moment)
    }
    func answerCheckIn(on reference: CaseReference, answer: DetrimentCheckIn.Answer, account: String, receipt: ReceiptCode?,
                       actor: String?, router: (any CaseRouter)?, at moment: Date) throws(StoreError) -> CheckInAnswered {
        try memory.answerCheckIn(on: reference, answer: answer, account: account, receipt: receipt, actor: actor, router: router, at: moment)
    }
    func saveDraft(_ draft: ReportDraft, owner: Reporter, at moment: Date) throws(StoreError) { try memory.saveDraft(draft, owner: owner, at: moment) }
    func draft(owner: Reporter) throws(StoreError) -> ReportDraft? { try memory.draft(owner: owner) }
    func discardDraft(owner: Reporter) throws(StoreError) { try memory.discardDraft(owner: owner) }
    func allReports() throws(StoreError) -> [Report] { [] }
    func events(for reference: CaseReference) throws(StoreError) -> [CaseEvent] { [] }
}

@Suite("The form while another terminal holds the store")
struct HeldStoreSessionTests {
    @Test("the screen says the report is waiting its turn, and Ctrl-C stops the wait with every word kept")
    func ctrlCStopsWaiting() throws {
        let store = HeldStore(seconds: 60)
        let terminal = TestTerminal(keys: ReporterSessionTests.keys(way: 0) + [.control("c")])
        let started = Date()
        _ = ReporterSession(store: store, reporter: ReporterSessionTests.person, reporterName: "Asha Patel", clock: ReporterSessionTests.clock)
            .run(on: terminal)
        #expect(Date().timeIntervalSince(started) < 30)  // not the 60 s limit: Ctrl-C ended it
        #expect(terminal.frames.contains { $0.text.contains("Another terminal is saving, so yours waits its turn") })
        #expect(terminal.frames.contains { $0.text.contains("Ctrl-C stop waiting (your words stay here)") })
        #expect(terminal.screen.words.contains("You stopped waiting for the store, so nothing was written. Everything you wrote is still here. Press S to try again."))
        #expect(terminal.screen.contains("He shouted."))
        // The terminal then closed: the words are kept as a draft, as after any hang-up.
        #expect(try store.draft(owner: ReporterSessionTests.person)?.account == "He shouted.")
    }

    @Test("with nobody at the keys, the wait ends at its limit and says so")
    func limitEndsTheWait() {
        let store = HeldStore(seconds: 0.3)
        let terminal = TestTerminal(keys: ReporterSessionTests.keys(way: 0))
        _ = ReporterSession(store: store, reporter: ReporterSessionTests.person, reporterName: "Asha Patel", clock: ReporterSessionTests.clock)
            .run(on: terminal)
        #expect(terminal.screen.words.contains("Another terminal kept the store busy. Everything you wrote is still here. Press S to try again."))
        #expect(terminal.screen.contains("He shouted."))
    }
}

extension String {
    /// The words on a screen, one space between each, so a sentence can be found however it wrapped.
    var words: String { split(whereSeparator: \.isWhitespace).joined(separator: " ") }
}
