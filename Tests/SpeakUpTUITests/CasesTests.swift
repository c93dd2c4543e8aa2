import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpTUI

/// A handler's desk in memory: a few cases, the actions applied as events.
final class FakeDesk: CaseDesk, @unchecked Sendable {
    private let lock = NSLock()
    var files: [CaseReference: CaseFile] = [:]
    var holders: [CaseReference: Set<String>] = [:]
    var pendingReminders: [Reminder] = []
    var acted: [(CaseAction, CaseReference, String)] = []
    var waitingUnrouted: [UnroutedCase] = []
    /// The reasons cases are kept from handlers, as the real desk's policy gives them.
    var refusal: (Report) -> String? = { _ in nil }

    static let moment = Date(timeIntervalSince1970: 1_795_770_106)  // 2026-11-27

    func add(_ account: String, way: WayOfRaising = .confidential, level: PyramidLevel = .informal, daysAgo: Double = 1,
             concerns: [ConcernCategory] = [.rudeOrAggressive], handlers: [String] = ["gita"], reference: String) {
        let submitted = Self.moment.addingTimeInterval(-daysAgo * 86_400)
        let report = Report(
            reference: CaseReference(reference)!, wayOfRaising: way, concerns: concerns,
            subject: Subject(name: "Dr Smith", role: "consultant", seniority: .seniorClinician), location: "Ward 7", account: account,
            reporter: way == .anonymous ? nil : Reporter(userName: "ben", uid: 1002),
            reporterDetails: way == .anonymous ? nil : ReporterDetails(name: "Ben Adeyemi", contact: "ext 4321", professionalGroup: .nursing),
            submitted: .recorded(for: way, at: submitted))
        let routing = CaseRouting(level: level, roles: ["guardian"], handlers: handlers, acknowledgeBy: submitted.addingTimeInterval(7 * 86_400),
                                  feedBackBy: submitted.addingTimeInterval(90 * 86_400), explanation: ["Route \"everything-else\" matched."])
        let events = [CaseEvent(reference: report.reference, sequence: 1, kind: .received, at: report.submitted)]
        files[report.reference] = CaseFile(report: report, events: events, routing: routing, status: .new, linked: [], reportsAboutSamePerson: 2)
        holders[report.reference] = Set(handlers)
    }

    func queue(_ query: QueueQuery, for handler: String, now: Date) throws(StoreError) -> QueuePage {
        let rows: [QueueRow] = lock.withLock {
            files.values.filter { (file: CaseFile) -> Bool in holders[file.report.reference]?.contains(handler) == true && refusal(file.report) == nil }
                .filter { query.search.isEmpty || $0.report.account.localizedCaseInsensitiveContains(query.search) }
                .filter { query.level == nil || $0.routing?.level == query.level }
                .map { file in
                    QueueRow(reference: file.report.reference, status: file.status, level: file.routing?.level ?? .informal,
                             submitted: file.report.submitted, deadline: file.routing?.acknowledgeBy, deadlineKind: .acknowledge,
                             concerns: file.report.concerns, seniority: file.report.subjectSeniority, location: file.report.location,
                             wayOfRaising: file.report.wayOfRaising, about: file.report.subject.asWritten)
                }
                .sorted { ($0.level == .urgent ? 0 : 1, $0.deadline ?? .distantFuture) < ($1.level == .urgent ? 0 : 1, $1.deadline ?? .distantFuture) }
        }
        return QueuePage(rows: rows, fetched: rows.count)
    }

    func openCase(_ reference: CaseReference, for handler: String, at moment: Date) throws(StoreError) -> CaseFile? {
        guard let file = lock.withLock({ holders[reference]?.contains(handler) == true ? files[reference] : nil }) else { return nil }
        if let reason = refusal(file.report) { throw StoreError(.failed, reason) }
        return file
    }

    func unrouted() throws(StoreError) -> [UnroutedCase] { waitingUnrouted }

