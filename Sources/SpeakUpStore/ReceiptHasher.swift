import Crypto
import CryptoExtras
import Foundation
import SpeakUpCore

/// The slow salted hash that is all the store keeps of a receipt code.
///
/// scrypt, memory-hard, at a cost of about 100 ms on the reference machine
/// (measured by `make bench`): a 16-digit code has 10^16 possibilities, so
/// trying them all would take millions of years. The salt is one random value
/// per store rather than per report, so a code can be looked up by its hash
/// instead of being tried against every anonymous case (the way GlobaLeaks
/// keeps receipts).
public struct ReceiptHasher: Sendable {
    /// scrypt's cost parameter N (a power of two).
    public var rounds: Int
    public let salt: [UInt8]

    /// 2^16 rounds with block size 8: 64 MiB of memory and about 110 ms a hash
    /// on the reference machine (2^15 measured 55 ms; see docs/performance.md).
    public static let defaultRounds = 1 << 16

    public init(salt: [UInt8], rounds: Int = ReceiptHasher.defaultRounds) {
        self.salt = salt
        self.rounds = rounds
    }

    /// The hash of a code: 32 bytes. scrypt needs 64 MiB; when the system cannot give it (a memory
    /// limit, a full machine) this throws a sentence, never crashes: the reporter's words are kept.
    public func hash(_ code: ReceiptCode) throws(StoreError) -> [UInt8] {
        try derive(code).hash
    }

    /// The hash of a code and, from the same derivation, the secret its reporter's key is made from
    /// (`ReceiptDerivation`): one scrypt, 64 bytes out.
    public func derive(_ code: ReceiptCode) throws(StoreError) -> ReceiptDerivation {
        do {
            let key = try KDF.Scrypt.deriveKey(
                from: Array(code.digits.utf8), salt: salt, outputByteCount: 64,
                rounds: rounds, blockSize: 8, parallelism: 1)
            let bytes = key.withUnsafeBytes { Array($0) }
            return ReceiptDerivation(hash: Array(bytes[0..<32]), replySecret: Array(bytes[32..<64]))
        } catch {
            throw StoreError(.failed, "SpeakUp could not protect the receipt code: it needs 64 MiB of memory, and the system would not give it. Nothing has been saved and nothing on this screen is lost; please try again in a moment, or tell IT.")
        }
    }

    /// A fresh random salt for a new store.
    public static func newSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}

/// What one receipt code gives: the hash the store keeps to find the case by, and a secret the store
/// never keeps, from which the reporter's key is made (the key a sealed case's replies are wrapped for).
///
/// scrypt ends in PBKDF2-HMAC-SHA256, whose output blocks are each a keyed hash of the code: the first
/// 32 bytes are exactly the 32-byte hash stores have always kept, and knowing them tells nothing of the
/// next 32 without the code (tested in ReceiptHasherTests).
public struct ReceiptDerivation: Sendable {
    public let hash: [UInt8]
    public let replySecret: [UInt8]
}
