import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpTUI

@Suite("Follow-up: the detriment check-in after a case closes")
struct CheckInFollowUpTests {
    static let sent = Date(timeIntervalSince1970: 1_795_770_106)  // 27 Nov 2026
    static let closing = sent.addingTimeInterval(10 * 86_400)
    /// Five weeks after closing: the 1-month check-in is due.
    static let later = FixedClock(closing.addingTimeInterval(35 * 86_400))
    static let person = Reporter(userName: "asha", uid: 1001)

    static func report(_ way: WayOfRaising, reporter: Reporter? = person) -> Report {
        Report(reference: .random(), wayOfRaising: way, concerns: [.rudeOrAggressive],
               subject: Subject(name: "Dr Smith", role: "consultant", seniority: .seniorClinician), location: "Ward 7",
               account: "He shouted.", reporter: way == .anonymous ? nil : reporter, submitted: .recorded(for: way, at: sent))
    }

    static func closedCase(_ way: WayOfRaising, checkInDue: Int? = 1) -> FollowUpState.Case {
        let report = FollowUpSnapshotTests.found(way, closed: true).report
        var found = FollowUpSnapshotTests.found(way, closed: true)
        found.events.append(CaseEvent(reference: report.reference, sequence: 5, kind: .speakUpAgain, at: .day("2026-12-10"), text: "yes"))
        found.checkInDue = checkInDue
        return found
    }

    static func render(_ state: FollowUpState) -> Canvas {
        var canvas = Canvas(size: state.size)
        FollowUpView.render(state, into: &canvas)
        return canvas
    }

    // MARK: the state machine

    @Test("a case with a check-in due asks it when opened; Esc is 'not now' and records nothing")
    func askedThenNotNow() {
        var state = FollowUpState(size: .minimum, myReports: [])
        let found = Self.closedCase(.anonymous)
        FollowUp.found(&state, found)
        #expect(state.phase == .askingCheckIn(found))
        #expect(FollowUp.update(&state, .escape).isEmpty)
        #expect(state.phase == .viewing(found))
        #expect(state.notice?.text == "You will be asked again the next time you open this case.")
        // Nothing due: straight to the case; feedback still comes first when it is unanswered.
        FollowUp.found(&state, Self.closedCase(.anonymous, checkInDue: nil))
        if case .viewing = state.phase {} else { Issue.record("expected the case, got \(state.phase)") }
        var feedbackFirst = FollowUpSnapshotTests.found(.anonymous, closed: true)
        feedbackFirst.checkInDue = 1
        FollowUp.found(&state, feedbackFirst)
        #expect(state.phase == .askingFeedback(feedbackFirst))
    }

    @Test("Enter chooses only a highlighted answer; no and rather-not-say are stored at once")
    func noAndRatherNotSay() {
        var state = FollowUpState(size: .minimum, myReports: [])
        let found = Self.closedCase(.confidential)
        FollowUp.found(&state, found)
        #expect(FollowUp.update(&state, .enter).isEmpty)
        #expect(state.notice?.tone == .problem)
        _ = FollowUp.update(&state, .down)
        _ = FollowUp.update(&state, .down)
        #expect(FollowUp.update(&state, .enter) == [.answerCheckIn(found.report.reference, .no, "")])
        _ = FollowUp.update(&state, .down)
        #expect(FollowUp.update(&state, .enter) == [.answerCheckIn(found.report.reference, .ratherNotSay, "")])
        let event = CaseEvent(reference: found.report.reference, sequence: 6, kind: .detrimentCheckIn, at: .day("2027-01-10"), text: "1 rather-not-say")
        FollowUp.checkInAnswered(&state, CheckInAnswered(event: event), receipt: nil)
        guard case .viewing(let updated) = state.phase else { Issue.record("\(state.phase)"); return }
        #expect(updated.events.last == event && updated.checkInDue == nil)
        #expect(state.notice?.text == "Thank you. Your answer is saved.")
    }

    @Test("yes asks for optional words, Tab shows them, S opens the case; words left unsent ask before they go")
    func yesWords() {
        var state = FollowUpState(size: .minimum, myReports: [])
        let found = Self.closedCase(.anonymous)
        FollowUp.found(&state, found)
        _ = FollowUp.update(&state, .down)
        #expect(FollowUp.update(&state, .enter).isEmpty)
        #expect(state.phase == .checkInWords(found))
        // Empty words are allowed: Tab, then S.
        _ = FollowUp.update(&state, .tab)
        #expect(state.phase == .checkInReview(found))
        #expect(FollowUp.update(&state, .character("s")) == [.answerCheckIn(found.report.reference, .yes, "")])
        _ = FollowUp.update(&state, .character("e"))
        _ = FollowUp.update(&state, .paste("My rota was changed."))
        _ = FollowUp.update(&state, .escape)
        #expect(state.question == .discard)
        _ = FollowUp.update(&state, .character("n"))
        #expect(state.phase == .checkInWords(found) && state.checkInAccount.text == "My rota was changed.")
        _ = FollowUp.update(&state, .tab)
        #expect(FollowUp.update(&state, .character("S")) == [.answerCheckIn(found.report.reference, .yes, "My rota was changed.")])
        // Ctrl-C with words unsent asks first too.
        _ = FollowUp.update(&state, .control("c"))
        #expect(state.question == .leave)
        _ = FollowUp.update(&state, .character("n"))
        _ = FollowUp.update(&state, .escape)
        _ = FollowUp.update(&state, .character("y"))
        #expect(state.phase == .viewing(found) && state.checkInAccount.text.isEmpty)
        #expect(state.notice?.text == "Nothing was saved. You will be asked again the next time you open this case.")
    }

