import Foundation
import SpeakUpCore

/// Runs the handler's workspace on a terminal: keys in, effects carried out
/// against the store's `CaseDesk`, canvas drawn.
public struct CasesSession {
    let desk: any CaseDesk
    let handler: String
    let clock: any Clock
    /// Fills in what the store cannot know: the handlers a case may be passed to.
    let prepare: (CaseFile) -> CaseFile

    /// The desk enforces who may see what (its `HandlerPolicy`); this only shows what it returns.
    public init(desk: any CaseDesk, handler: String, clock: any Clock, prepare: @escaping (CaseFile) -> CaseFile = { $0 }) {
        self.desk = desk
        self.handler = handler
        self.clock = clock
        self.prepare = prepare
    }

    /// What the workspace opens on, read before the first screen. A read that fails stops
    /// here with its sentence: showing every reminder, or none, on a guess would mislead.
    public func opening() throws(StoreError) -> (reminders: [Reminder], unrouted: [UnroutedCase]) {
        (try desk.reminders(for: handler), try desk.unrouted())
    }

    public func run(on terminal: some Terminal, reminders: [Reminder], unrouted: [UnroutedCase]) {
        var state = CasesState(size: terminal.size, handler: handler, now: clock.now(), reminders: reminders, unrouted: unrouted)
        if reminders.isEmpty && unrouted.isEmpty { carryOut(.loadQueue(state.query), &state) }
        draw(state, on: terminal)
        while let keys = terminal.nextKeys() {
            for key in keys {
                for effect in Cases.update(&state, key) {
                    if effect == .finish { return }
                    carryOut(effect, &state)
                }
            }
            draw(state, on: terminal)
        }
    }

    private func carryOut(_ effect: Cases.Effect, _ state: inout CasesState) {
        state.now = clock.now()
        do throws(StoreError) {
            switch effect {
            case .loadQueue(let query):
                let page = try desk.queue(query, for: handler, now: state.now)
                Cases.loaded(&state, page.rows, for: query, fetched: page.fetched)
            case .open(let reference):
                guard let file = try desk.openCase(reference, for: handler, at: state.now) else {
                    Cases.failed(&state, "Case \(reference) is no longer with you.")
                    return
                }
                state.caseTop = 0
                Cases.opened(&state, prepare(file))
            case .act(let reference, let action):
                try desk.act(action, on: reference, by: handler, at: state.now)
                // From here the action is saved: a failure to show the case again must not invite a second send.
                do throws(StoreError) {
                    if let file = try desk.openCase(reference, for: handler, at: state.now) {
                        Cases.opened(&state, prepare(file), news: Self.news(for: action))
                    } else {
                        Cases.handedOver(&state, "Case \(reference) is no longer with you: \(Self.news(for: action))")
                        let page = try desk.queue(state.query.firstPage, for: handler, now: state.now)
                        Cases.loaded(&state, page.rows, for: state.query.firstPage, fetched: page.fetched)
                    }
                } catch {
                    Cases.handedOver(&state, "Saved. \(Self.news(for: action)) The case could not be shown again just now (\(error.sentence)); open it from the queue.")
                }
            case .loadStatistics:
                Cases.counted(&state, CaseStatistics(facts: try desk.caseFacts(), today: clock.today()))
            case .dismissReminders:
                try desk.dismissReminders(for: handler)
            case .finish:
                break
            }
        } catch {
            Cases.failed(&state, error.sentence + " Nothing you wrote was lost.")
        }
    }


    static func news(for action: CaseAction) -> String {
        switch action {
        case .acknowledge: "Acknowledged. The reporter sees that their report has been read."
        case .note: "Your note is saved. The reporter never sees notes."
        case .message: "Your message is saved. The reporter reads it in follow-up."
        case .changeLevel(let level): "The level is now \(level.rawValue)."
        case .reassign(let to): "passed to \(to)."
        case .recuse: "you stepped away: it stays with its other handlers, or, as you were the last, has gone to the eligible ones."
        case .close: "Closed. The reporter is asked whether they would speak up again."
        case .legalHold: "The case is under legal hold: nothing of it will be erased until the hold is lifted."
        case .liftLegalHold: "The legal hold is lifted: the retention policy applies to the case again."
        }
    }

    private func draw(_ state: CasesState, on terminal: some Terminal) {
        var canvas = Canvas(size: state.size)
        CasesView.render(state, into: &canvas)
        terminal.draw(canvas)
    }
}
