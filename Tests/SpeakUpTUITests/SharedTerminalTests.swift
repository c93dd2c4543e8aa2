import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpTUI

/// A terminal whose empty batches stand for a quiet keyboard: each one moves the
/// clock on by the time the program said it would wait.
final class QuietTerminal: Terminal {
    var size = Size.minimum
    private var batches: [[Key]]
    let clock: FixedClock
    private(set) var frames: [Canvas] = []

    init(batches: [[Key]], clock: FixedClock) {
        self.batches = batches.reversed()
        self.clock = clock
    }

    func nextKeys() -> [Key]? { batches.popLast() }

    func nextKeys(waitingAtMost seconds: Double) -> [Key]? {
        guard let batch = batches.popLast() else { return nil }
        if batch.isEmpty { clock.advance(by: seconds) }
        return batch
    }

    func draw(_ canvas: Canvas) { frames.append(canvas) }
    func discardTypeahead() {}
    var screen: String { frames.last?.text ?? "" }
}

@Suite("Shared terminals: the welcome screen, the idle clear, ward names and the kiosk's limit")
struct SharedTerminalTests {
    static let moment = Date(timeIntervalSince1970: 1_795_770_106)

    @Test("the welcome screen: Enter reports, F follows up, Ctrl-Q closes a ward terminal only, other keys do nothing")
    func welcomeKeys() {
        var ward = Welcome.State(station: .ward(location: "Ward 7"), size: .minimum, idleSeconds: 120)
        #expect(Welcome.update(&ward, .enter) == .report)
        #expect(Welcome.update(&ward, .character("f")) == .followUp)
        #expect(Welcome.update(&ward, .control("q")) == .close)
        var kiosk = Welcome.State(station: .kiosk(location: nil), size: .minimum, idleSeconds: 120)
        #expect(Welcome.update(&kiosk, .control("q")) == nil)
        for letter in "abcdeghijklmnopqrstuvwxyz" {
            #expect(Welcome.update(&kiosk, .control(letter)) == nil)
        }
        #expect(Welcome.update(&kiosk, .escape) == nil)
        #expect(Welcome.update(&kiosk, .function(10)) == nil)
        #expect(Welcome.update(&kiosk, .paste("\u{1B}]0;owned\u{07}")) == nil)
    }

    @Test("snapshots: the ward and kiosk welcome screens, and the countdown")
    func snapshots() {
        var canvas = Canvas(size: .minimum)
        Welcome.render(Welcome.State(station: .ward(location: "Ward 7"), size: .minimum, idleSeconds: 120), into: &canvas)
        assertSnapshot(canvas, named: "welcome-ward")
        canvas = Canvas(size: .minimum)
        Welcome.render(Welcome.State(station: .kiosk(location: "Main entrance"), size: .minimum, idleSeconds: 90,
                                     notice: "Thank you for speaking up. Your report is saved, and the screen has been cleared for the next person."),
                       into: &canvas)
        assertSnapshot(canvas, named: "welcome-kiosk")
        var form = FormDriver()
        form.press(.down, .enter)
        canvas = form.screen
        IdleCountdown.render(secondsLeft: 17, into: &canvas)
        assertSnapshot(canvas, named: "idle-countdown")
        canvas = Canvas(size: .minimum)
        IdleCountdown.render(IdleCountdown.locking(12), into: &canvas)
        #expect(screenWords(canvas.text).contains("the workspace will lock in 12 seconds: your key is put away"))
    }

    @Test("a location with escape sequences is drawn harmlessly")
    func locationSanitised() {
        var canvas = Canvas(size: .minimum)
        Welcome.render(Welcome.State(station: .kiosk(location: "Hall\u{1B}]0;owned\u{07}\u{202E}"), size: .minimum, idleSeconds: 120), into: &canvas)
        #expect(!canvas.text.contains("\u{1B}") && !canvas.text.contains("\u{07}") && !canvas.text.contains("\u{202E}"))
    }

    @Test("the countdown shows in the last 20 seconds; a key stops it and does nothing else; silence clears the form")
    func idleGuard() {
        let clock = FixedClock(Self.moment)
        // 100 s quiet (the countdown starts), an Enter, a letter; then silence until it clears.
        let inner = QuietTerminal(batches: [[], [.enter], [.character("a")]] + Array(repeating: [], count: 25), clock: clock)
        let guarded = IdleGuard(inner, timeout: 120, clock: clock)
        guarded.draw(Canvas(size: .minimum))
        // The Enter only stopped the countdown; the letter is the first key the form sees.
        #expect(guarded.nextKeys() == [.character("a")])
        #expect(inner.frames.contains { $0.text.contains("this screen will be cleared in 20 seconds") })
        #expect(inner.frames.last?.text.contains("cleared in") == false)
        #expect(!guarded.expired)
        #expect(guarded.nextKeys() == nil)
        #expect(guarded.expired)
        #expect(inner.frames.contains { $0.text.contains("cleared in 1 second,") })
    }

    @Test("a timed wait on a shared terminal ends when asked (it used to wait for a key), and still counts towards the idle time")
    func idleGuardTimedWait() {
        let clock = FixedClock(Self.moment)
        let inner = QuietTerminal(batches: Array(repeating: [], count: 400), clock: clock)
        let guarded = IdleGuard(inner, timeout: 120, clock: clock)
        let start = clock.elapsed()
        #expect(guarded.nextKeys(waitingAtMost: 0.5) == [])
        #expect(clock.elapsed() - start == 0.5)  // it gave up when asked, not at the idle time
        // Waits that add up to the idle time clear the form all the same.
        var ended = false
        for _ in 0..<400 where guarded.nextKeys(waitingAtMost: 1) == nil {
            ended = true
            break
        }
        #expect(ended && guarded.expired)
        #expect(clock.elapsed() - start == 120)
    }

