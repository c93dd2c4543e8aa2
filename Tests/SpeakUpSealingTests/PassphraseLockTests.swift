import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpSealing

@Suite("A handler's key, locked under their passphrase")
struct PassphraseLockTests {
    @Test("The right passphrase unlocks the same key; a wrong one does not")
    func unlock() throws {
        let pair = SealingKeyPair.generate()
        let locked = try PassphraseLockedKey.lock(pair, passphrase: "correct horse battery staple", holder: "g.okafor", cost: .forTestsOnly)
        #expect(try locked.unlock(passphrase: "correct horse battery staple", holder: "g.okafor").publicKey == pair.publicKey)
        #expect(throws: SealingFailure.wrongPassphrase) { try locked.unlock(passphrase: "Correct horse battery staple", holder: "g.okafor") }
        #expect(throws: SealingFailure.wrongPassphrase) { try locked.unlock(passphrase: "", holder: "g.okafor") }
        // The private key is not in the locked bytes.
        #expect(Data(locked.bytes).range(of: Data(pair.privateBytes)) == nil)
    }

    @Test("A locked key moved to another handler's row does not unlock, even with the right passphrase")
    func boundToHolder() throws {
        let locked = try PassphraseLockedKey.lock(.generate(), passphrase: "pass phrase", holder: "g.okafor", cost: .forTestsOnly)
        #expect(throws: SealingFailure.wrongPassphrase) { try locked.unlock(passphrase: "pass phrase", holder: "m.jones") }
    }

    @Test("The same words typed composed or decomposed unlock the same key")
    func normalised() throws {
        let locked = try PassphraseLockedKey.lock(.generate(), passphrase: "caf\u{E9} au lait", holder: "h", cost: .forTestsOnly)
        _ = try locked.unlock(passphrase: "cafe\u{301} au lait", holder: "h")
    }

    @Test("A lowered cost is noticed: the cost is authenticated with the key")
    func loweredCost() throws {
        let locked = try PassphraseLockedKey.lock(.generate(), passphrase: "pass", holder: "h", cost: UnlockingCost(log2Rounds: 11, blockSize: 8, parallelism: 1))
        var bytes = locked.bytes
        bytes[1] = 10
        #expect(throws: SealingFailure.wrongPassphrase) { try PassphraseLockedKey(stored: bytes).unlock(passphrase: "pass", holder: "h") }
    }

    @Test("A cost outside the bounds is refused before any work", arguments: [(UInt8(30), UInt8(8), UInt8(1)), (9, 8, 1), (16, 0, 1), (16, 8, 9), (20, 16, 1)])
    func unacceptableCost(cost: (UInt8, UInt8, UInt8)) throws {
        var bytes = try PassphraseLockedKey.lock(.generate(), passphrase: "p", holder: "h", cost: .forTestsOnly).bytes
        bytes[1] = cost.0; bytes[2] = cost.1; bytes[3] = cost.2
        #expect(throws: SealingFailure.self) { try PassphraseLockedKey(stored: bytes) }
    }

    @Test("The standard cost is what the store would write, and is accepted back")
    func standardCost() throws {
        let standard = UnlockingCost.standard
        _ = try UnlockingCost(log2Rounds: standard.log2Rounds, blockSize: standard.blockSize, parallelism: standard.parallelism)
        #expect(128 * standard.rounds * Int(standard.blockSize) == 48 << 20)
    }

    @Test("A key locked at the cost new keys had before (N = 2^16, r = 8) still unlocks, at that cost")
    func earlierCost() throws {
        let pair = SealingKeyPair.generate()
        let earlier = try UnlockingCost(log2Rounds: 16, blockSize: 8, parallelism: 1)
        let locked = try PassphraseLockedKey.lock(pair, passphrase: "correct horse battery staple", holder: "h", cost: earlier)
        let read = try PassphraseLockedKey(stored: locked.bytes)
        #expect(read.cost == earlier)
        #expect(read.cost != UnlockingCost.standard)
        #expect(try read.unlock(passphrase: "correct horse battery staple", holder: "h").publicKey == pair.publicKey)
    }
}
