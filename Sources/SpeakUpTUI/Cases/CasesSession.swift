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
    /// Why this handler must not see a case (they are its subject, or managed by them), if so.
    let conflict: (Report) -> String?

    public init(desk: any CaseDesk, handler: String, clock: any Clock,
                prepare: @escaping (CaseFile) -> CaseFile = { $0 }, conflict: @escaping (Report) -> String? = { _ in nil }) {
        self.desk = desk
        self.handler = handler
        self.clock = clock
        self.prepare = prepare
        self.conflict = conflict
    }

    public func run(on terminal: some Terminal) {
        let waiting = (try? desk.reminders(for: handler)) ?? []
        let conflicted = Set(((try? desk.reports(waiting.map(\.reference))) ?? []).filter { conflict($0) != nil }.map(\.reference))
        let reminders = waiting.filter { !conflicted.contains($0.reference) }
        var state = CasesState(size: terminal.size, handler: handler, now: clock.now(), reminders: reminders)
        if reminders.isEmpty { carryOut(.loadQueue(state.query), &state) }
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
                let rows = try desk.queue(query, for: handler, now: state.now)
                Cases.loaded(&state, try visible(rows), for: query, fetched: rows.count)
            case .open(let reference):
                guard let file = try desk.openCase(reference, for: handler, at: state.now, refusal: conflict) else {
                    Cases.failed(&state, "Case \(reference) is no longer with you.")
                    return
                }
                state.caseTop = 0
                Cases.opened(&state, prepare(file))
            case .act(let reference, let action):
                if let report = try desk.report(reference), let reason = conflict(report) {
                    Cases.failed(&state, reason)
                    return
                }
                try desk.act(action, on: reference, by: handler, at: state.now)
                // From here the action is saved: a failure to show the case again must not invite a second send.
                do throws(StoreError) {
                    if let file = try desk.openCase(reference, for: handler, at: state.now, refusal: conflict) {
                        Cases.opened(&state, prepare(file), news: Self.news(for: action))
                    } else {
                        Cases.handedOver(&state, "Case \(reference) is no longer with you: \(Self.news(for: action))")
                        let rows = try desk.queue(state.query.firstPage, for: handler, now: state.now)
                        Cases.loaded(&state, try visible(rows), for: state.query.firstPage, fetched: rows.count)
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

    /// The rows this handler may see: a case about them, or about someone who manages them,
    /// never shows, even if the rules or the directory changed after it was routed.
    private func visible(_ rows: [QueueRow]) throws(StoreError) -> [QueueRow] {
        let conflicted = Set(try desk.reports(rows.map(\.reference)).filter { conflict($0) != nil }.map(\.reference))
        return rows.filter { !conflicted.contains($0.reference) }
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
        }
    }

    private func draw(_ state: CasesState, on terminal: some Terminal) {
        var canvas = Canvas(size: state.size)
        CasesView.render(state, into: &canvas)
        terminal.draw(canvas)
    }
}