    @Test("an untouched form is cleared after the idle time and the welcome says so, with nothing stored")
    func idleClears() throws {
        let clock = FixedClock(Self.moment)
        let store = MemoryStore()
        let terminal = QuietTerminal(batches: [[.enter], [.down, .enter]] + Array(repeating: [], count: 30), clock: clock)
        let ending = SharedTerminalSession(store: store, station: .ward(location: "Ward 7"), clock: clock, router: nil, idleSeconds: 120)
            .run(on: terminal)
        #expect(ending == .hungUp)  // the script ran out
        #expect(terminal.screen.contains("The last form was cleared after 2 minutes without a key"))
        #expect(try store.allReports().isEmpty)
        #expect(terminal.frames.contains { $0.text.contains("cleared in 20 seconds") })
    }

    @Test("at a ward terminal a given name is kept, the shared login is not, no draft is written, and a receipt is shown")
    func wardReport() throws {
        let clock = FixedClock(Self.moment)
        let store = MemoryStore()
        var keys: [Key] = [.down, .down, .enter]  // confidential
        keys += [.tab, .tab, .tab, .down, .enter, .down, .character(" "), .enter, .down, .enter, .enter]
        keys += [.enter, .down, .enter, .tab, .paste("He shouted."), .tab, .tab, .down, .enter, .enter, .enter]
        keys += "Sam Okafor".map(Key.character) + [.enter, .enter, .tab] + Characteristic.allCases.map { _ in Key.tab } + [.character("s")]
        let terminal = QuietTerminal(batches: [[.enter]] + keys.map { [$0] } + [[.enter]], clock: clock)
        _ = SharedTerminalSession(store: store, station: .ward(location: "Ward 7"), clock: clock, router: nil, idleSeconds: 120)
            .run(on: terminal)
        let saved = try #require(try store.allReports().first)
        #expect(saved.wayOfRaising == .confidential)
        #expect(saved.reporter == nil)
        #expect(saved.reporterDetails?.name == "Sam Okafor")
        #expect(saved.station == .ward(location: "Ward 7"))
        #expect(saved.location == "Ward 7")  // where it happened starts at the terminal's place
        #expect(store.receiptCount == 1)
        #expect(terminal.frames.contains { $0.text.contains("Your receipt code is") })
        #expect(terminal.screen.contains("Thank you for speaking up. Your report is saved"))
        #expect(!terminal.screen.contains("He shouted."))
    }

    @Test("a kiosk takes anonymous reports only, up to its hourly limit; the next waits with its words kept and says why")
    func kioskLimit() throws {
        let clock = FixedClock(Self.moment)
        let store = MemoryStore()
        let gate = KioskLimit(perHour: 2, clearedAfter: 120)
        let one = [[Key.enter]] + ReporterSessionTests.keys(way: 0).map { [$0] } + [[.enter]]
        let terminal = QuietTerminal(batches: one + one + one, clock: clock)
        _ = SharedTerminalSession(store: store, station: .kiosk(location: nil), clock: clock, router: nil, idleSeconds: 120, gate: gate)
            .run(on: terminal)
        let reports = try store.allReports()
        #expect(reports.count == 2)
        #expect(reports.allSatisfy { $0.wayOfRaising == .anonymous && $0.reporter == nil && $0.station == .kiosk(location: nil) })
        let refused = try #require(terminal.frames.last { $0.text.contains("This kiosk takes at most 2 reports an hour") })
        #expect(refused.text.contains("Please check your report"))  // still on the check page, answers intact
        // It says truly how long the answers stay: the kiosk's idle wipe clears them all the same.
        #expect(refused.text.words.contains("Your answers stay on this screen only while you use it: after 2 minutes without a key it is cleared for the next person"))
        clock.advance(by: 3600)
        #expect(gate.refusal(at: clock.now()) == nil)
    }

    @Test("F on the welcome screen follows a report up by its receipt code, then the welcome returns")
    func followUpFromWelcome() throws {
        let clock = FixedClock(Self.moment)
        let store = MemoryStore()
        let code = ReceiptCode.random()
        _ = try store.submit(
            Report(reference: .random(), wayOfRaising: .anonymous, concerns: [.rudeOrAggressive],
                   subject: Subject(name: nil, role: "", seniority: .staff), location: "", account: "Shouted.",
                   reporter: nil, submitted: .recorded(for: .anonymous, at: Self.moment), station: .kiosk(location: nil)),
            receipt: code, discardingDraftOf: nil, router: nil)
        let keys: [[Key]] = [[.character("f")]] + code.digits.map { [.character($0)] } + [[.enter], [.escape]]
        let terminal = QuietTerminal(batches: keys, clock: clock)
        _ = SharedTerminalSession(store: store, station: .kiosk(location: nil), clock: clock, router: nil, idleSeconds: 120, pause: { _ in })
            .run(on: terminal)
        #expect(terminal.frames.contains { $0.text.contains("Status: Received.") })
        #expect(terminal.screen.contains("Report a concern"))
    }
}

/// The words of a screen, one space between each (however they wrapped).
private func screenWords(_ text: String) -> String {
    text.split(whereSeparator: { $0.isWhitespace || $0 == "│" || $0 == "|" }).joined(separator: " ")
}
