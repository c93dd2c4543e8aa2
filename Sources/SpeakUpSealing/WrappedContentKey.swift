import Crypto
import Foundation
import SpeakUpCore

/// A case's content key wrapped for one recipient's public key, as the store keeps it.
///
/// Wrapping is ECIES-like: an ephemeral Curve25519 key (this process's, `SenderKey`) agrees a secret with
/// the recipient's public key; HKDF-SHA256 turns it into a one-off key (salted with both public keys, bound
/// to the case reference); ChaCha20-Poly1305 seals the content key under it, with the case reference
/// authenticated and a random nonce.
/// A wrapped key moved to another case therefore does not open, and nothing in it says who it is for.
///
/// Bytes: version (1), the ephemeral public key (32), the combined box (12 + 32 + 16).
public struct WrappedContentKey: Equatable, Sendable {
    static let version: UInt8 = 1
    static let length = 1 + 32 + 12 + 32 + 16

    /// The bytes to store.
    public let bytes: [UInt8]

    /// Wraps bytes read from the store, checking only their shape.
    public init(stored bytes: [UInt8]) throws(SealingFailure) {
        guard bytes.count == WrappedContentKey.length else { throw .unreadable("a wrapped key of \(bytes.count) bytes") }
        guard bytes[0] == WrappedContentKey.version else { throw .unreadable("wrapped key format \(bytes[0])") }
        self.bytes = bytes
    }

    /// Wraps a content key for a recipient.
    public static func wrap(_ content: ContentKey, for recipient: SealingPublicKey, case reference: CaseReference) throws(SealingFailure) -> WrappedContentKey {
        try wrap(content, for: [recipient], case: reference)[0]
    }

    /// Wraps a content key for several recipients with this process's ephemeral key and its key
    /// agreements worked out ahead (`SenderKey`). Each wrapping is bound to its recipient's public
    /// key and to the case, so none opens for another; the format is the same.
    /// `linkable` false (an anonymous report, or one made at a shared terminal) uses an ephemeral key of its
    /// own: one shared with other cases would show, to anyone reading the store, which reports one process
    /// sent within the hour.
    public static func wrap(_ content: ContentKey, for recipients: [SealingPublicKey], case reference: CaseReference,
                            linkable: Bool = true) throws(SealingFailure) -> [WrappedContentKey] {
        try wrap(content, for: recipients, case: reference, linkable: linkable, sender: .shared)
    }

    /// As `wrap`, with the ephemeral keys of `sender` (a test's own, or the process's).
    static func wrap(_ content: ContentKey, for recipients: [SealingPublicKey], case reference: CaseReference,
                     linkable: Bool, sender: SenderKey) throws(SealingFailure) -> [WrappedContentKey] {
        do {
            let (ephemeralPublic, agreements) = linkable ? try sender.agreements(with: recipients) : try sender.oneOff(with: recipients)
            let authenticated = authenticatedData(reference)
            return try agreements.map { agreement in
                let box = try ChaChaPoly.seal(content.rawBytes, using: agreement.wrappingKey(for: reference), authenticating: authenticated)
                return try WrappedContentKey(stored: [version] + ephemeralPublic + Array(box.combined))
            }
        } catch let failure as SealingFailure {
            throw failure
        } catch {
            throw .cryptography("wrapping a content key: \(error)")
        }
    }

    func unwrap(with pair: SealingKeyPair, for reference: CaseReference) throws(SealingFailure) -> ContentKey {
        let ephemeralBytes = Array(bytes[1..<33])
        guard let ephemeral = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: ephemeralBytes),
              let shared = try? pair.privateKey.sharedSecretFromKeyAgreement(with: ephemeral)
        else { throw .notForThisKey(reference) }
        let wrapping = WrappedContentKey.wrappingKey(shared, ephemeral: ephemeralBytes, recipient: pair.publicKey.bytes, reference: reference)
        guard let box = try? ChaChaPoly.SealedBox(combined: bytes[33...]),
              let raw = try? ChaChaPoly.open(box, using: wrapping, authenticating: WrappedContentKey.authenticatedData(reference)),
              raw.count == 32
        else { throw .notForThisKey(reference) }
        return ContentKey(key: SymmetricKey(data: raw))
    }

    /// The wrapping key, derived in one go (HKDF-SHA256): what unwrapping uses. Wrapping gets the same
    /// key in two steps (`WrappingAgreement`), the first kept from one case to the next.
    static func wrappingKey(_ shared: SharedSecret, ephemeral: [UInt8], recipient: [UInt8], reference: CaseReference) -> SymmetricKey {
        shared.hkdfDerivedSymmetricKey(using: SHA256.self, salt: salt(ephemeral: ephemeral, recipient: recipient), sharedInfo: sharedInfo(reference),
                                       outputByteCount: 32)
    }

    /// HKDF's salt: both public keys.
    static func salt(ephemeral: [UInt8], recipient: [UInt8]) -> [UInt8] {
        ephemeral + recipient
    }

    /// HKDF's info: binds the wrapping key to the case.
    static func sharedInfo(_ reference: CaseReference) -> Data {
        Data("speakup content key v1\u{0}\(reference.text)".utf8)
    }

    static func authenticatedData(_ reference: CaseReference) -> Data {
        Data("speakup wrapped key v1\u{0}\(reference.text)".utf8)
    }
}
