import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpSealing

@Suite("Conformance: handlers' sealing keys and the trust recovery key (each engine)")
struct SealingKeyConformance {
    static func keyring(_ made: StoreUnderTest, _ handler: String = "gita", at moment: @escaping @Sendable () -> Date = { Examples.moment }) -> HandlerKeyring {
        HandlerKeyring(store: made.store, handler: handler, cost: .forTestsOnly, now: moment)
    }

    static let passphrase = "blue kettle morning"

    @Test("a first passphrase makes the handler's key: its public half kept in clear, its private half only locked; recorded in the audit trail",
          arguments: Engine.allCases)
    func firstKey(engine: Engine) throws {
        let made = try engine.freshStore()
        let keyring = Self.keyring(made)
        #expect(try !keyring.hasKey())
        #expect(try made.store.sealingKey(of: "gita") == nil)
        let pair = try keyring.makeKey(passphrase: Self.passphrase, again: Self.passphrase)
        let kept = try #require(try made.store.sealingKey(of: "gita"))
        #expect(kept.publicKey == pair.publicKey.bytes)
        #expect(!kept.lockedKey.contains(subsequence: pair.privateBytes), "the private key is never kept in clear")
        #expect(kept.failedUnlocks == 0)
        #expect(try made.store.sealingKeys().map(\.handler) == ["gita"])
        let record = try #require(try made.store.auditRecords().last)
        #expect(record.entry.action == "sealing-key-made")
        #expect(record.entry.actor == "gita")
        #expect(record.entry.content != nil)
        // The same passphrase opens the same key.
        #expect(try keyring.unlock(passphrase: Self.passphrase).publicKey == pair.publicKey)
        // A second first key (another terminal at the same moment) is refused and changes nothing.
        let error = #expect(throws: KeyringFailure.self) { _ = try keyring.makeKey(passphrase: "another good passphrase", again: "another good passphrase") }
        #expect(error?.sentence.contains("set meanwhile") == true)
        #expect(try made.store.sealingKey(of: "gita")?.lockedKey == kept.lockedKey)
    }

    @Test("a passphrase too short, holding the login, or typed differently twice is refused before any key is made", arguments: Engine.allCases)
    func weakPassphrases(engine: Engine) throws {
        let made = try engine.freshStore()
        let keyring = Self.keyring(made)
        for (first, again, words) in [("short", "short", "at least 12"), ("gita gita gita gita", "gita gita gita gita", "login"),
                                      ("aaaaaaaaaaaaaa", "aaaaaaaaaaaaaa", "too few"), (Self.passphrase, "blue kettle evening", "not the same"),
                                      ("tab\there and there", "tab\there and there", "control")] {
            let error = #expect(throws: KeyringFailure.self) { _ = try keyring.makeKey(passphrase: first, again: again) }
            #expect(error?.sentence.contains(words) == true, "\(first): \(error?.sentence ?? "")")
        }
        #expect(try made.store.sealingKey(of: "gita") == nil)
    }

    @Test("a wrong passphrase is counted in the store and audited; after three, each try waits longer; a right one clears the count",
          arguments: Engine.allCases)
    func wrongPassphrases(engine: Engine) throws {
        let made = try engine.freshStore()
        let clock = TestClock(Examples.moment)
        let keyring = Self.keyring(made, at: { clock.now })
        _ = try keyring.makeKey(passphrase: Self.passphrase, again: Self.passphrase)
        for failure in 1...3 {
            let error = #expect(throws: KeyringFailure.self) { _ = try keyring.unlock(passphrase: "blue kettle evening") }
            #expect(error == .wrongPassphrase(failures: failure, wait: 0))
        }
        let fourth = #expect(throws: KeyringFailure.self) { _ = try keyring.unlock(passphrase: "blue kettle evening") }
        #expect(fourth == .wrongPassphrase(failures: 4, wait: 5))
        #expect(fourth?.sentence.contains("wait 5 seconds") == true)
        // A new keyring (SpeakUp started again) finds the same count: the right passphrase must wait too.
        let again = Self.keyring(made, at: { clock.now })
        #expect(try again.secondsToWait() == 5)
        #expect(throws: KeyringFailure.tooSoon(seconds: 5)) { _ = try again.unlock(passphrase: Self.passphrase) }
        clock.now = Examples.moment.addingTimeInterval(5)
        let refused = try made.store.auditRecords().filter { $0.entry.action == "passphrase-refused" }
        #expect(refused.map(\.entry.detail) == (1...4).map { "wrong passphrase \($0) in a row" })
        #expect(refused.allSatisfy { $0.entry.actor == "gita" })
        _ = try again.unlock(passphrase: Self.passphrase)
        #expect(try made.store.sealingKey(of: "gita")?.failedUnlocks == 0)
        #expect(try again.secondsToWait() == 0)
    }

