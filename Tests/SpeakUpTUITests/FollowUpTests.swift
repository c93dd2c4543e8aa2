import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpTUI

@Suite("Follow-up: finding a case, reading it, replying, and the feedback question")
struct FollowUpTests {
    static let clock = FixedClock(Date(timeIntervalSince1970: 1_795_770_106))
    static let person = Reporter(userName: "asha", uid: 1001)

    static func report(_ way: WayOfRaising) -> Report {
        Report(reference: .random(), wayOfRaising: way, concerns: [.rudeOrAggressive],
               subject: Subject(name: nil, role: "", seniority: .manager), location: "Ward 7",
               account: "He shouted.", reporter: person, submitted: .recorded(for: way, at: clock.now()))
    }

    static func typing(_ text: String) -> [Key] { text.map(Key.character) }

    @Test("a badly typed code is refused before any lookup, with an example")
    func malformedCode() {
        var state = FollowUpState(size: .minimum, myReports: [])
        #expect(state.phase == .enteringCode)
        for key in Self.typing("1234 5678") { _ = FollowUp.update(&state, key) }
        #expect(FollowUp.update(&state, .enter).isEmpty)
        #expect(state.notice?.text.contains("16 digits") == true)
    }

    @Test("wrong and unknown codes get the same words; from the fifth in a row, answers slow down")
    func wrongCodes() {
        var state = FollowUpState(size: .minimum, myReports: [])
        for _ in 0..<6 {
            for key in Self.typing("1111222233334444") { _ = FollowUp.update(&state, key) }
            #expect(FollowUp.update(&state, .enter) == [.lookUp(ReceiptCode(typed: "1111222233334444")!)])
            FollowUp.notFound(&state)
            #expect(state.notice?.text == "No report matches that receipt code. Please check the digits and try again.")
            #expect(state.code.text.isEmpty)
        }
        #expect(state.failures == 6)
        #expect(FollowUp.delay(afterFailures: 4) == 0)
        #expect(FollowUp.delay(afterFailures: 5) == 2)
        #expect(FollowUp.delay(afterFailures: 6) == 4)
        #expect(FollowUp.delay(afterFailures: 50) == 30)
    }

    @Test("an anonymous reporter finds the case with the receipt, reads it, and replies")
    func receiptJourney() throws {
        let store = MemoryStore()
        let code = ReceiptCode.random()
        let report = try store.submit(Self.report(.anonymous), receipt: code, discardingDraftOf: nil, router: nil)
        _ = try store.appendEvent(to: report.reference, kind: .handlerMessage, text: "Thank you. Can you tell me which shift?", at: Self.clock.now())
        let paused = Pauses()
        let keys: [Key] = Self.typing(code.description) + [.enter, .character("r"), .paste("The night shift."), .tab, .character("s")]
        let terminal = TestTerminal(keys: keys)
        FollowUpSession(store: store, reporter: nil, clock: Self.clock, pause: { seconds in paused.record(seconds) })
            .run(on: terminal)
        #expect(terminal.frames.contains { $0.text.contains("Can you tell me which shift?") })
        #expect(terminal.screen.contains("Your message is saved."))
        let events = try store.events(for: report.reference)
        #expect(events.map(\.kind) == [.received, .handlerMessage, .reporterMessage])
        #expect(events.last?.text == "The night shift.")
        #expect(events.last?.at == .day("2026-11-27"))  // anonymous: the day only
        #expect(paused.all == [0])
    }

    /// Stands for the receipt's key to a sealed case's replies: "sealing" is base64 here, enough to see
    /// that the screen shows the words opened and the store gets them sealed.
    struct Base64Replies: SealedReplies, ReplyKeys {
        let expected: ReceiptCode

        func replies(to report: Report, receipt code: ReceiptCode) throws(StoreError) -> (any SealedReplies)? {
            guard code == expected else { throw StoreError(.failed, "That code does not open the replies on case \(report.reference.text).") }
            return self
        }