    @Test("the new case is shown until Enter, so no stray key takes its receipt code away")
    func openedUntilEnter() {
        var state = FollowUpState(size: .minimum, myReports: [])
        let found = Self.closedCase(.anonymous)
        FollowUp.found(&state, found)
        let linked = DetrimentCheckIn.linkedReport(from: found.report, months: 1, account: "", reference: CaseReference("SU-7KQ4-M2XF")!, at: Self.later.now())
        let event = CaseEvent(reference: found.report.reference, sequence: 6, kind: .detrimentCheckIn, at: .day("2027-01-10"), text: "1 yes SU-7KQ4-M2XF")
        let code = ReceiptCode(typed: "4821093755120364")!
        FollowUp.checkInAnswered(&state, CheckInAnswered(event: event, linked: linked), receipt: code)
        guard case .checkInOpened(_, _, let shown) = state.phase else { Issue.record("\(state.phase)"); return }
        #expect(shown == code)
        for key in [Key.character("q"), .escape, .down, .character(" ")] { _ = FollowUp.update(&state, key) }
        if case .checkInOpened = state.phase {} else { Issue.record("left the receipt on \(state.phase)") }
        _ = FollowUp.update(&state, .enter)
        guard case .viewing(let updated) = state.phase else { Issue.record("\(state.phase)"); return }
        #expect(updated.events.last == event)
    }

    // MARK: whole sessions on a store

    @Test("by receipt code: an anonymous reporter answers yes; the new case is anonymous, routed, with its own receipt shown once")
    func receiptYes() throws {
        let store = MemoryStore()
        let code = ReceiptCode.random()
        let original = try store.submit(Self.report(.anonymous), receipt: code, discardingDraftOf: nil, router: GuardianRouter())
        _ = try store.appendEvent(to: original.reference, kind: .closed, text: "Resolved.", actor: "gita", at: Self.closing)
        _ = try store.appendEvent(to: original.reference, kind: .speakUpAgain, text: "yes", at: Self.closing)
        let keys: [Key] = code.description.map(Key.character) + [.enter, .down, .enter, .paste("Left off the rota since."), .tab, .character("s")]
        let terminal = TestTerminal(keys: keys)
        FollowUpSession(store: store, reporter: nil, clock: Self.later, router: GuardianRouter(), pause: { _ in }).run(on: terminal)
        #expect(terminal.frames.contains { $0.text.contains("Since you spoke up, have you been treated worse by anyone") })
        let answer = try #require(try store.events(for: original.reference).last)
        #expect(answer.kind == .detrimentCheckIn && answer.actor == nil)
        let recorded = try #require(DetrimentCheckIn.Recorded(text: answer.text))
        #expect(recorded.months == 1 && recorded.answer == .yes)
        let linked = try #require(try store.allReports().first { $0.reference == recorded.linked })
        #expect(linked.wayOfRaising == .anonymous && linked.reporter == nil && linked.concerns == [.detriment])
        #expect(linked.account == "Left off the rota since.")
        #expect(terminal.screen.contains("Thank you. A new case is open."))
        #expect(terminal.screen.contains(linked.reference.text))
        #expect(terminal.screen.contains("Who will see it: the guardian team."))
        #expect(terminal.screen.contains("Its receipt code is"))
        #expect(try store.report(forReceipt: code)?.reference == original.reference)
    }

    @Test("a named reporter answers no on their own case; it is not asked again")
    func namedNo() throws {
        let store = MemoryStore()
        let original = try store.submit(Self.report(.confidential), receipt: nil, discardingDraftOf: nil, router: nil)
        _ = try store.appendEvent(to: original.reference, kind: .closed, text: "Resolved.", actor: "gita", at: Self.closing)
        _ = try store.appendEvent(to: original.reference, kind: .speakUpAgain, text: "yes", actor: "asha", at: Self.closing)
        let terminal = TestTerminal(keys: [.enter, .down, .down, .enter])
        FollowUpSession(store: store, reporter: Self.person, clock: Self.later, pause: { _ in }).run(on: terminal)
        let answer = try #require(try store.events(for: original.reference).last)
        #expect(answer.kind == .detrimentCheckIn && answer.text == "1 no" && answer.actor == "asha")
        #expect(terminal.screen.contains("Thank you. Your answer is saved."))
        #expect(terminal.screen.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            .contains("You answered the check-in 1 month after the case closed: you have not been treated worse."))
        let again = TestTerminal(keys: [.enter])
        FollowUpSession(store: store, reporter: Self.person, clock: Self.later, pause: { _ in }).run(on: again)
        #expect(!again.frames.contains { $0.text.contains("have you been treated worse") })
    }

