import Crypto
import CryptoExtras
import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpStore

@Suite("Receipt hashes and the reply secret from the same derivation")
struct ReceiptHasherTests {
    let hasher = ReceiptHasher(salt: Array(repeating: 7, count: 32), rounds: 1 << 10)
    let code = ReceiptCode(typed: "1111 2222 3333 4444")!

    @Test("the hash is exactly the 32-byte scrypt stores have always kept, so receipts given before still find their case")
    func hashUnchanged() throws {
        let direct = try KDF.Scrypt.deriveKey(from: Array(code.digits.utf8), salt: hasher.salt, outputByteCount: 32,
                                              rounds: 1 << 10, blockSize: 8, parallelism: 1).withUnsafeBytes { Array($0) }
        #expect(try hasher.hash(code) == direct)
        #expect(try hasher.derive(code).hash == direct)
    }

    @Test("the reply secret is 32 more bytes, not the hash, and differs for another code or another store's salt")
    func replySecret() throws {
        let derived = try hasher.derive(code)
        #expect(derived.replySecret.count == 32)
        #expect(derived.replySecret != derived.hash)
        #expect(try hasher.derive(ReceiptCode(typed: "1111 2222 3333 4445")!).replySecret != derived.replySecret)
        #expect(try ReceiptHasher(salt: Array(repeating: 8, count: 32), rounds: 1 << 10).derive(code).replySecret != derived.replySecret)
        #expect(try hasher.derive(code).replySecret == derived.replySecret, "the same code makes the same key every time")
    }
}
