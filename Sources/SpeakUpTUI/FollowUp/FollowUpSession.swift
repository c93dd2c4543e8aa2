import Foundation
import SpeakUpCore

/// Runs follow-up on a terminal: keys in, effects carried out against the store, canvas drawn.
public struct FollowUpSession {
    let store: any ReporterFollowUp
    let reporter: Reporter?
    let clock: any Clock
    /// Waits before answering a receipt check (the slow-down after wrong codes); tests pass a no-op.
    let pause: @Sendable (Double) -> Void

    public init(store: any ReporterFollowUp, reporter: Reporter?, clock: any Clock,
                pause: @escaping @Sendable (Double) -> Void = { if $0 > 0 { usleep(useconds_t($0 * 1_000_000)) } }) {
        self.store = store
        self.reporter = reporter
        self.clock = clock
        self.pause = pause
    }

    public func run(on terminal: some Terminal) {
        var mine: [Report] = []
        var unreadable: String? = nil
        if let reporter {
            do { mine = try store.reports(raisedBy: reporter) } catch { unreadable = error.sentence }
        }
        var state = FollowUpState(size: terminal.size, myReports: mine)
        // Never "you have no reports" on a failed read: say it, and a receipt code still works.
        if let unreadable { state.notice = .problem("Your reports could not be read just now (\(unreadable)) A receipt code still works.") }
        // Who the reporter's replies are from: their login for their own open or confidential
        // report; nobody for a report reached by receipt code (anonymous, or from a shared terminal).
        var actor: String? = nil
        draw(state, on: terminal)
        while let keys = terminal.nextKeys() {
            keys: for key in keys {
                for effect in FollowUp.update(&state, key) {
                    switch effect {
                    case .finish:
                        return
                    case .lookUp(let code):
                        draw(state, on: terminal)  // "Checking the code…"
                        pause(FollowUp.delay(afterFailures: state.failures))
                        do {
                            if let report = try store.report(forReceipt: code) {
                                actor = nil
                                FollowUp.found(&state, try load(report))
                            } else {
                                FollowUp.notFound(&state)
                            }
                        } catch {
                            FollowUp.failed(&state, error.sentence, backTo: .enteringCode)
                        }
                        terminal.discardTypeahead()
                        break keys
                    case .open(let report):
                        actor = report.reporter?.userName
                        do { FollowUp.found(&state, try load(report)) } catch { FollowUp.failed(&state, error.sentence, backTo: .choosing) }
                    case .sendReply(let reference, let text):
                        carryOut(&state, retry: "press S to try again") { () throws(StoreError) in try store.appendEvent(to: reference, kind: .reporterMessage, text: text, actor: actor, at: clock.now()) }
                        if state.notice?.tone != .problem, case .viewing = state.phase {
                            state.reply.setText("")
                            state.notice = .info("Your message is saved. The person handling your report will see it.")
                        }
                    case .answer(let reference, let answer):
                        carryOut(&state, retry: "press Enter to try again") { () throws(StoreError) in try store.appendEvent(to: reference, kind: .speakUpAgain, text: answer.rawValue, actor: actor, at: clock.now()) }
                        if state.notice?.tone != .problem {
                            state.notice = .info("Thank you. Your answer is saved and helps make speaking up better here.")
                        }
                    }
                }
            }
            draw(state, on: terminal)
        }
    }

    private func load(_ report: Report) throws(StoreError) -> FollowUpState.Case {
        // Internal notes and handlers' reassignments never reach the reporter's screen.
        FollowUpState.Case(report: report, events: try store.events(for: report.reference).filter(\.kind.isShownToReporter),
                           routing: try store.routing(for: report.reference))
    }

    /// Appends an event, then shows the case again with its new timeline.
    private func carryOut(_ state: inout FollowUpState, retry: String, _ append: () throws(StoreError) -> CaseEvent) {
        let current: FollowUpState.Case
        switch state.phase {
        case .replying(let found), .reviewing(let found), .askingFeedback(let found), .viewing(let found): current = found
        default: return
        }
        do {
            let event = try append()
            var updated = current
            updated.events.append(event)
            state.phase = .viewing(updated)
        } catch {
            FollowUp.failed(&state, error.sentence + " Nothing was lost; \(retry).", backTo: state.phase)
        }
    }

    private func draw(_ state: FollowUpState, on terminal: some Terminal) {
        var canvas = Canvas(size: state.size)
        FollowUpView.render(state, into: &canvas)
        terminal.draw(canvas)
    }
}
