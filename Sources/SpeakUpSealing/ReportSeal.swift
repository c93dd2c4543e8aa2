import Foundation
import SpeakUpCore

/// Seals a report's words for its possible handlers and the trust recovery key, and opens them again.
///
/// On submit, a sealing store gives this the report and the public keys of everyone who may hold the
/// case (`CaseRouting.mayHold`, those with a key) and of the recovery key: the words (`ReportWords`)
/// are sealed as one field under a fresh content key, bound to the case reference, and the content
/// key is wrapped once for each. The store keeps the sealed bytes and the wrapped keys, never the words.
public enum ReportSeal {
    /// The sealed field's name, authenticated with it.
    public static let field = "report words"

    /// One wrapped content key, for the recipient named (a login, or `SealedWords.recoveryRecipient`).
    public struct Wrapped: Hashable, Sendable {
        public var recipient: String
        public var bytes: [UInt8]
    }

    /// The report's words sealed, and the content key wrapped for every recipient (in order).
    public static func seal(_ report: Report, for recipients: [(name: String, key: SealingPublicKey)]) throws(SealingFailure)
        -> (words: SealedWords, keys: [Wrapped]) {
        let content = ContentKey.fresh()
        let json: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            json = try encoder.encode(ReportWords(of: report))
        } catch {
            throw .cryptography("writing the words to seal: \(error)")
        }
        let sealed = try content.seal(bytes: Array(json), as: SealingContext(report.reference, field: field))
        var keys: [Wrapped] = []
        for recipient in recipients {
            let wrapped = try WrappedContentKey.wrap(content, for: recipient.key, case: report.reference)
            keys.append(Wrapped(recipient: recipient.name, bytes: wrapped.bytes))
        }
        return (SealedWords(content: sealed.bytes), keys)
    }

    /// The report with its words opened by `pair`, through the content key wrapped for it. A sealed
    /// field or a wrapped key that does not authenticate is refused, with the case named.
    public static func open(_ report: Report, wrapped: [UInt8], with pair: SealingKeyPair) throws(SealingFailure) -> Report {
        guard let sealed = report.sealed else { return report }
        let content = try pair.unwrap(try WrappedContentKey(stored: wrapped), for: report.reference)
        let bytes = try content.openBytes(try SealedField(stored: sealed.content), as: SealingContext(report.reference, field: field))
        guard let words = try? JSONDecoder().decode(ReportWords.self, from: Data(bytes)) else {
            throw .unreadable("the sealed words of case \(report.reference.text)")
        }
        return words.restored(into: report)
    }

    /// A case file as the workspace shows it: a sealed report opened with the handler's key, or, when
    /// it cannot be (no key wrapped for them, or a field changed), the reason in place of the words.
    public static func open(_ file: CaseFile, with pair: SealingKeyPair) -> CaseFile {
        guard file.report.sealed != nil else { return file }
        var file = file
        guard let wrapped = file.wrappedKey else {
            file.unopened = "The words of this case are sealed, and not for your key: it was sealed before you chose your passphrase, or without you among those who may hold it. Please tell your IT team: the trust's recovery key opens it (sealing it again for you from SpeakUp is not built yet)."
            return file
        }
        do {
            file.report = try open(file.report, wrapped: wrapped, with: pair)
            file.unopened = nil
        } catch {
            file.unopened = error.sentence
        }
        return file
    }
}
