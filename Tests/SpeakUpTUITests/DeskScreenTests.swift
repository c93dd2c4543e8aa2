import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpTUI

/// Issue 11, the workspace and follow-up: who each report is about, words never cut, one date
/// style, Esc that goes back and asks before anything ends, reassigning with reasons, reminders
/// that say one true thing, and figures in words. Snapshots at 80x24 and 120x40.
@Suite("The workspace and follow-up: keys, words, dates and reasons")
struct DeskScreenTests {
    static let wide = Size(columns: 120, rows: 40)

    static func queue(_ size: Size) throws -> CasesState {
        let desk = CasesTests.desk()
        var state = CasesState(size: size, handler: "gita", now: FakeDesk.moment)
        Cases.loaded(&state, try desk.queue(QueueQuery(), for: "gita", now: FakeDesk.moment).rows, for: QueueQuery())
        return state
    }

    static func opened(_ size: Size, choices: HandlerChoices) throws -> (CasesState, CaseFile) {
        var state = try queue(size)
        var file = try #require(try CasesTests.desk().openCase(CaseReference("SU-AAAA-0002")!, for: "gita", at: FakeDesk.moment))
        file.handlerChoices = choices
        Cases.opened(&state, file)
        return (state, file)
    }

    static let choices = HandlerChoices.workedOut([
        HandlerChoice(handler: "gita", notOffered: "you: the case is with you now"),
        HandlerChoice(handler: "ria", notOffered: nil),
        HandlerChoice(handler: "sam", notOffered: "managed by the person the report is about (S-0042)"),
        HandlerChoice(handler: "ted", notOffered: "stepped away from it for a conflict of interest"),
        HandlerChoice(handler: "zoe", notOffered: nil),
    ])

    @Test("words are shortened at a word, never cut in one; lists say how many more")
    func shortening() {
        #expect(ScreenWords.fit("Rude or aggressive behaviour", 20) == "Rude or aggressive…")
        #expect(ScreenWords.fit("Dr Smith, consultant", 12) == "Dr Smith…")
        #expect(ScreenWords.fit("short", 12) == "short")
        #expect(ScreenWords.list(["rude", "discrim.", "unsafe"], 14) == "rude +2")
        #expect(CasesView.concerns([.rudeOrAggressive, .discrimination], width: 40) == "Rude or aggressive, Discrimination")
        #expect(CasesView.concerns([.rudeOrAggressive, .discrimination], width: 13) == "rude +1")
    }

    @Test("the queue says who each report is about, at 80 and at 120 columns, and no concern is cut mid-word")
    func queueAbout() throws {
        for size in [Size.minimum, Self.wide] {
            let state = try Self.queue(size)
            let text = CasesTests.screen(state).text
            #expect(text.contains("About"))
            #expect(text.contains("Dr Smith"))
            #expect(!text.contains("discri\n") && !text.contains("rude, discri "))
            #expect(!text.contains("/2026"))  // one date style
            #expect(text.contains("2 Dec 2026") || text.contains("OVERDUE"))
        }
        #expect(CasesTests.screen(try Self.queue(Self.wide)).text.contains("Dr Smith, consultant"))
        #expect(CasesTests.screen(try Self.queue(Self.wide)).text.contains("Seniority"))
    }

    @Test("Esc at the queue asks; q and Y leave; N stays")
    func queueEscape() throws {
        var state = try Self.queue(.minimum)
        #expect(Cases.update(&state, .escape).isEmpty && state.question == .leave)
        #expect(CasesTests.screen(state).text.contains("Leave the workspace?"))
        #expect(CasesTests.screen(state).text.contains("Y leave · N stay"))
        #expect(Cases.update(&state, .character("x")).isEmpty && state.question == .leave)  // other keys: still asked
        #expect(Cases.update(&state, .character("n")).isEmpty && state.question == nil && state.phase == .queue)
        _ = Cases.update(&state, .escape)
        #expect(Cases.update(&state, .character("y")) == [.finish])
        var again = try Self.queue(.minimum)
        #expect(Cases.update(&again, .character("q")) == [.finish])
        var control = try Self.queue(.minimum)
        #expect(Cases.update(&control, .control("c")) == [.finish])
    }