        func repliesSealed(for report: Report) throws(StoreError) -> Bool { true }

        func open(_ events: [CaseEvent]) -> [CaseEvent] {
            events.map { event in
                var event = event
                if let text = event.text, let bytes = SealedEventText.bytes(of: text) { event.text = String(decoding: bytes, as: UTF8.self) }
                return event
            }
        }

        func seal(_ reply: String, actor: String?) throws(StoreError) -> String { SealedEventText.stored(Array(reply.utf8)) }
    }

    @Test("a sealed case's replies are read with the receipt code's key and the reply is sealed; without a key the sealed form is never shown")
    func sealedReplies() throws {
        let store = MemoryStore()
        let code = ReceiptCode.random()
        let report = try store.submit(Self.report(.anonymous), receipt: code, discardingDraftOf: nil, router: nil)
        _ = try store.appendEvent(to: report.reference, kind: .handlerMessage, text: SealedEventText.stored(Array("Which ward were you on?".utf8)),
                                  at: Self.clock.now())
        let keys: [Key] = Self.typing(code.description) + [.enter, .character("r"), .paste("Ward 9."), .tab, .character("s")]
        let terminal = TestTerminal(keys: keys)
        FollowUpSession(store: store, reporter: nil, clock: Self.clock, replyKeys: Base64Replies(expected: code), pause: { _ in }).run(on: terminal)
        #expect(terminal.frames.contains { $0.text.contains("Which ward were you on?") })
        #expect(!terminal.frames.contains { $0.text.contains(SealedEventText.prefix) })
        #expect(terminal.frames.last?.text.contains("Ward 9.") == true, "the reply just sent is shown opened")
        #expect(try store.events(for: report.reference).last?.text == SealedEventText.stored(Array("Ward 9.".utf8)))

    }

    @Test("a named reporter's sealed replies: shown as sealed until K and the reply code open them; a wrong code opens nothing; R asks for the code first, then opens the reply box, and the reply is sealed")
    func namedReporterReplyCode() throws {
        let store = MemoryStore()
        let code = ReceiptCode.random()
        let mine = try store.submit(Self.report(.confidential), receipt: code, discardingDraftOf: nil, router: nil)
        _ = try store.appendEvent(to: mine.reference, kind: .handlerMessage, text: SealedEventText.stored(Array("Can we meet on Friday?".utf8)),
                                  at: Self.clock.now())
        let wrong = ReceiptCode(typed: "0000 0000 0000 0001")!
        let keys: [Key] = [.enter, .character("r")] + Self.typing(wrong.description) + [.enter]
            + Self.typing(code.description) + [.enter, .paste("Friday suits me."), .tab, .character("s")]
        let terminal = TestTerminal(keys: keys)
        FollowUpSession(store: store, reporter: Self.person, clock: Self.clock, replyKeys: Base64Replies(expected: code), pause: { _ in }).run(on: terminal)
        #expect(terminal.frames.contains { $0.text.contains("press K and type your reply code") })
        #expect(terminal.frames.contains { $0.text.contains("type your reply code first") })
        #expect(terminal.frames.contains { $0.text.contains("That code does not open the replies") })
        #expect(terminal.frames.contains { $0.text.contains("Can we meet on Friday?") })
        #expect(!terminal.frames.contains { $0.text.contains(SealedEventText.prefix) })
        let last = try store.events(for: mine.reference).last
        #expect(last?.kind == .reporterMessage && last?.text == SealedEventText.stored(Array("Friday suits me.".utf8)))
        #expect(last?.actor == Self.person.userName)
    }

