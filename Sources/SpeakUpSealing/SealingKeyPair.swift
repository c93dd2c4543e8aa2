import Crypto
import Foundation
import SpeakUpCore

/// A handler's (or the trust recovery key's) key pair: Curve25519 key agreement.
///
/// The public half is kept in clear in the store so anyone submitting can wrap a case's content key
/// for its handlers; the private half exists in clear only in an unlocked session's memory. For a
/// handler it is kept sealed under their passphrase (`PassphraseLockedKey`); for the trust's recovery
/// key it is printed once (`RecoveryKeyText`) and never stored.
public struct SealingKeyPair: Sendable {
    let privateKey: Curve25519.KeyAgreement.PrivateKey
    /// Worked out once: deriving it is a scalar multiplication, and every unwrap needs it.
    public let publicKey: SealingPublicKey

    init(privateKey: Curve25519.KeyAgreement.PrivateKey) {
        self.privateKey = privateKey
        publicKey = SealingPublicKey(key: privateKey.publicKey)
    }

    /// A new key pair from the system's secure random generator.
    public static func generate() -> SealingKeyPair { SealingKeyPair(privateKey: .init()) }


    /// The private half's 32 bytes: only to be locked under a passphrase or printed as a recovery key.
    var privateBytes: [UInt8] { Array(privateKey.rawRepresentation) }

    init(privateBytes: [UInt8]) throws(SealingFailure) {
        let key: Curve25519.KeyAgreement.PrivateKey
        do { key = try .init(rawRepresentation: privateBytes) } catch {
            throw .unreadable("a private key of \(privateBytes.count) bytes")
        }
        self.init(privateKey: key)
    }

    /// Unwraps a case's content key wrapped for this key pair.
    public func unwrap(_ wrapped: WrappedContentKey, for reference: CaseReference) throws(SealingFailure) -> ContentKey {
        try wrapped.unwrap(with: self, for: reference)
    }
}

/// The public half of a key pair, as the store keeps it (32 bytes).
public struct SealingPublicKey: Equatable, Hashable, Sendable {
    let key: Curve25519.KeyAgreement.PublicKey

    init(key: Curve25519.KeyAgreement.PublicKey) { self.key = key }

    /// Reads the 32 bytes the store keeps.
    public init(stored bytes: [UInt8]) throws(SealingFailure) {
        do { key = try .init(rawRepresentation: bytes) } catch {
            throw .unreadable("a public key of \(bytes.count) bytes")
        }
    }

    /// The 32 bytes to store.
    public var bytes: [UInt8] { Array(key.rawRepresentation) }

    /// A short, readable fingerprint for an IT team to compare keys by eye ("3F2A 91C0 ...", 16 hex
    /// digits of the key's SHA-256).
    public var fingerprint: String {
        let digest = Array(SHA256.hash(data: bytes).prefix(8))
        let hex = digest.map { String(format: "%02X", $0) }.joined()
        return stride(from: 0, to: hex.count, by: 4).map { start in
            let from = hex.index(hex.startIndex, offsetBy: start)
            return String(hex[from..<hex.index(from, offsetBy: 4)])
        }.joined(separator: " ")
    }

    public static func == (lhs: SealingPublicKey, rhs: SealingPublicKey) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