    @Test("a note not yet saved is never lost without asking: Esc and Ctrl-C ask; Tab shows it; S saves")
    func writingAsks() throws {
        var (state, file) = try Self.opened(.minimum, choices: Self.choices)
        _ = Cases.update(&state, .character("n"))
        #expect(Cases.update(&state, .escape).isEmpty && state.phase == .viewing(file))  // nothing written: back at once
        _ = Cases.update(&state, .character("n"))
        for character in "Rota" { _ = Cases.update(&state, .character(character)) }
        #expect(Cases.update(&state, .escape).isEmpty && state.question == .discard)
        _ = Cases.update(&state, .character("n"))
        #expect(Cases.update(&state, .control("c")).isEmpty && state.question == .leave)
        #expect(CasesTests.screen(state).text.contains("What you wrote has not been saved"))
        _ = Cases.update(&state, .escape)
        _ = Cases.update(&state, .tab)
        #expect(state.phase == .reviewing(file, .note))
        #expect(CasesTests.screen(state).text.contains("S save"))
        #expect(Cases.update(&state, .character("s")) == [.act(file.report.reference, .note("Rota"))])
        _ = Cases.update(&state, .escape)
        #expect(Cases.update(&state, .character("y")).isEmpty && state.phase == .viewing(file) && state.editor.text.isEmpty)
    }

    @Test("reassigning lists every handler, those not offered dimmed with why; only the offered can be chosen")
    func reassignList() throws {
        var (state, file) = try Self.opened(.minimum, choices: Self.choices)
        _ = Cases.update(&state, .character("r"))
        #expect(state.choice == 1)  // ria: the first who may take it
        let text = CasesTests.screen(state).text
        for name in ["gita", "ria", "sam", "ted", "zoe"] { #expect(text.contains(name)) }
        #expect(text.contains("sam: not offered, managed by the person the report is about"))
        _ = Cases.update(&state, .down)
        #expect(state.choice == 4)  // past sam and ted
        #expect(Cases.update(&state, .enter) == [.act(file.report.reference, .reassign(to: "zoe"))])
    }

    @Test("when who may take a case cannot be worked out, nobody is offered and the reason is said")
    func reassignFailsClosed() throws {
        var (state, file) = try Self.opened(.minimum, choices: .unknown(HandlerChoices.notWorkedOut))
        #expect(Cases.update(&state, .character("r")).isEmpty)
        #expect(state.phase == .viewing(file) && state.notice?.text == HandlerChoices.notWorkedOut)
        file.handlerChoices = .workedOut([HandlerChoice(handler: "sam", notOffered: "the person the report is about")])
        Cases.opened(&state, file)
        _ = Cases.update(&state, .character("r"))
        #expect(Cases.update(&state, .enter).isEmpty && state.notice?.tone == .problem)
        #expect(CaseFile(report: file.report, events: [], routing: nil, status: .new, linked: [], reportsAboutSamePerson: 0).eligibleHandlers.isEmpty)
    }

    @Test("a reminder says one true thing: overdue wins, with how long; due soon says when")
    func reminders() {
        let reference = CaseReference("SU-AAAA-0001")!
        let due = FakeDesk.moment.addingTimeInterval(-3 * 3600)
        let both = [Reminder(reference: reference, handler: "gita", deadline: .acknowledge, due: due, stage: .nearing),
                    Reminder(reference: reference, handler: "gita", deadline: .acknowledge, due: due, stage: .passed),
                    Reminder(reference: CaseReference("SU-AAAA-0002")!, handler: "gita", deadline: .feedBack,
                             due: FakeDesk.moment.addingTimeInterval(5 * 3600), stage: .nearing)]
        let state = CasesState(size: .minimum, handler: "gita", now: FakeDesk.moment, reminders: both)
        let text = CasesTests.screen(state).text
        let lines = text.split(separator: "\n").filter { $0.contains("SU-AAAA-0001") }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("OVERDUE by 3 hours") == true && lines.first?.contains("due soon") == false)
        #expect(text.contains("due soon, in 5 hours"))
        #expect(!text.contains("T0") && !text.contains("Z\n"))  // no ISO moments on screen
        #expect(text.contains("27 Nov 2026, 06:01"))
        assertSnapshot(CasesTests.screen(state), named: "cases-reminders-one-each")
        var wide = state
        _ = Cases.update(&wide, .resize(Self.wide))
        assertSnapshot(CasesTests.screen(wide), named: "cases-reminders-120x40")
    }

    @Test("the figures are in words, and no line ends in a space")
    func figuresInWords() {
        let facts = [CaseFacts(submitted: CalendarDay(year: 2026, month: 11, day: 2)!, wayOfRaising: .open, concerns: [.rudeOrAggressive],
                               professionalGroup: nil, acknowledgedAfterDays: nil, closedAfterDays: nil, acknowledgedLate: false,
                               closedLate: false, speakUpAgain: .dontKnow)]
        let lines = CaseStatistics(facts: facts, today: CalendarDay(year: 2026, month: 11, day: 27)!).lines(width: 76)
        #expect(lines.contains { $0.contains("Rude or aggressive") })
        #expect(!lines.contains { $0.contains("rude-or-aggressive") || $0.contains("dont-know") })
        #expect(!lines.contains { $0.hasSuffix(" ") })
    }