    @Test("an identified reporter picks from their own reports, and sees nobody else's")
    func myReports() throws {
        let store = MemoryStore()
        let mine = try store.submit(Self.report(.confidential), receipt: nil, discardingDraftOf: nil, router: nil)
        var someoneElse = Self.report(.open)
        someoneElse.reporter = Reporter(userName: "ben", uid: 1002)
        _ = try store.submit(someoneElse, receipt: nil, discardingDraftOf: nil, router: nil)
        let terminal = TestTerminal(keys: [.enter])
        FollowUpSession(store: store, reporter: Self.person, clock: Self.clock, pause: { _ in }).run(on: terminal)
        #expect(terminal.frames.first?.text.contains(mine.reference.text) == true)
        #expect(terminal.frames.first?.text.contains(someoneElse.reference.text) == false)
        #expect(terminal.screen.contains("Case \(mine.reference)"))
        #expect(terminal.screen.contains("Status: Received."))
    }

    @Test("when the reporter's own reports cannot be read, they are told so, never that they have none")
    func unreadableReports() throws {
        let store = MemoryStore()
        _ = try store.submit(Self.report(.confidential), receipt: nil, discardingDraftOf: nil, router: nil)
        store.readFailure = StoreError(.damaged, "The store is damaged. Please tell IT.")
        let terminal = TestTerminal(keys: [])
        FollowUpSession(store: store, reporter: Self.person, clock: Self.clock, pause: { _ in }).run(on: terminal)
        #expect(terminal.screen.contains("Your reports could not be read just now"))
        #expect(terminal.screen.contains("A receipt code still works"))
    }

    @Test("a closed case asks once whether they would speak up again, and stores the answer")
    func feedback() throws {
        let store = MemoryStore()
        let report = try store.submit(Self.report(.confidential), receipt: nil, discardingDraftOf: nil, router: nil)
        _ = try store.appendEvent(to: report.reference, kind: .closed, text: "We spoke with the manager.", at: Self.clock.now())
        let terminal = TestTerminal(keys: [.enter, .enter, .down, .down, .down, .enter])
        FollowUpSession(store: store, reporter: Self.person, clock: Self.clock, pause: { _ in }).run(on: terminal)
        #expect(terminal.frames.contains { $0.text.contains("Given your experience, would you speak up again?") })
        #expect(terminal.frames.contains { $0.text.contains("Please choose an answer with ↑ and ↓") })  // Enter alone chose nothing
        let answer = try #require(try store.events(for: report.reference).last)
        #expect(answer.kind == .speakUpAgain && answer.text == SpeakUpAgain.maybe.rawValue)
        #expect(terminal.screen.contains("Thank you. Your answer is saved"))

        let again = TestTerminal(keys: [.enter])
        FollowUpSession(store: store, reporter: Self.person, clock: Self.clock, pause: { _ in }).run(on: again)
        #expect(!again.screen.contains("would you speak up again?"))  // asked once
    }

    @Test("a reply is sent only with S after Tab; leaving words unsent asks first; Esc on a case goes back to the list; Esc at the top asks")
    func unsentReply() throws {
        let report = Self.report(.confidential)
        var state = FollowUpState(size: .minimum, myReports: [report])
        FollowUp.found(&state, FollowUpState.Case(report: report, events: []))
        _ = FollowUp.update(&state, .character("r"))
        _ = FollowUp.update(&state, .paste("Half a thought"))
        #expect(FollowUp.update(&state, .escape).isEmpty && state.question == .discard)  // words would be lost: asks
        _ = FollowUp.update(&state, .character("n"))
        #expect(state.question == nil && state.reply.text == "Half a thought")
        #expect(FollowUp.update(&state, .control("c")).isEmpty && state.question == .leave)  // Ctrl-C asks too
        _ = FollowUp.update(&state, .escape)  // N: stay
        #expect(FollowUp.update(&state, .tab).isEmpty)  // Tab: done writing, nothing sent yet
        guard case .reviewing = state.phase else { Issue.record("Tab did not show the reply to send"); return }
        #expect(FollowUp.update(&state, .enter).isEmpty)  // a stray Enter sends nothing
        _ = FollowUp.update(&state, .character("e"))
        guard case .replying = state.phase else { Issue.record("E did not go back to the words"); return }
        _ = FollowUp.update(&state, .tab)
        #expect(FollowUp.update(&state, .character("s")) == [.sendReply(report.reference, "Half a thought")])
        // Thrown away, on purpose: back to the case, then the list, then the question.
        _ = FollowUp.update(&state, .escape)
        _ = FollowUp.update(&state, .character("y"))
        guard case .viewing = state.phase else { Issue.record("Y did not go back to the case"); return }
        #expect(state.reply.text.isEmpty)
        #expect(FollowUp.update(&state, .escape).isEmpty && state.phase == .choosing)  // Esc on a case: the list, not the end
        #expect(FollowUp.update(&state, .escape).isEmpty && state.question == .leave)  // a stray Esc at the top asks
        _ = FollowUp.update(&state, .character("n"))
        #expect(state.phase == .choosing)
        _ = FollowUp.update(&state, .escape)
        #expect(FollowUp.update(&state, .character("y")) == [.finish])
    }

