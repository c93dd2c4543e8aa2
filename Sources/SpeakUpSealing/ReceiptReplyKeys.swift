import Foundation
import SpeakUpCore

/// The key to a sealed case's replies, from its receipt code: the code's reply secret (from the store's
/// salted scrypt, `SealingKeyKeeping.replySecret`) makes the reporter's key (`ReporterKey`), which
/// unwraps the case's content key kept for `SealedEventText.reporterRecipient`.
public struct ReceiptReplyKeys: ReplyKeys {
    let store: any SealingKeyKeeping

    public init(store: any SealingKeyKeeping) {
        self.store = store
    }

    public func replies(to report: Report, receipt code: ReceiptCode) throws(StoreError) -> (any SealedReplies)? {
        guard report.sealed != nil, let wrapped = try store.caseKeys(report.reference)[SealedEventText.reporterRecipient] else { return nil }
        let secret = try store.replySecret(forReceipt: code)
        do {
            return ReplyWords(key: try CaseWordsKey(report.reference, wrapped: wrapped, with: try ReporterKey.pair(replySecret: secret)))
        } catch {
            throw StoreError(.failed, "That code does not open the replies on case \(report.reference.text). Please check it against the code you were given when you sent the report.")
        }
    }

    public func repliesSealed(for report: Report) throws(StoreError) -> Bool {
        guard report.sealed != nil else { return false }
        return try store.caseKeys(report.reference)[SealedEventText.reporterRecipient] != nil
    }
}

/// One sealed case's replies, opened and sealed with its content key.
struct ReplyWords: SealedReplies {
    let key: CaseWordsKey

    func open(_ events: [CaseEvent]) -> [CaseEvent] { key.open(events) }

    func seal(_ reply: String, actor: String?) throws(StoreError) -> String {
        do { return try key.seal(reply, kind: .reporterMessage, actor: actor) } catch {
            throw StoreError(.failed, "Your message could not be sealed (\(error.sentence)), so it was not saved.")
        }
    }
}
