import Foundation
import SpeakUpCore

/// The reporter's key for one sealed case: a key pair made from the secret their receipt code gives
/// (`ReceiptDerivation.replySecret`, the half of the code's scrypt the store never keeps).
///
/// On submit the case's content key is wrapped for its public half (recipient
/// `SealedEventText.reporterRecipient`); in follow-up the code typed again makes the same pair, which
/// unwraps the content key: the reporter reads the handler's replies and seals their own. Whoever has
/// the code can read them, as whoever has the code could always follow the case up.
public enum ReporterKey {
    /// The key pair made from a receipt's reply secret (32 bytes).
    public static func pair(replySecret: [UInt8]) throws(SealingFailure) -> SealingKeyPair {
        guard replySecret.count == 32 else { throw .unreadable("a reply secret of \(replySecret.count) bytes") }
        return try SealingKeyPair(privateBytes: replySecret)
    }
}
