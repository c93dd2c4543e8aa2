import Foundation
import SpeakUpCore

/// A shared terminal's whole life: the welcome screen, then one person's report
/// or follow-up, then the welcome again, cleared for the next person. It ends
/// only when the terminal goes away, or (on a ward terminal) on Ctrl-Q.
public struct SharedTerminalSession {
    let store: any ReportingStore
    let station: Station
    let clock: any Clock
    let router: (any CaseRouter)?
    let idleSeconds: Int
    let gate: SubmissionGate?
    /// Waits before answering a receipt check (follow-up's slow-down after wrong codes).
    let pause: @Sendable (Double) -> Void
    /// The store's housekeeping after a report is saved and the reporter told.
    let afterSaved: @Sendable () -> Void
    /// Opens and seals a sealed case's replies in follow-up (nil: a store that does not seal).
    let replyKeys: (any ReplyKeys)?

    public init(store: any ReportingStore, station: Station, clock: any Clock, router: (any CaseRouter)?, idleSeconds: Int,
                gate: SubmissionGate? = nil, afterSaved: @escaping @Sendable () -> Void = {}, replyKeys: (any ReplyKeys)? = nil,
                pause: @escaping @Sendable (Double) -> Void = { if $0 > 0 { usleep(useconds_t($0 * 1_000_000)) } }) {
        self.store = store
        self.station = station
        self.clock = clock
        self.router = router
        self.idleSeconds = idleSeconds
        self.gate = gate
        self.pause = pause
        self.afterSaved = afterSaved
        self.replyKeys = replyKeys
    }

    /// How the terminal's life ended.
    public enum Ending: Hashable, Sendable {
        /// Input closed (a hang-up).
        case hungUp
        /// Closed from the welcome screen (ward only).
        case closed
    }

    public func run(on terminal: some Terminal) -> Ending {
        var welcome = Welcome.State(station: station, size: terminal.size, idleSeconds: idleSeconds)
        draw(welcome, on: terminal)
        while let keys = terminal.nextKeys() {
            for key in keys {
                guard let choice = Welcome.update(&welcome, key) else { continue }
                let guarded = IdleGuard(terminal, timeout: Double(idleSeconds), clock: clock)
                switch choice {
                case .close:
                    return .closed
                case .report:
                    let outcome = ReporterSession(
                        store: store, reporter: nil, clock: clock, router: router, station: station, gate: gate, afterSaved: afterSaved
                    ).run(on: guarded)
                    if !guarded.expired, outcome == .hungUp { return .hungUp }
                    welcome.notice = switch outcome {
                    case .submitted: "Thank you for speaking up. Your report is saved, and the screen has been cleared for the next person."
                    case .hungUp: "The last form was cleared after \(welcome.idleWords) without a key, to keep it private. Nothing on it was sent."
                    case .left, .keptDraft: "Nothing was sent, and the form has been cleared."
                    }
                case .followUp:
                    FollowUpSession(store: store, reporter: nil, clock: clock, router: router, replyKeys: replyKeys, pause: pause).run(on: guarded)
                    if !guarded.expired, terminalClosed(terminal) { return .hungUp }
                    welcome.notice = guarded.expired ? "The screen was cleared after a while without a key, to keep it private." : nil
                }
                welcome.size = terminal.size
                // The next person starts from a clean slate: keys typed at the last form go too.
                terminal.discardTypeahead()
                break
            }
            draw(welcome, on: terminal)
        }
        return .hungUp
    }

    private func terminalClosed(_ terminal: some Terminal) -> Bool {
        (terminal as? CursesTerminal)?.hungUp ?? false
    }

    private func draw(_ state: Welcome.State, on terminal: some Terminal) {
        var canvas = Canvas(size: state.size)
        Welcome.render(state, into: &canvas)
        terminal.draw(canvas)
    }
}