    @Test("a changed passphrase locks the same key: the old one no longer opens it, the new one does", arguments: Engine.allCases)
    func changedPassphrase(engine: Engine) throws {
        let made = try engine.freshStore()
        let keyring = Self.keyring(made)
        let pair = try keyring.makeKey(passphrase: Self.passphrase, again: Self.passphrase)
        // The current passphrase wrong: nothing changes, and it counts as a wrong try.
        #expect(throws: KeyringFailure.wrongPassphrase(failures: 1, wait: 0)) {
            try keyring.changePassphrase(from: "not my passphrase", to: "green teapot evening", again: "green teapot evening")
        }
        try keyring.changePassphrase(from: Self.passphrase, to: "green teapot evening", again: "green teapot evening")
        #expect(throws: KeyringFailure.self) { _ = try keyring.unlock(passphrase: Self.passphrase) }
        #expect(try keyring.unlock(passphrase: "green teapot evening").publicKey == pair.publicKey)
        #expect(try made.store.auditRecords().contains { $0.entry.action == "passphrase-changed" && $0.entry.actor == "gita" })
        #expect(try made.store.verifyAudit(today: CalendarDay(year: 2027, month: 1, day: 1)!, anchor: nil).firstBroken == nil)
    }

    @Test("a public key swapped in the store (so that cases would be sealed for someone else) is caught at unlocking", arguments: Engine.allCases)
    func swappedPublicKey(engine: Engine) throws {
        let made = try engine.freshStore()
        let keyring = Self.keyring(made)
        _ = try keyring.makeKey(passphrase: Self.passphrase, again: Self.passphrase)
        let intruder = SealingKeyPair.generate().publicKey.bytes.map { String(format: "%02x", $0) }.joined()
        let literal = engine == .sqlite ? "X'\(intruder)'" : "'\\x\(intruder)'::bytea"
        try made.raw("UPDATE sealing_key SET public_key = \(literal) WHERE handler = 'gita'")
        #expect(throws: KeyringFailure.publicKeyChanged) { _ = try keyring.unlock(passphrase: Self.passphrase) }
        // The audit trail shows it too, whether or not anyone has unlocked since.
        let verified = try made.store.verifyAudit(today: CalendarDay(year: 2027, month: 1, day: 1)!, anchor: nil)
        #expect(verified.firstBroken?.reason.contains("sealing key of gita is not the one this record set") == true)
    }

    @Test("a key put in the store outside SpeakUp, for a handler or as the recovery key, fails the audit check", arguments: Engine.allCases)
    func keyWithoutRecord(engine: Engine) throws {
        let made = try engine.freshStore()
        _ = try Self.keyring(made).makeKey(passphrase: Self.passphrase, again: Self.passphrase)
        let today = CalendarDay(year: 2027, month: 1, day: 1)!
        #expect(try made.store.verifyAudit(today: today, anchor: nil).firstBroken == nil)
        let intruder = SealingKeyPair.generate().publicKey.bytes.map { String(format: "%02x", $0) }.joined()
        let literal = engine == .sqlite ? "X'\(intruder)'" : "'\\x\(intruder)'::bytea"
        try made.raw("INSERT INTO sealing_key (handler, public_key, locked_key, kept_at) VALUES ('mallory', \(literal), \(literal), '2026-11-30T00:00:00Z')")
        #expect(try made.store.verifyAudit(today: today, anchor: nil).firstBroken?.reason.contains("sealing key of mallory has no record") == true)
        let fresh = try engine.freshStore()
        try fresh.raw("INSERT INTO recovery_key (id, public_key, made_at) VALUES (1, \(literal), '2026-11-30T00:00:00Z')")
        #expect(try fresh.store.verifyAudit(today: today, anchor: nil).firstBroken?.reason.contains("recovery key has no record") == true)
    }

    @Test("a locked key moved to another handler's row does not open for them", arguments: Engine.allCases)
    func movedLockedKey(engine: Engine) throws {
        let made = try engine.freshStore()
        _ = try Self.keyring(made, "gita").makeKey(passphrase: Self.passphrase, again: Self.passphrase)
        _ = try Self.keyring(made, "asha").makeKey(passphrase: "her own long passphrase", again: "her own long passphrase")
        try made.raw("UPDATE sealing_key SET locked_key = (SELECT locked_key FROM sealing_key WHERE handler = 'gita'), public_key = (SELECT public_key FROM sealing_key WHERE handler = 'gita') WHERE handler = 'asha'")
        #expect(throws: KeyringFailure.wrongPassphrase(failures: 1, wait: 0)) { _ = try Self.keyring(made, "asha").unlock(passphrase: Self.passphrase) }
    }

    @Test("the trust recovery key is kept once: a second is refused, and the store refuses a change or a removal", arguments: Engine.allCases)
    func recoveryKey(engine: Engine) throws {
        let made = try engine.freshStore()
        #expect(try made.store.recoveryKey() == nil)
        let pair = SealingKeyPair.generate()
        try made.store.keepRecoveryKey(TrustRecoveryKey(publicKey: pair.publicKey.bytes, madeAt: Examples.moment), by: "ivan", at: Examples.moment)
        #expect(try made.store.recoveryKey()?.publicKey == pair.publicKey.bytes)
        let second = SealingKeyPair.generate().publicKey.bytes
        let error = #expect(throws: StoreError.self) {
            try made.store.keepRecoveryKey(TrustRecoveryKey(publicKey: second, madeAt: Examples.moment), by: "ivan", at: Examples.moment)
        }
        #expect(error?.sentence.contains("already has a trust recovery key") == true)
        #expect(try made.store.recoveryKey()?.publicKey == pair.publicKey.bytes)
        #expect(throws: (any Error).self) { try made.raw("DELETE FROM recovery_key") }
        #expect(throws: (any Error).self) { try made.raw("UPDATE recovery_key SET made_at = 'x'") }
        _ = try Self.keyring(made).makeKey(passphrase: Self.passphrase, again: Self.passphrase)
        #expect(throws: (any Error).self) { try made.raw("DELETE FROM sealing_key") }
        #expect(try made.store.sealingKey(of: "gita") != nil)
        let record = try #require(try made.store.auditRecords().last { $0.entry.action == "recovery-key-made" })
        #expect(record.entry.actor == "ivan")
        // What was printed reads back as the key whose public half the store keeps.
        let typed = RecoveryKeyText.text(for: pair).lowercased()
        #expect(try RecoveryKeyText.keyPair(from: typed, matching: SealingPublicKey(stored: made.store.recoveryKey()!.publicKey)).publicKey == pair.publicKey)
    }
}

/// A clock a test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var moment: Date
    init(_ moment: Date) { self.moment = moment }
    var now: Date {
        get { lock.withLock { moment } }
        set { lock.withLock { moment = newValue } }
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { Array(self[$0..<$0 + subsequence.count]) == subsequence }
    }
}
