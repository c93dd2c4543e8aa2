import Crypto
import CryptoExtras
import Foundation
import SpeakUpCore

/// A handler's private key as the store keeps it: sealed under a key derived from their passphrase.
///
/// scrypt (memory-hard, `UnlockingCost`) derives a 256-bit key from the passphrase and a random salt;
/// ChaCha20-Poly1305 seals the private key under it, authenticating the handler's staff id and the
/// cost, so a locked key cannot be moved to another handler's row nor its cost lowered unnoticed.
/// A wrong passphrase and a changed locked key look alike: both are `wrongPassphrase`.
///
/// Bytes: version (1), log2 N (1), r (1), p (1), salt (16), the combined box (12 + 32 + 16).
public struct PassphraseLockedKey: Equatable, Sendable {
    static let version: UInt8 = 1
    static let length = 4 + 16 + 12 + 32 + 16

    /// The bytes to store.
    public let bytes: [UInt8]

    /// The cost of trying a passphrase against this key.
    public let cost: UnlockingCost

    /// Wraps bytes read from the store, checking their shape and the cost they ask for.
    public init(stored bytes: [UInt8]) throws(SealingFailure) {
        guard bytes.count == PassphraseLockedKey.length else { throw .unreadable("a locked key of \(bytes.count) bytes") }
        guard bytes[0] == PassphraseLockedKey.version else { throw .unreadable("locked key format \(bytes[0])") }
        cost = try UnlockingCost(log2Rounds: bytes[1], blockSize: bytes[2], parallelism: bytes[3])
        self.bytes = bytes
    }

    /// Locks a key pair's private half under a passphrase, for one handler.
    public static func lock(_ pair: SealingKeyPair, passphrase: String, holder: String, cost: UnlockingCost = .standard) throws(SealingFailure) -> PassphraseLockedKey {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        let header = [version, cost.log2Rounds, cost.blockSize, cost.parallelism]
        let key = try derive(passphrase: passphrase, salt: salt, cost: cost)
        do {
            let box = try ChaChaPoly.seal(pair.privateBytes, using: key, authenticating: authenticatedData(header, holder: holder))
            return try PassphraseLockedKey(stored: header + salt + Array(box.combined))
        } catch let failure as SealingFailure {
            throw failure
        } catch {
            throw .cryptography("locking a key: \(error)")
        }
    }

    /// Unlocks the key pair with the holder's passphrase; costs one scrypt derivation.
    public func unlock(passphrase: String, holder: String) throws(SealingFailure) -> SealingKeyPair {
        let header = Array(bytes[0..<4])
        let salt = Array(bytes[4..<20])
        let key = try PassphraseLockedKey.derive(passphrase: passphrase, salt: salt, cost: cost)
        guard let box = try? ChaChaPoly.SealedBox(combined: bytes[20...]),
              let raw = try? ChaChaPoly.open(box, using: key, authenticating: PassphraseLockedKey.authenticatedData(header, holder: holder))
        else { throw .wrongPassphrase }
        return try SealingKeyPair(privateBytes: Array(raw))
    }

    static func derive(passphrase: String, salt: [UInt8], cost: UnlockingCost) throws(SealingFailure) -> SymmetricKey {
        // The passphrase is normalised so that the same words typed on another terminal unlock the same key.
        let normalised = Array(passphrase.precomposedStringWithCanonicalMapping.utf8)
        do {
            return try KDF.Scrypt.deriveKey(
                from: normalised, salt: salt, outputByteCount: 32,
                rounds: cost.rounds, blockSize: Int(cost.blockSize), parallelism: Int(cost.parallelism)
            )
        } catch {
            throw .cryptography("deriving a key from a passphrase: \(error)")
        }
    }

    static func authenticatedData(_ header: [UInt8], holder: String) -> Data {
        Data("speakup locked key v1\u{0}\(holder)\u{0}".utf8) + Data(header)
    }
}
