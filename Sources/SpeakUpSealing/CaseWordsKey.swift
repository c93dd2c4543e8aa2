import Foundation
import SpeakUpCore

/// One sealed case's content key, unwrapped in a session: what seals the words of the case's events
/// (`SealedEventText`: a handler's note or message, a reporter's reply) and opens them again.
///
/// A handler's session unwraps it with their own key, a reporter's with the key their receipt code makes
/// (`ReporterKey`). It lives only as long as the screen that needs it.
public struct CaseWordsKey: Sendable {
    public let reference: CaseReference
    let content: ContentKey

    init(reference: CaseReference, content: ContentKey) {
        self.reference = reference
        self.content = content
    }

    /// The case's content key, unwrapped by `pair` from the wrapping kept for it.
    public init(_ reference: CaseReference, wrapped: [UInt8], with pair: SealingKeyPair) throws(SealingFailure) {
        self.init(reference: reference, content: try pair.unwrap(try WrappedContentKey(stored: wrapped), for: reference))
    }

    /// `text` sealed as the words of an event of `kind` written by `actor` (nil: a reporter nobody may name).
    public func seal(_ text: String, kind: CaseEvent.Kind, actor: String?) throws(SealingFailure) -> String {
        let field = try content.seal(text, as: SealingContext(reference, field: SealedEventText.field(kind: kind, actor: actor)))
        return SealedEventText.stored(field.bytes)
    }

    /// The event with its sealed words opened; words that do not open (changed, moved from another
    /// case, kind or writer) are not shown: the reason is, with the case named.
    public func open(_ event: CaseEvent) -> CaseEvent {
        guard let text = event.text, SealedEventText.isSealed(text) else { return event }
        var event = event
        do { event.text = try openText(event) } catch {
            event.text = SealingFailure.tampered(event.reference, field: SealedEventText.field(kind: event.kind, actor: event.actor)).sentence
        }
        return event
    }

    /// An event's sealed words opened, or the refusal (`tampered`) when they do not open.
    public func openText(_ event: CaseEvent) throws(SealingFailure) -> String {
        let context = SealingContext(reference, field: SealedEventText.field(kind: event.kind, actor: event.actor))
        guard event.reference == reference, let text = event.text, let bytes = SealedEventText.bytes(of: text) else {
            throw .tampered(event.reference, field: context.field)
        }
        do { return try content.open(try SealedField(stored: bytes), as: context) } catch {
            throw .tampered(event.reference, field: context.field)
        }
    }

    public func open(_ events: [CaseEvent]) -> [CaseEvent] { events.map(open) }

    /// A handler's action with its words sealed as the event it becomes will keep them: a note, a
    /// message, and what was learned at a closing (kept as a note); other actions as they are.
    public func sealing(_ action: CaseAction, by handler: String) throws(SealingFailure) -> CaseAction {
        switch action {
        case .note(let text) where !text.isBlank:
            return .note(try seal(text, kind: .note, actor: handler))
        case .message(let text) where !text.isBlank:
            return .message(try seal(text, kind: .handlerMessage, actor: handler))
        case .close(let outcome, _):
            guard let learned = action.learnedNote else { return action }
            return .close(outcome, learned: try seal(learned, kind: .note, actor: handler))
        default:
            return action
        }
    }
}
