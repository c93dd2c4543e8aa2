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
    /// With `subject`, the subject's name and role as typed are sealed with the words.
    public static func seal(_ report: Report, for recipients: [(name: String, key: SealingPublicKey)], subject: Bool = false) throws(SealingFailure)
        -> (words: SealedWords, keys: [Wrapped]) {
        let (words, keys, _) = try sealKeepingKey(report, for: recipients, subject: subject)
        return (words, keys)
    }

    /// As `seal`, also giving the content key, for sealing the case's events' words with it (sealing a
    /// store in place: its notes are sealed in the same transaction).
    public static func sealKeepingKey(_ report: Report, for recipients: [(name: String, key: SealingPublicKey)], subject: Bool = false) throws(SealingFailure)
        -> (words: SealedWords, keys: [Wrapped], key: CaseWordsKey) {
        try sealKeepingKey(report, for: recipients, subject: subject, sender: .shared)
    }

    /// As `sealKeepingKey`, with the ephemeral keys and the kit made ahead of `sender` (a test's own, or the process's).
    static func sealKeepingKey(_ report: Report, for recipients: [(name: String, key: SealingPublicKey)], subject: Bool, sender: SenderKey) throws(SealingFailure)
        -> (words: SealedWords, keys: [Wrapped], key: CaseWordsKey) {
        // Reports that could be told apart from others' by a shared ephemeral key get one of their own.
        let linkable = report.wayOfRaising != .anonymous && report.reporter != nil && !report.station.isShared
        // The key and wrappings made ahead for this reference while the reporter wrote, if any (`SealingKit`).
        let kit = linkable ? sender.takeKit(for: report.reference) : nil
        let content = kit?.content ?? ContentKey.fresh()
        let sealed = try content.seal(bytes: WordsEncoding.bytes(of: ReportWords(of: report, subject: subject)), as: SealingContext(report.reference, field: field))
        var wrapped = recipients.map { kit?.wrapped[$0.key.bytes] }
        let missing = wrapped.indices.filter { wrapped[$0] == nil }
        if !missing.isEmpty {
            let made = try WrappedContentKey.wrap(content, for: missing.map { recipients[$0].key }, case: report.reference, linkable: linkable, sender: sender)
            for (index, wrapping) in zip(missing, made) { wrapped[index] = wrapping }
        }
        var keys: [Wrapped] = []
        for (recipient, wrapping) in zip(recipients, wrapped) {
            guard let wrapping else { throw .cryptography("wrapping a content key: none was made for \(recipient.name)") }
            keys.append(Wrapped(recipient: recipient.name, bytes: wrapping.bytes))
        }
        return (SealedWords(content: sealed.bytes), keys, CaseWordsKey(reference: report.reference, content: content))
    }

    /// The report with its words opened by `pair`, through the content key wrapped for it. A sealed
    /// field or a wrapped key that does not authenticate is refused, with the case named.
    public static func open(_ report: Report, wrapped: [UInt8], with pair: SealingKeyPair) throws(SealingFailure) -> Report {
        guard let sealed = report.sealed else { return report }
        return try words(sealed, of: report.reference, wrapped: wrapped, with: pair).restored(into: report)
    }

    /// A case's sealed words opened with its content key already unwrapped.
    public static func words(_ sealed: SealedWords, with key: CaseWordsKey) throws(SealingFailure) -> ReportWords {
        let bytes = try key.content.openBytes(try SealedField(stored: sealed.content), as: SealingContext(key.reference, field: field))
        guard let words = WordsEncoding.words(from: bytes) else { throw .unreadable("the sealed words of case \(key.reference.text)") }
        return words
    }

    /// A case's sealed words opened by `pair`, through the content key wrapped for it.
    public static func words(_ sealed: SealedWords, of reference: CaseReference, wrapped: [UInt8], with pair: SealingKeyPair) throws(SealingFailure)
        -> ReportWords {
        let content = try pair.unwrap(try WrappedContentKey(stored: wrapped), for: reference)
        let bytes = try content.openBytes(try SealedField(stored: sealed.content), as: SealingContext(reference, field: field))
        guard let words = WordsEncoding.words(from: bytes) else {
            throw .unreadable("the sealed words of case \(reference.text)")
        }
        return words
    }

    /// A case file as the workspace shows it: a sealed report opened with the handler's key, or, when
    /// it cannot be (no key wrapped for them, or a field changed), the reason in place of the words.
    /// Its events' sealed words (`SealedEventText`) are opened with the same key, or, when they cannot
    /// be, never shown.
    public static func open(_ file: CaseFile, with pair: SealingKeyPair) -> CaseFile {
        guard file.report.sealed != nil else { return file }
        let original = file
        var file = file
        file.events = SealedEventText.withoutSealedWords(file.events)
        guard let wrapped = file.wrappedKey else {
            file.unopened = "The words of this case are sealed, and not for your key: it was sealed before you chose your passphrase, or without you among those who may hold it. Please tell your IT team: the trust's recovery key opens it (sealing it again for you from SpeakUp is not built yet)."
            return file
        }
        do {
            file.report = try open(file.report, wrapped: wrapped, with: pair)
            file.unopened = nil
            // The words as read from the store again: this time opened.
            file.events = try CaseWordsKey(file.report.reference, wrapped: wrapped, with: pair).open(original.events)
        } catch .notForThisKey {
            file.unopened = "The words of case \(file.report.reference.text) are sealed for an earlier key of yours (from before you made a new one), or the key wrapped for you was changed outside SpeakUp. Please tell your IT team: `speakup recover` seals it again for your key."
        } catch {
            file.unopened = error.sentence
        }
        return file
    }

    /// The case's content key, unwrapped by `pair` from `wrapped`, wrapped anew for each recipient:
    /// what a handler's session does for someone a case may be passed to, and `speakup recover`
    /// with the recovery key.
    public static func rewrap(_ reference: CaseReference, wrapped: [UInt8], with pair: SealingKeyPair,
                              for recipients: [(name: String, key: SealingPublicKey)], how: String) throws(SealingFailure) -> [CaseKeyWrapping] {
        let content = try pair.unwrap(try WrappedContentKey(stored: wrapped), for: reference)
        var keys: [CaseKeyWrapping] = []
        for recipient in recipients {
            let again = try WrappedContentKey.wrap(content, for: recipient.key, case: reference)
            keys.append(CaseKeyWrapping(reference: reference, recipient: recipient.name, wrapped: again.bytes, how: how))
        }
        return keys
    }

    /// For a case file just opened by `handler`: the content key wrapped for everyone it may be
    /// passed to or is held by (`handlerChoices`, `currentHandlers`) who has a key and no wrapping
    /// yet, so that passing it on, or a handler who chose a passphrase after it was sent, does not
    /// leave it unopenable. Empty when the file was not sealed, or not opened.
    public static func sharing(_ file: CaseFile, openedBy handler: String, with pair: SealingKeyPair,
                               keys: [HandlerSealingKey]) -> [CaseKeyWrapping] {
        // (An opened file's report no longer carries its sealed bytes: its wrapped key says it was sealed.)
        guard file.unopened == nil, let wrapped = file.wrappedKey else { return [] }
        let wanted = Set(file.handlerChoices.offered + file.currentHandlers).subtracting(file.wrappedFor).subtracting([handler])
        let recipients = keys.filter { wanted.contains($0.handler) }.compactMap { key -> (name: String, key: SealingPublicKey)? in
            (try? SealingPublicKey(stored: key.publicKey)).map { (key.handler, $0) }
        }
        guard !recipients.isEmpty else { return [] }
        return (try? rewrap(file.report.reference, wrapped: wrapped, with: pair, for: recipients, how: "from \(handler)'s session")) ?? []
    }
}