    func act(_ action: CaseAction, on reference: CaseReference, by handler: String, at moment: Date) throws(StoreError) {
        lock.lock()
        defer { lock.unlock() }
        guard var file = files[reference] else { throw StoreError(.missing, "No such case.") }
        acted.append((action, reference, handler))
        let next = file.events.count + 1
        switch action {
        case .acknowledge:
            file.status = .acknowledged
            file.events.append(CaseEvent(reference: reference, sequence: next, kind: .acknowledged, at: .instant(moment), actor: handler))
        case .message(let text):
            file.events.append(CaseEvent(reference: reference, sequence: next, kind: .handlerMessage, at: .instant(moment), text: text, actor: handler))
        case .note(let text):
            file.events.append(CaseEvent(reference: reference, sequence: next, kind: .note, at: .instant(moment), text: text, actor: handler))
        case .changeLevel(let level):
            file.routing?.level = level
        case .reassign(let to):
            holders[reference]?.remove(handler)
            holders[reference]?.insert(to)
        case .recuse(let to):
            holders[reference]?.remove(handler)
            for next in to { holders[reference]?.insert(next) }
        case .close(let outcome, let learned):
            file.status = .closed
            file.events.append(CaseEvent(reference: reference, sequence: next, kind: .closed, at: .instant(moment),
                                         text: "Outcome: \(outcome.title).\nWhat was learned: \(learned)", actor: handler))
        case .legalHold(let reason):
            file.events.append(CaseEvent(reference: reference, sequence: next, kind: .legalHold, at: .instant(moment), text: reason, actor: handler))
        case .liftLegalHold(let reason):
            file.events.append(CaseEvent(reference: reference, sequence: next, kind: .legalHoldLifted, at: .instant(moment), text: reason, actor: handler))
        }
        files[reference] = file
    }

    func reminders(for handler: String) throws(StoreError) -> [Reminder] { lock.withLock { pendingReminders } }
    func dismissReminders(for handler: String) throws(StoreError) { lock.withLock { pendingReminders = [] } }
    func caseFacts() throws(StoreError) -> [CaseFacts] {
        lock.withLock {
            files.values.map {
                CaseFacts(submitted: CalendarDay.local($0.report.submitted.moment), wayOfRaising: $0.report.wayOfRaising, concerns: $0.report.concerns,
                          professionalGroup: nil, acknowledgedAfterDays: nil, closedAfterDays: nil, acknowledgedLate: false, closedLate: false, speakUpAgain: nil)
            }
        }
    }
}

@Suite("The guardian's workspace: reducer, snapshots and a whole session")
struct CasesTests {
    static let clock = FixedClock(FakeDesk.moment)

    static func desk() -> FakeDesk {
        let desk = FakeDesk()
        desk.add("Mocked a student's accent in front of the team.", daysAgo: 2, concerns: [.rudeOrAggressive, .discrimination], reference: "SU-AAAA-0002")
        desk.add("Left the drug cupboard open all night.", way: .anonymous, level: .urgent, daysAgo: 7, concerns: [.unsafePractice], reference: "SU-AAAA-0001")
        desk.add("Repeatedly excluded a new colleague from breaks.", way: .open, daysAgo: 55, concerns: [.bullyingOrHarassment], reference: "SU-AAAA-0003")
        desk.add("Someone else's case.", handlers: ["sam"], reference: "SU-AAAA-0004")
        return desk
    }

    static func screen(_ state: CasesState) -> Canvas {
        var canvas = Canvas(size: state.size)
        CasesView.render(state, into: &canvas)
        return canvas
    }

    @Test("the queue: keys move, Enter opens, filters and search reload from the first page, q leaves")
    func queueKeys() {
        var state = CasesState(size: .minimum, handler: "gita", now: FakeDesk.moment)
        Cases.loaded(&state, try! Self.desk().queue(QueueQuery(), for: "gita", now: FakeDesk.moment).rows, for: QueueQuery())
        #expect(state.rows.count == 3 && state.rows[0].reference.text == "SU-AAAA-0001")  // urgent first
        #expect(Cases.update(&state, .down).isEmpty && state.highlighted == 1)
        #expect(Cases.update(&state, .enter) == [.open(CaseReference("SU-AAAA-0003")!)])
        var expected = QueueQuery()
        expected.level = .informal
        #expect(Cases.update(&state, .character("l")) == [.loadQueue(expected)] && state.highlighted == 0)
        #expect(Cases.update(&state, .character("/")).isEmpty)
        var typed = expected
        typed.search = "c"
        #expect(Cases.update(&state, .character("c")) == [.loadQueue(typed)])  // results as you type
        #expect(Cases.update(&state, .escape).count == 1 && state.query.search.isEmpty)
        #expect(Cases.update(&state, .character("q")) == [.finish])
    }

