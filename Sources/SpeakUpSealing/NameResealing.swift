import SpeakUpCore

/// The subject's name and role of a report whose words were sealed before the installation had its
/// subject-key secret, sealed now with those words (`speakup store seal --names`).
///
/// The words are opened through the case's content key as wrapped for the trust's recovery key, laid
/// out again with the name and role (`WordsEncoding` version 2), and sealed under the same content key,
/// so every wrapping the case has (its handlers', the recovery key's, the reporter's) opens them as
/// before. What was sealed is opened again and compared before it is given back.
public enum NameResealing {
    /// The report's words sealed again with its subject's name and role as the row holds them now.
    /// Refused when the words do not open with `pair`, or already hold a name (sealed with the words once).
    public static func reseal(_ report: Report, wrapped: [UInt8], with pair: SealingKeyPair) throws(SealingFailure) -> SealedWords {
        guard let sealed = report.sealed else {
            throw .unreadable("case \(report.reference.text) has no sealed words to put the name with")
        }
        let key = try CaseWordsKey(report.reference, wrapped: wrapped, with: pair)
        var words = try ReportSeal.words(sealed, with: key)
        guard words.subjectName == nil, words.subjectRole == nil else {
            throw .unreadable("the sealed words of case \(report.reference.text) hold a name already, yet the case keeps one in clear")
        }
        words.subjectName = report.subject.name ?? ""
        words.subjectRole = report.subject.role
        let field = try key.content.seal(bytes: WordsEncoding.bytes(of: words), as: SealingContext(report.reference, field: ReportSeal.field))
        let resealed = SealedWords(content: field.bytes)
        guard try ReportSeal.words(resealed, with: key) == words else { throw .tampered(report.reference, field: ReportSeal.field) }
        return resealed
    }
}