    @Test("nothing is asked before a month has passed since closing")
    func notBeforeAMonth() throws {
        let store = MemoryStore()
        let original = try store.submit(Self.report(.confidential), receipt: nil, discardingDraftOf: nil, router: nil)
        _ = try store.appendEvent(to: original.reference, kind: .closed, text: "Resolved.", actor: "gita", at: Self.closing)
        _ = try store.appendEvent(to: original.reference, kind: .speakUpAgain, text: "yes", actor: "asha", at: Self.closing)
        let terminal = TestTerminal(keys: [.enter])
        FollowUpSession(store: store, reporter: Self.person, clock: FixedClock(Self.closing.addingTimeInterval(20 * 86_400)), pause: { _ in })
            .run(on: terminal)
        #expect(!terminal.frames.contains { $0.text.contains("have you been treated worse") })
    }

    // MARK: what handlers see

    @Test("handlers see the link at the top of a case a check-in opened, and each answer in the first case's timeline")
    func workspace() {
        let original = Self.report(.anonymous)
        let linked = DetrimentCheckIn.linkedReport(from: original, months: 3, account: "", reference: CaseReference("SU-7KQ4-M2XF")!, at: Self.later.now())
        let file = CaseFile(report: linked, events: [
            CaseEvent(reference: linked.reference, sequence: 1, kind: .received, at: linked.submitted),
            CaseEvent(reference: linked.reference, sequence: 3, kind: .detrimentLinked, at: linked.submitted,
                      text: DetrimentCheckIn.Link(months: 3, original: original.reference).text),
        ], routing: nil, status: .new, linked: [], reportsAboutSamePerson: 2)
        let text = CasesView.caseLines(file, handler: "gita", now: Self.later.now(), width: 76).map(\.0).joined(separator: " ")
        #expect(text.contains("Linked to case \(original.reference.text): the reporter said, asked 3 months after that case closed"))
        #expect(text.contains("opened from a detriment check-in on case \(original.reference.text), 3 months after it closed"))
        #expect(CasesView.checkInLine("1 yes SU-7KQ4-M2XF") == "detriment check-in 1 month after closing: the reporter has been treated worse since speaking up; linked detriment case SU-7KQ4-M2XF")
        #expect(CasesView.checkInLine("6 rather-not-say") == "detriment check-in 6 months after closing: the reporter would rather not say")
    }

    // MARK: snapshots at 80x24

    @Test func askingSnapshot() {
        var state = FollowUpState(size: .minimum, myReports: [])
        FollowUp.found(&state, Self.closedCase(.anonymous, checkInDue: 3))
        _ = FollowUp.update(&state, .down)
        assertSnapshot(Self.render(state), named: "follow-up-7-check-in")
    }

    @Test func wordsSnapshot() {
        var state = FollowUpState(size: .minimum, myReports: [])
        FollowUp.found(&state, Self.closedCase(.confidential))
        _ = FollowUp.update(&state, .down)
        _ = FollowUp.update(&state, .enter)
        _ = FollowUp.update(&state, .paste("Since I reported it I have been left off the rota for weekends."))
        assertSnapshot(Self.render(state), named: "follow-up-8-check-in-words")
        _ = FollowUp.update(&state, .tab)
        assertSnapshot(Self.render(state), named: "follow-up-9-check-in-review")
    }

    @Test func openedSnapshot() {
        var state = FollowUpState(size: .minimum, myReports: [])
        let found = Self.closedCase(.anonymous)
        FollowUp.found(&state, found)
        let linked = DetrimentCheckIn.linkedReport(from: found.report, months: 1, account: "", reference: CaseReference("SU-7KQ4-M2XF")!,
                                                   at: Self.later.now())
        let routing = GuardianRouter().route(linked, history: NoHistory(), from: linked.deadlineStart)
        let event = CaseEvent(reference: found.report.reference, sequence: 6, kind: .detrimentCheckIn, at: .day("2027-01-10"), text: "1 yes SU-7KQ4-M2XF")
        FollowUp.checkInAnswered(&state, CheckInAnswered(event: event, linked: linked, routing: routing), receipt: ReceiptCode(typed: "4821093755120364")!)
        assertSnapshot(Self.render(state), named: "follow-up-10-check-in-opened")
        _ = FollowUp.update(&state, .enter)
        _ = FollowUp.update(&state, .down)
        _ = FollowUp.update(&state, .down)
        _ = FollowUp.update(&state, .down)
        assertSnapshot(Self.render(state), named: "follow-up-11-check-in-timeline")
    }
}