    @Test("a case: actions ask for the right effect; an empty message is not sent; recusal asks first")
    func caseKeys() throws {
        let desk = Self.desk()
        var state = CasesState(size: .minimum, handler: "gita", now: FakeDesk.moment)
        var file = try #require(try desk.openCase(CaseReference("SU-AAAA-0002")!, for: "gita", at: FakeDesk.moment))
        file.eligibleHandlers = ["ria", "zoe"]
        Cases.opened(&state, file)
        let reference = file.report.reference
        #expect(Cases.update(&state, .character("a")) == [.act(reference, .acknowledge)])
        _ = Cases.update(&state, .character("m"))
        #expect(Cases.update(&state, .tab).isEmpty && state.notice?.tone == .problem)  // nothing written yet
        for character in "Which shift?" { _ = Cases.update(&state, .character(character)) }
        #expect(Cases.update(&state, .tab).isEmpty)  // done writing: shown before it goes
        #expect(Cases.update(&state, .enter).isEmpty)
        #expect(Cases.update(&state, .character("s")) == [.act(reference, .message("Which shift?"))])
        Cases.opened(&state, file)
        _ = Cases.update(&state, .character("r"))
        _ = Cases.update(&state, .down)
        #expect(Cases.update(&state, .enter) == [.act(reference, .reassign(to: "zoe"))])
        Cases.opened(&state, file)
        _ = Cases.update(&state, .character("x"))
        #expect(Cases.update(&state, .character("n")).isEmpty)  // kept
        _ = Cases.update(&state, .character("x"))
        #expect(Cases.update(&state, .character("y")) == [.act(reference, .recuse(to: ["ria", "zoe"]))])  // the store keeps it with co-handlers if any
        Cases.opened(&state, file)
        _ = Cases.update(&state, .character("c"))
        _ = Cases.update(&state, .down)
        _ = Cases.update(&state, .enter)  // upheld
        for character in "A checklist" { _ = Cases.update(&state, .character(character)) }
        _ = Cases.update(&state, .tab)
        #expect(Cases.update(&state, .character("S")) == [.act(reference, .close(.upheld, learned: "A checklist"))])
    }

    @Test("snapshots: reminders, the queue, a case, a note, reassigning, stepping away, closing, the level, figures, search, an empty queue")
    func snapshots() throws {
        let desk = Self.desk()
        desk.pendingReminders = [Reminder(reference: CaseReference("SU-AAAA-0001")!, handler: "gita", deadline: .acknowledge,
                                          due: FakeDesk.moment.addingTimeInterval(-3600), stage: .passed)]
        var state = CasesState(size: .minimum, handler: "gita", now: FakeDesk.moment, reminders: try desk.reminders(for: "gita"))
        assertSnapshot(Self.screen(state), named: "cases-reminders")
        _ = Cases.update(&state, .enter)
        Cases.loaded(&state, try desk.queue(QueueQuery(), for: "gita", now: FakeDesk.moment).rows, for: QueueQuery())
        assertSnapshot(Self.screen(state), named: "cases-queue")
        var file = try #require(try desk.openCase(CaseReference("SU-AAAA-0002")!, for: "gita", at: FakeDesk.moment))
        file.eligibleHandlers = ["ria", "zoe"]
        Cases.opened(&state, file)
        assertSnapshot(Self.screen(state), named: "cases-case")
        _ = Cases.update(&state, .character("n"))
        for character in "Check the rota for Tuesday." { _ = Cases.update(&state, .character(character)) }
        assertSnapshot(Self.screen(state), named: "cases-note")
        Cases.opened(&state, file)
        _ = Cases.update(&state, .character("r"))
        assertSnapshot(Self.screen(state), named: "cases-reassign")
        Cases.opened(&state, file)
        _ = Cases.update(&state, .character("x"))
        assertSnapshot(Self.screen(state), named: "cases-recuse")
        Cases.opened(&state, file)
        _ = Cases.update(&state, .character("c"))
        assertSnapshot(Self.screen(state), named: "cases-close-outcome")
        _ = Cases.update(&state, .down)
        _ = Cases.update(&state, .enter)
        for character in "A checklist at handover." { _ = Cases.update(&state, .character(character)) }
        assertSnapshot(Self.screen(state), named: "cases-close-learned")
        Cases.opened(&state, file)
        _ = Cases.update(&state, .character("l"))
        assertSnapshot(Self.screen(state), named: "cases-level")
        Cases.counted(&state, CaseStatistics(facts: try desk.caseFacts(), today: CalendarDay.local(FakeDesk.moment)))
        assertSnapshot(Self.screen(state), named: "cases-figures")
        // Searching, with results as typed.
        _ = Cases.update(&state, .character("q"))  // back to the queue
        _ = Cases.update(&state, .character("/"))
        for character in "accent" { _ = Cases.update(&state, .character(character)) }
        Cases.loaded(&state, try desk.queue(state.query, for: "gita", now: FakeDesk.moment).rows, for: state.query)
        assertSnapshot(Self.screen(state), named: "cases-search")
        // Nothing waiting.
        var empty = CasesState(size: .minimum, handler: "gita", now: FakeDesk.moment)
        Cases.loaded(&empty, [], for: QueueQuery())
        assertSnapshot(Self.screen(empty), named: "cases-empty")
    }