    @Test("the follow-up list says who and what each report was about, with the day")
    func followUpList() {
        let one = FollowUpSnapshotTests.found(.confidential).report
        var two = one
        two.reference = CaseReference("SU-7KQ4-M2XE")!
        two.subject = Subject(name: "Dr Smith", role: "consultant", seniority: .seniorClinician)
        two.concerns = [.unsafePractice]
        let state = FollowUpState(size: .minimum, myReports: [one, two])
        let text = FollowUpSnapshotTests.render(state).text
        #expect(text.contains("about not named"))
        #expect(text.contains("about Dr Smith, consultant"))
        #expect(text.contains("Rude or aggressive, Lack of compassion"))
        #expect(text.contains("Unsafe practice"))
        #expect(text.contains("27 Nov 2026"))
        assertSnapshot(FollowUpSnapshotTests.render(state), named: "follow-up-0-my-reports-two")
    }

    @Test("snapshots at 120x40: the queue, a case, reassigning, a note to save, the question, the figures; follow-up's list, case, reply and question")
    func wideSnapshots() throws {
        var (state, _) = try Self.opened(Self.wide, choices: Self.choices)
        assertSnapshot(CasesTests.screen(state), named: "cases-case-120x40")
        _ = Cases.update(&state, .character("r"))
        assertSnapshot(CasesTests.screen(state), named: "cases-reassign-120x40")
        _ = Cases.update(&state, .escape)
        _ = Cases.update(&state, .character("m"))
        for character in "Which shift was it?" { _ = Cases.update(&state, .character(character)) }
        _ = Cases.update(&state, .tab)
        assertSnapshot(CasesTests.screen(state), named: "cases-message-review-120x40")
        _ = Cases.update(&state, .escape)
        assertSnapshot(CasesTests.screen(state), named: "cases-discard-120x40")
        let queue = try Self.queue(Self.wide)
        assertSnapshot(CasesTests.screen(queue), named: "cases-queue-120x40")
        var leaving = queue
        _ = Cases.update(&leaving, .escape)
        assertSnapshot(CasesTests.screen(leaving), named: "cases-leave-120x40")
        var figures = queue
        Cases.counted(&figures, CaseStatistics(facts: try CasesTests.desk().caseFacts(), today: CalendarDay.local(FakeDesk.moment)))
        assertSnapshot(CasesTests.screen(figures), named: "cases-figures-120x40")

        let found = FollowUpSnapshotTests.found(.confidential)
        var follow = FollowUpState(size: Self.wide, myReports: [found.report])
        assertSnapshot(FollowUpSnapshotTests.render(follow), named: "follow-up-0-my-reports-120x40")
        FollowUp.found(&follow, found)
        assertSnapshot(FollowUpSnapshotTests.render(follow), named: "follow-up-2-case-120x40")
        _ = FollowUp.update(&follow, .character("r"))
        _ = FollowUp.update(&follow, .paste("It happened again this morning."))
        _ = FollowUp.update(&follow, .tab)
        assertSnapshot(FollowUpSnapshotTests.render(follow), named: "follow-up-3-reply-review-120x40")
        _ = FollowUp.update(&follow, .control("c"))
        assertSnapshot(FollowUpSnapshotTests.render(follow), named: "follow-up-5-leave-120x40")
    }

    @Test("snapshots at 80x24: a message to send, the question before leaving, follow-up's reply to send and its question")
    func narrowSnapshots() throws {
        var (state, _) = try Self.opened(.minimum, choices: Self.choices)
        _ = Cases.update(&state, .character("m"))
        for character in "Which shift was it?" { _ = Cases.update(&state, .character(character)) }
        _ = Cases.update(&state, .tab)
        assertSnapshot(CasesTests.screen(state), named: "cases-message-review")
        var leaving = try Self.queue(.minimum)
        _ = Cases.update(&leaving, .escape)
        assertSnapshot(CasesTests.screen(leaving), named: "cases-leave")

        let found = FollowUpSnapshotTests.found(.confidential)
        var follow = FollowUpState(size: .minimum, myReports: [found.report])
        _ = FollowUp.update(&follow, .escape)
        assertSnapshot(FollowUpSnapshotTests.render(follow), named: "follow-up-5-leave")
        _ = FollowUp.update(&follow, .character("n"))
        FollowUp.found(&follow, found)
        _ = FollowUp.update(&follow, .character("r"))
        _ = FollowUp.update(&follow, .paste("It happened again this morning."))
        _ = FollowUp.update(&follow, .tab)
        assertSnapshot(FollowUpSnapshotTests.render(follow), named: "follow-up-3-reply-review")
    }
}
