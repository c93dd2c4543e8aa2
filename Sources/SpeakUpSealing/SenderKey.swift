import Crypto
import Foundation

/// The ephemeral key this process wraps content keys with, and its key agreements with each
/// recipient, worked out ahead.
///
/// A key agreement is a scalar multiplication: a submit wrapping a case's key for ten handlers and the
/// recovery key would otherwise do a dozen while the reporter waits. One ephemeral key per process
/// (made afresh every hour) agrees once with each recipient, ahead of time where the form can (while
/// the reporter writes, `prepare`), and each wrapping then costs a key derivation and a seal: the
/// wrapping key is HKDF of that agreement salted with both public keys and bound to the case reference,
/// and each seal has its own random nonce, so no two cases share a wrapping key. The format is that of
/// `WrappedContentKey`: the recipient cannot tell, and needs nothing new.
///
/// What it gives up: the ephemeral private key lives in this process's memory for up to an hour, so
/// someone who reads that memory could unwrap the content keys this process wrapped in that hour; but
/// that process held those reports' words in clear anyway. It is never stored. And the cases it wraps
/// share its public key, which shows they came from one process: so only reports that name their reporter's
/// own login use it; an anonymous report, or one made at a shared terminal, gets an ephemeral key of its own.
final class SenderKey: @unchecked Sendable {
    static let shared = SenderKey()
    /// How long one ephemeral key is used.
    static let lifetime: TimeInterval = 3600

    private let lock = NSLock()
    private var key = Curve25519.KeyAgreement.PrivateKey()
    private var publicBytes: [UInt8]
    private var made = Date()
    private var agreed: [[UInt8]: SharedSecret] = [:]

    private init() {
        publicBytes = Array(key.publicKey.rawRepresentation)
    }

    /// The ephemeral public key and its agreement with each recipient (worked out now where not yet).
    func agreements(with recipients: [SealingPublicKey]) throws -> (ephemeral: [UInt8], secrets: [SharedSecret]) {
        try lock.withLock {
            if Date().timeIntervalSince(made) > Self.lifetime {
                key = Curve25519.KeyAgreement.PrivateKey()
                publicBytes = Array(key.publicKey.rawRepresentation)
                made = Date()
                agreed = [:]
            }
            var secrets: [SharedSecret] = []
            for recipient in recipients {
                if let secret = agreed[recipient.bytes] {
                    secrets.append(secret)
                } else {
                    let secret = try key.sharedSecretFromKeyAgreement(with: recipient.key)
                    agreed[recipient.bytes] = secret
                    secrets.append(secret)
                }
            }
            return (publicBytes, secrets)
        }
    }
}

extension SenderKey {
    /// A fresh ephemeral key's agreements, for one case only (never kept).
    static func oneOff(with recipients: [SealingPublicKey]) throws -> (ephemeral: [UInt8], secrets: [SharedSecret]) {
        let key = Curve25519.KeyAgreement.PrivateKey()
        return (Array(key.publicKey.rawRepresentation), try recipients.map { try key.sharedSecretFromKeyAgreement(with: $0.key) })
    }
}

/// Works out ahead the key agreements a submit will need, off the reporter's wait (SpeakUp's forms
/// call it when they open, on a thread of their own).
public enum SealingWarmUp {
    public static func prepare(for recipients: [[UInt8]]) {
        let keys = recipients.compactMap { try? SealingPublicKey(stored: $0) }
        _ = try? SenderKey.shared.agreements(with: keys)
    }
}