    @Test("escape sequences in accounts and notes are drawn harmlessly")
    func sanitised() throws {
        let desk = FakeDesk()
        desk.add("Shouted \u{1B}]0;owned\u{07} and \u{202E}reversed", reference: "SU-AAAA-0009")
        var state = CasesState(size: .minimum, handler: "gita", now: FakeDesk.moment)
        Cases.opened(&state, try #require(try desk.openCase(CaseReference("SU-AAAA-0009")!, for: "gita", at: FakeDesk.moment)))
        let text = Self.screen(state).text
        #expect(!text.contains("\u{1B}") && !text.contains("\u{07}") && !text.contains("\u{202E}"))
        #expect(text.contains("Shouted"))
    }

    @Test("a whole session: reminders, the queue, open, acknowledge, message, close; someone else's case never shows")
    func session() throws {
        let desk = Self.desk()
        var keys: [Key] = [.enter]  // open the most urgent
        keys += [.character("a"), .character("m")] + "Thank you.".map(Key.character) + [.tab, .character("s")]
        keys += [.character("c"), .enter] + "Talked it through.".map(Key.character) + [.tab, .character("s"), .escape, .character("q")]
        let terminal = TestTerminal(keys: keys)
        let session = CasesSession(desk: desk, handler: "gita", clock: Self.clock)
        let opening = try session.opening()
        session.run(on: terminal, reminders: opening.reminders, unrouted: opening.unrouted)
        #expect(!terminal.frames.contains { $0.text.contains("SU-AAAA-0004") })
        let kinds = desk.acted.map { "\($0.0)" }
        #expect(kinds.count == 3)
        #expect(desk.files[CaseReference("SU-AAAA-0001")!]?.status == .closed)
        #expect(terminal.frames.contains { $0.text.contains("Your message is saved") })
    }

    @Test("the screen shows what the desk returns and nothing more (the policy itself is tested on the real store)")
    func conflictHidden() throws {
        let desk = Self.desk()
        desk.refusal = { $0.account.hasPrefix("Left the drug") ? "This case is not one you may see." : nil }
        let terminal = TestTerminal(keys: [.character("q")])
        let session = CasesSession(desk: desk, handler: "gita", clock: Self.clock)
        let opening = try session.opening()
        session.run(on: terminal, reminders: opening.reminders, unrouted: opening.unrouted)
        #expect(terminal.frames.contains { $0.text.contains("SU-AAAA-0002") })
        #expect(!terminal.frames.contains { $0.text.contains("SU-AAAA-0001") })
    }

    @Test("reports waiting with nobody to handle them open the workspace, in red words, before the queue")
    func unroutedFirst() throws {
        let desk = Self.desk()
        desk.waitingUnrouted = [UnroutedCase(reference: CaseReference("SU-AAAA-0077")!, since: CalendarDay(year: 2026, month: 11, day: 20)!)]
        let terminal = TestTerminal(keys: [.character("x"), .character("q")])
        let session = CasesSession(desk: desk, handler: "gita", clock: Self.clock)
        let opening = try session.opening()
        session.run(on: terminal, reminders: opening.reminders, unrouted: opening.unrouted)
        let first = try #require(terminal.frames.first)
        #expect(first.text.contains("1 report is waiting with nobody to handle it"))
        #expect(first.text.contains("SU-AAAA-0077  sent 20 Nov 2026, waiting for a handler"))
        #expect(first.text.contains("speakup check"))
        #expect(terminal.frames.last?.text.contains("SU-AAAA-0002") == true)
    }

    @Test("a page with a hidden row still asks for the next page, from where the store left off")
    func pagingPastHiddenRows() throws {
        var state = CasesState(size: .minimum, handler: "gita", now: FakeDesk.moment)
        var query = QueueQuery()
        query.limit = 3
        state.query = query
        let rows = try Self.desk().queue(QueueQuery(), for: "gita", now: FakeDesk.moment).rows
        Cases.loaded(&state, Array(rows.prefix(2)), for: query, fetched: 3)  // the store gave 3; one was hidden
        #expect(state.mayHaveMore)
        _ = Cases.update(&state, .down)
        var next = query
        next.offset = 3
        #expect(Cases.update(&state, .down) == [.loadQueue(next)])
    }

    @Test("End, then Up, scrolls straight back: the case's scroll never runs past its last line")
    func scrollClamped() throws {
        let desk = Self.desk()
        var state = CasesState(size: .minimum, handler: "gita", now: FakeDesk.moment)
        Cases.opened(&state, try #require(try desk.openCase(CaseReference("SU-AAAA-0002")!, for: "gita", at: FakeDesk.moment)))
        _ = Cases.update(&state, .end)
        let bottom = state.caseTop
        for _ in 0..<5 { _ = Cases.update(&state, .down) }
        #expect(state.caseTop == bottom)
        _ = Cases.update(&state, .up)
        #expect(state.caseTop == max(0, bottom - 1))
    }
}