/// How a report's words are laid out before sealing: a version byte, then each field (account,
/// witnesses, impact on staff, the reporter's name, their contact) as a presence byte and, when
/// present, a 4-byte big-endian length and its UTF-8. Plain and quick both ways: a search opens
/// every case of a queue.
enum WordsEncoding {
    /// Version 1: five fields (the account, witnesses, impact on staff, the reporter's name and
    /// contact). Version 2: those and the subject's name and role as typed (sealed with them).
    static let version: UInt8 = 1
    static let withSubject: UInt8 = 2

    static func bytes(of words: ReportWords) -> [UInt8] {
        let subject = words.subjectName != nil || words.subjectRole != nil
        var bytes: [UInt8] = [subject ? withSubject : version]
        var fields: [String?] = [words.account, words.witnesses, words.staffImpact, words.reporterName, words.reporterContact]
        if subject { fields += [words.subjectName ?? "", words.subjectRole ?? ""] }
        for field in fields {
            guard let field else {
                bytes.append(0)
                continue
            }
            let utf8 = Array(field.utf8)
            let count = UInt32(utf8.count)
            bytes += [1, UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]
            bytes += utf8
        }
        return bytes
    }

    /// The words back, or nil for bytes not laid out this way.
    static func words(from bytes: [UInt8]) -> ReportWords? {
        guard let layout = bytes.first, layout == version || layout == withSubject else { return nil }
        var index = 1
        var fields: [String?] = []
        for _ in 0..<(layout == withSubject ? 7 : 5) {
            guard index < bytes.count else { return nil }
            let present = bytes[index]
            index += 1
            guard present == 1 else {
                guard present == 0 else { return nil }
                fields.append(nil)
                continue
            }
            guard index + 4 <= bytes.count else { return nil }
            let count = Int(bytes[index]) << 24 | Int(bytes[index + 1]) << 16 | Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            index += 4
            guard count <= bytes.count - index, let text = String(validating: bytes[index..<index + count], as: UTF8.self) else { return nil }
            fields.append(text)
            index += count
        }
        guard index == bytes.count, let account = fields[0], let witnesses = fields[1], let impact = fields[2] else { return nil }
        guard layout == withSubject else {
            return ReportWords(account: account, witnesses: witnesses, staffImpact: impact, reporterName: fields[3], reporterContact: fields[4])
        }
        guard let subjectName = fields[5], let subjectRole = fields[6] else { return nil }
        return ReportWords(account: account, witnesses: witnesses, staffImpact: impact, reporterName: fields[3], reporterContact: fields[4],
                           subjectName: subjectName, subjectRole: subjectRole)
    }
}
