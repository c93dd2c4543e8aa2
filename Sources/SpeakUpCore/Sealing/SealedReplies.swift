/// A sealed case's replies as a follow-up session reads and writes them: the handlers' messages opened,
/// the reporter's own sealed before they are saved (`SealedEventText`). `SpeakUpSealing`'s
/// `ReceiptReplyKeys` gives one, holding the case's content key unwrapped with the key the receipt
/// code makes; it lives as long as the case is on the screen.
public protocol SealedReplies: Sendable {
    /// The events with their sealed words opened (words that do not open are not shown: why is).
    func open(_ events: [CaseEvent]) -> [CaseEvent]
    /// The reporter's reply, sealed as a `reporterMessage` by `actor` (nil: a reporter nobody may name).
    func seal(_ reply: String, actor: String?) throws(StoreError) -> String
}

/// What gives a follow-up session the key to a case's replies.
public protocol ReplyKeys: Sendable {
    /// For a case found by its receipt `code`: what opens and seals its replies, or nil when they are
    /// not sealed for the reporter (the case is not sealed, or was sealed without a key for them).
    func replies(to report: Report, receipt code: ReceiptCode) throws(StoreError) -> (any SealedReplies)?

    /// Whether the replies on `report`'s case are sealed for a reporter's code (so follow-up asks for it).
    func repliesSealed(for report: Report) throws(StoreError) -> Bool
}
