import Crypto
import Foundation
import SpeakUpCore

/// One sealed piece of a report (its account, the reporter's name, a note...) as the store keeps it.
///
/// The bytes are a version byte then ChaCha20-Poly1305's combined box (nonce, ciphertext, tag). What the
/// field is, and whose case it belongs to, are authenticated with it (`SealingContext`), so a field copied
/// into another case, or into another column of the same case, does not open: the store cannot be
/// rearranged by someone who can only write to it.
public struct SealedField: Equatable, Sendable {
    /// The format this version writes.
    static let version: UInt8 = 1

    /// The bytes to store.
    public let bytes: [UInt8]

    /// Wraps bytes read from the store, checking only that they could be a sealed field.
    public init(stored bytes: [UInt8]) throws(SealingFailure) {
        // version + 12-byte nonce + 16-byte tag at least.
        guard bytes.count >= 1 + 12 + 16 else { throw .unreadable("a sealed field of \(bytes.count) bytes is too short") }
        guard bytes[0] == SealedField.version else { throw .unreadable("sealed field format \(bytes[0])") }
        self.bytes = bytes
    }

    init(box: ChaChaPoly.SealedBox) {
        self.bytes = [SealedField.version] + Array(box.combined)
    }

    var box: ChaChaPoly.SealedBox? {
        try? ChaChaPoly.SealedBox(combined: bytes.dropFirst())
    }
}

/// What a sealed field is, authenticated with it: the case and the field's name.
public struct SealingContext: Equatable, Sendable {
    public let caseReference: CaseReference
    public let field: String

    public init(_ caseReference: CaseReference, field: String) {
        self.caseReference = caseReference
        self.field = field
    }

    /// The associated data: a fixed label, the reference and the field, separated so that no two
    /// contexts give the same bytes.
    var authenticatedData: Data {
        Data("speakup sealed field v1\u{0}\(caseReference.text)\u{0}\(field)".utf8)
    }
}