    @Test("a case reached by receipt: Esc goes back to an empty code box, then asks before leaving")
    func receiptBack() throws {
        var state = FollowUpState(size: .minimum, myReports: [])
        for character in "1234" { _ = FollowUp.update(&state, .character(character)) }
        FollowUp.found(&state, FollowUpState.Case(report: Self.report(.confidential), events: []))
        #expect(FollowUp.update(&state, .escape).isEmpty && state.phase == .enteringCode && state.code.text.isEmpty)
        #expect(FollowUp.update(&state, .escape).isEmpty && state.question == .leave)
        #expect(FollowUp.update(&state, .character("y")) == [.finish])
    }

    @Test("a confidential report followed up by receipt (a ward terminal) is never called anonymous")
    func confidentialByReceipt() throws {
        var state = FollowUpState(size: .minimum, myReports: [])
        var canvas = Canvas(size: state.size)
        FollowUpView.render(state, into: &canvas)
        #expect(!canvas.text.lowercased().contains("anonymous report"))
        FollowUp.found(&state, FollowUpState.Case(report: Self.report(.confidential), events: []))
        canvas = Canvas(size: state.size)
        FollowUpView.render(state, into: &canvas)
        #expect(!canvas.text.lowercased().contains("anonymous"))
        #expect(canvas.text.contains("raised confidentially"))
        #expect(canvas.text.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("only the person handling the report sees it"))
    }

    @Test("the timeline does not scroll past its end")
    func scrollClamped() {
        var state = FollowUpState(size: .minimum, myReports: [])
        let found = FollowUpState.Case(report: Self.report(.confidential), events: [])
        FollowUp.found(&state, found)
        for _ in 0..<50 { _ = FollowUp.update(&state, .down) }
        #expect(state.top == FollowUpView.maxTop(found, state.size))
    }

    @Test("a reply that cannot be saved keeps the words and says so")
    func replyFails() throws {
        let store = MemoryStore()
        let report = try store.submit(Self.report(.confidential), receipt: nil, discardingDraftOf: nil, router: nil)
        #expect(try store.reports(raisedBy: Self.person) == [report])
        store.failure = StoreError(.diskFull, "The disk holding the store is full.")
        let retry = TestTerminal(batches: [[.enter], [.character("r"), .paste("Still worried."), .tab, .character("s")]])
        FollowUpSession(store: store, reporter: Self.person, clock: Self.clock, pause: { _ in }).run(on: retry)
        #expect(retry.screen.contains("The disk holding the store is full."))
        #expect(retry.screen.contains("Still worried."))
    }
}

/// Pauses asked for by a session, recorded safely from any thread.
final class Pauses: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: [Double] = []
    func record(_ value: Double) { lock.withLock { seconds.append(value) } }
    var all: [Double] { lock.withLock { seconds } }
}
