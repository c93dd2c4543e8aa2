import SpeakUpCore

/// Why sealed words could not be sealed or opened, in a sentence a handler or an IT team can act on.
///
/// Every failure to open is a refusal, never a fallback: a field that does not authenticate is not
/// shown (not even in part), and the case it belongs to is named so the damage can be looked into.
public enum SealingFailure: Error, Equatable, Sendable {
    /// The passphrase did not open the handler's key (or the sealed key was changed).
    case wrongPassphrase
    /// A sealed field of this case failed authentication: changed, cut short, or moved from another case or field.
    case tampered(CaseReference, field: String)
    /// The wrapped content key of this case does not open with the key offered, or was changed.
    case notForThisKey(CaseReference)
    /// The bytes are not a sealed value of a kind this version knows.
    case unreadable(String)
    /// The recovery key as typed is not a recovery key.
    case recoveryKeyMistyped(String)
    /// The recovery key is well formed but is not the trust's (its public half differs from the one kept).
    case recoveryKeyDoesNotMatch
    /// The cost written beside a sealed key is outside what this version accepts (a changed store could
    /// otherwise make unlocking take hours or all memory).
    case unacceptableCost(String)
    /// The system's secure random generator or the cryptography library failed.
    case cryptography(String)

    /// A plain sentence for the person at the screen or in the log.
    public var sentence: String {
        switch self {
        case .wrongPassphrase:
            "That passphrase does not open your key. Check Caps Lock and try again."
        case .tampered(let reference, let field):
            "The \(field) of case \(reference.text) has been changed outside SpeakUp and cannot be trusted, so it is not shown. Tell your IT team; the audit trail records this."
        case .notForThisKey(let reference):
            "Case \(reference.text) is not sealed for your key, or its key has been changed outside SpeakUp."
        case .unreadable(let what):
            "This store holds sealed data SpeakUp cannot read (\(what)). It may come from a newer version or have been damaged."
        case .recoveryKeyMistyped(let why):
            "That is not a recovery key as printed: \(why) Check it against the printed copy."
        case .recoveryKeyDoesNotMatch:
            "That recovery key is well formed but is not this trust's recovery key."
        case .unacceptableCost(let why):
            "A sealed key asks for an unlocking cost SpeakUp does not accept (\(why)); the store may have been changed."
        case .cryptography(let why):
            "The cryptography library failed (\(why)). Nothing was sealed or opened."
        }
    }
}
