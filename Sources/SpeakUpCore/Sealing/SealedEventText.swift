import Foundation

/// The words of a case event as a sealing store keeps them (docs/security.md): a handler's note
/// (what was learned, at a closing, is one), a handler's message to the reporter, and the reporter's
/// message back, on a case whose report is sealed.
///
/// They are sealed under the case's own content key, bound to the case, the event's kind and who
/// wrote it, and kept in the event's text as `prefix` and the sealed bytes in base64: everything that
/// copies, digests, audits or erases events keeps working, and nothing of the words is in the store.
/// What SpeakUp writes itself (routing, outcomes, levels, reasons for a legal hold) stays readable.
public enum SealedEventText {
    /// How a sealed text starts; what follows is base64.
    public static let prefix = "sealed-v1:"

    /// The kinds of event whose words are sealed on a sealed case.
    public static let kinds: Set<CaseEvent.Kind> = [.note, .handlerMessage, .reporterMessage]

    /// The recipient name under which the case's content key is wrapped for the reporter's key (derived
    /// from their receipt code): what lets a reporter read the replies meant for them.
    public static let reporterRecipient = "#reporter"

    /// Whether `text` is a sealed text (not the words themselves).
    public static func isSealed(_ text: String?) -> Bool {
        text?.hasPrefix(prefix) == true
    }

    /// The text to keep for sealed bytes.
    public static func stored(_ bytes: [UInt8]) -> String {
        prefix + Data(bytes).base64EncodedString()
    }

    /// The sealed bytes of a sealed text, or nil when it is not one (or its base64 is damaged).
    public static func bytes(of text: String) -> [UInt8]? {
        guard text.hasPrefix(prefix), let data = Data(base64Encoded: String(text.dropFirst(prefix.count))) else { return nil }
        return Array(data)
    }

    /// What a sealed text is bound to besides its case: its kind and its writer, so that a note moved
    /// into a message (which the reporter would see), or given to another writer, does not open.
    public static func field(kind: CaseEvent.Kind, actor: String?) -> String {
        "\(kind.rawValue) text by \(actor ?? "the reporter")"
    }

    /// Whether an event of `kind` with `text` must be sealed on a sealed case: notes always; messages
    /// when the reporter holds a key to read them (`reporterHoldsKey`), since a message sealed away
    /// from the reporter would reach nobody. Empty texts need no sealing.
    public static func mustBeSealed(_ kind: CaseEvent.Kind, text: String?, reporterHoldsKey: Bool) -> Bool {
        guard let text, !text.isEmpty, !isSealed(text) else { return false }
        switch kind {
        case .note: return true
        case .handlerMessage, .reporterMessage: return reporterHoldsKey
        default: return false
        }
    }

    /// The refusal of words in clear on a sealed case (fail closed: they would sit in the store readable).
    public static func clearRefused(_ reference: CaseReference, kind: CaseEvent.Kind) -> StoreError {
        let what = kind == .note ? "a note" : "a message"
        return StoreError(.failed, "The words of case \(reference.text) are sealed, so \(what) on it must be sealed too, and this one was not: nothing was saved. Please write it from `speakup cases` (or `speakup follow-up` with the receipt code), which seals it.")
    }

    /// Said in place of sealed words that this session holds no key for.
    public static let notOpened = "(sealed: these words can be read only with a key for this case)"

    /// Said to an open or confidential reporter in place of sealed replies they have not opened yet.
    public static let typeReplyCode = "(sealed so that only you can read it: press K and type your reply code)"

    /// The events with any sealed words replaced by `saying` (`notOpened`): never the sealed form on a screen.
    public static func withoutSealedWords(_ events: [CaseEvent], saying: String = notOpened) -> [CaseEvent] {
        events.map { event in
            guard isSealed(event.text) else { return event }
            var event = event
            event.text = saying
            return event
        }
    }
}
