import Foundation
import SpeakUpCore

/// What a case looks like to the rules for a handler's action, read inside the action's transaction.
public protocol CaseStateReading {
    /// The case's level now.
    func level() throws -> String?
    /// Whether `handler` stepped away from the case.
    func hasSteppedAway(_ handler: String) throws -> Bool
    /// Everyone who stepped away from the case.
    func steppedAway() throws -> Set<String>
    /// The case's handlers other than `handler`.
    func handlers(except handler: String) throws -> [String]
    /// Whether the case is under legal hold now (its latest hold event sets one).
    func isUnderLegalHold() throws -> Bool
}

/// What a handler's action becomes as a case event, and when it is refused: the same rules and
/// the same words on every engine.
public enum CaseActionRules {
    /// Refuses anything but a note or a legal hold (set or lifted) on a closed case.
    public static func checkOpen(status: String?, for action: CaseAction, on reference: CaseReference) throws(StoreError) {
        guard status == "closed" else { return }
        switch action {
        case .note, .legalHold, .liftLegalHold: return  // a closed case is what a hold keeps
        default: break
        }
        throw StoreError(.failed, "Case \(reference) is closed, so only a note can be added to it.")
    }

    /// The refusal of a handler who does not (or no longer) have the case.
    public static func notWith(_ reference: CaseReference) -> StoreError {
        StoreError(.missing, "Case \(reference) is not (or no longer) with you, so nothing was changed.")
    }

    /// The refusal of passing a case to someone the policy keeps from it.
    public static func cannotGo(to handler: String, because reason: String) -> StoreError {
        StoreError(.failed, "The case cannot go to \(handler): \(reason.prefix(1).lowercased() + reason.dropFirst())")
    }

    /// The internal note kept just before a closing (`CaseAction.learnedNote`).
    public static func learnedNote(for action: CaseAction) -> String? { action.learnedNote }

    /// Carries out `action` by `handler` on a case known to be theirs, inside the caller's transaction:
    /// the policy's refusals first (`refusal`, for them and for whoever the case is passed to; none
    /// without a `report`), then the events through `append` (kind, text, detail), what was learned as
    /// a note before a closing.
    public static func carryOut(_ action: CaseAction, on reference: CaseReference, by handler: String, report: Report?, status: String?,
                                refusal: (String, Report) -> String?, state: some CaseStateReading,
                                append: (CaseEvent.Kind, String?, String?) throws -> Void) throws {
        if let report {
            if let reason = refusal(handler, report) { throw StoreError(.failed, reason) }
            if case .reassign(let to) = action, let reason = refusal(to, report) { throw cannotGo(to: to, because: reason) }
        }
        try checkOpen(status: status, for: action, on: reference)
        if let learned = learnedNote(for: action) { try append(.note, learned, nil) }
        let (kind, text, detail) = try event(for: action, handler: handler, reference: reference, state: state)
        try append(kind, text, detail)
    }

    /// The event's kind, text and detail for `action` by `handler`.
    public static func event(for action: CaseAction, handler: String, reference: CaseReference, state: some CaseStateReading) throws
        -> (CaseEvent.Kind, String?, String?) {
        switch action {
        case .acknowledge:
            return (.acknowledged, nil, nil)
        case .note(let text):
            guard !text.isBlank else { throw StoreError(.failed, "An empty note was not saved.") }
            return (.note, text, nil)
        case .message(let text):
            guard !text.isBlank else { throw StoreError(.failed, "An empty message was not sent.") }
            return (.handlerMessage, text, nil)
        case .changeLevel(let level):
            let current = try state.level() ?? "informal"
            guard current != level.rawValue else { throw StoreError(.failed, "The case is already at the \(level.rawValue) level.") }
            return (.levelChanged, "Level changed from \(current) to \(level.rawValue).",
                    StoredForm.actionDetail(["from": current, "level": level.rawValue]))
        case .reassign(let to):
            guard to != handler else { throw StoreError(.failed, "The case is already with you.") }
            if try state.hasSteppedAway(to) {
                throw StoreError(.failed, "\(to) stepped away from this case for a conflict of interest, so it cannot go to them.")
            }
            return (.reassigned, "Passed from \(handler) to \(to).", StoredForm.actionDetail(["from": handler, "to": to]))
        case .recuse(let to):
            // The case stays with its other handlers if it has any; else it goes to the eligible ones
            // offered, less anyone who has stepped away before.
            let remaining = try state.handlers(except: handler)
            let recused = try state.steppedAway()
            let next = remaining.isEmpty ? to.filter { $0 != handler && !recused.contains($0) } : []
            guard !(remaining + next).isEmpty else {
                throw StoreError(.failed, "There is nobody else eligible to take this case, so you cannot step away yet. Please ask an administrator to add a handler.")
            }
            let passed = next.isEmpty ? "" : " Passed to \(next.joined(separator: ", "))."
            return (.recused, "\(handler) stepped away for a conflict of interest." + passed,
                    StoredForm.actionDetail(["handler": handler, "to": next]))
        case .close(let outcome, _):
            return (.closed, "Outcome: \(outcome.title).", StoredForm.actionDetail(["outcome": outcome.rawValue]))
        case .legalHold(let reason):
            guard !reason.isBlank else {
                throw StoreError(.failed, "A legal hold needs a reason (such as the claim or inquiry it is for), so none was set.")
            }
            guard try !state.isUnderLegalHold() else {
                throw StoreError(.failed, "Case \(reference) is already under legal hold, so nothing was changed.")
            }
            return (.legalHold, reason, nil)
        case .liftLegalHold(let reason):
            guard !reason.isBlank else {
                throw StoreError(.failed, "Lifting a legal hold needs a reason, so the hold is still in place.")
            }
            guard try state.isUnderLegalHold() else {
                throw StoreError(.failed, "Case \(reference) is not under legal hold, so there is no hold to lift.")
            }
            return (.legalHoldLifted, reason, nil)
        }
    }
}
