import Foundation
import Testing
import Crypto
import SpeakUpCore
@testable import SpeakUpSealing

@Suite("Sealing: a case's words open only for the keys they were sealed for")
struct SealingTests {
    static let reference = CaseReference("SU-7KQ4-M2XD")!
    static let other = CaseReference("SU-0000-0001")!

    @Test("A field sealed with a case's content key opens with it, as the same words")
    func roundTrip() throws {
        let key = ContentKey.fresh()
        let account = "Dr Ahmed shouted at the student nurse on Ward 7 — in front of a patient. ﷽ 🙂"
        let sealed = try key.seal(account, as: SealingContext(Self.reference, field: "account"))
        #expect(try key.open(sealed, as: SealingContext(Self.reference, field: "account")) == account)
        // The sealed bytes hold none of the words.
        #expect(sealed.bytes.count == 1 + 12 + Array(account.utf8).count + 16)
        #expect(Data(sealed.bytes).range(of: Data("Ahmed".utf8)) == nil)
    }

    @Test("Two seals of the same words differ (a fresh nonce each time)")
    func freshNonce() throws {
        let key = ContentKey.fresh()
        let context = SealingContext(Self.reference, field: "account")
        #expect(try key.seal("same", as: context) != key.seal("same", as: context))
    }

    @Test("A field moved to another case, or to another field of the same case, is refused with the case named")
    func movedFieldRefused() throws {
        let key = ContentKey.fresh()
        let sealed = try key.seal("words", as: SealingContext(Self.reference, field: "account"))
        #expect(throws: SealingFailure.tampered(Self.other, field: "account")) {
            try key.open(sealed, as: SealingContext(Self.other, field: "account"))
        }
        #expect(throws: SealingFailure.tampered(Self.reference, field: "witnesses")) {
            try key.open(sealed, as: SealingContext(Self.reference, field: "witnesses"))
        }
    }

    @Test("Every single flipped bit, and a field cut short, is refused", arguments: [0, 1, 5, 12, 13, 20, 28, 31])
    func tamperedFieldRefused(position: Int) throws {
        let key = ContentKey.fresh()
        let context = SealingContext(Self.reference, field: "account")
        let sealed = try key.seal("Tell nobody", as: context)
        var bytes = sealed.bytes
        bytes[position % bytes.count] ^= 0x01
        if let changed = try? SealedField(stored: bytes) {
            #expect(throws: SealingFailure.self) { try key.open(changed, as: context) }
        }
        let cut = try SealedField(stored: Array(sealed.bytes.dropLast()))
        #expect(throws: SealingFailure.tampered(Self.reference, field: "account")) { try key.open(cut, as: context) }
    }

    @Test("Bytes that are not a sealed field are refused with a sentence")
    func unreadable() {
        #expect(throws: SealingFailure.self) { try SealedField(stored: [1, 2, 3]) }
        #expect(throws: SealingFailure.self) { try SealedField(stored: [9] + [UInt8](repeating: 0, count: 40)) }
        let sentence = SealingFailure.unreadable("sealed field format 9").sentence
        #expect(sentence.contains("newer version"))
    }

    @Test("A content key wrapped for a handler opens for that handler and nobody else")
    func wrapping() throws {
        let handler = SealingKeyPair.generate()
        let stranger = SealingKeyPair.generate()
        let content = ContentKey.fresh()
        let context = SealingContext(Self.reference, field: "account")
        let sealed = try content.seal("what happened", as: context)
        let wrapped = try WrappedContentKey.wrap(content, for: handler.publicKey, case: Self.reference)
        let opened = try handler.unwrap(wrapped, for: Self.reference)
        #expect(try opened.open(sealed, as: context) == "what happened")
        #expect(throws: SealingFailure.notForThisKey(Self.reference)) { try stranger.unwrap(wrapped, for: Self.reference) }
    }

    @Test("The wrapping key worked out in two steps (the first kept with the agreement) is the one unwrapping derives in one")
    func twoStepWrappingKey() throws {
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        let recipient = SealingKeyPair.generate()
        let shared = try ephemeral.sharedSecretFromKeyAgreement(with: recipient.publicKey.key)
        let ephemeralBytes = Array(ephemeral.publicKey.rawRepresentation)
        let agreement = WrappingAgreement(shared, ephemeral: ephemeralBytes, recipient: recipient.publicKey.bytes)
        for reference in [Self.reference, Self.other] {
            let twoSteps = agreement.wrappingKey(for: reference).withUnsafeBytes { Array($0) }
            let oneGo = WrappedContentKey.wrappingKey(shared, ephemeral: ephemeralBytes, recipient: recipient.publicKey.bytes, reference: reference)
                .withUnsafeBytes { Array($0) }
            #expect(twoSteps == oneGo)
        }
        #expect(agreement.wrappingKey(for: Self.reference).withUnsafeBytes { Array($0) }
            != agreement.wrappingKey(for: Self.other).withUnsafeBytes { Array($0) })
    }

    @Test("An unlinkable wrapping takes the spare one-off key made ahead once, and never gives it to a second case")
    func spareOneOffKeyUsedOnce() throws {
        let handler = SealingKeyPair.generate()
        let receiptKey = SealingKeyPair.generate()
        SealingWarmUp.prepare(for: [handler.publicKey.bytes])
        // The spare agreed with the handler only; a receipt's reporter key is agreed with then.
        let first = try WrappedContentKey.wrap(.fresh(), for: [handler.publicKey, receiptKey.publicKey], case: Self.reference, linkable: false)
        let second = try WrappedContentKey.wrap(.fresh(), for: [handler.publicKey], case: Self.other, linkable: false)
        let linked = try WrappedContentKey.wrap(.fresh(), for: [handler.publicKey], case: Self.other, linkable: true)
        let ephemeral = { (wrapped: WrappedContentKey) in Array(wrapped.bytes[1..<33]) }
        #expect(ephemeral(first[0]) == ephemeral(first[1]))
        #expect(ephemeral(first[0]) != ephemeral(second[0]))
        #expect(ephemeral(first[0]) != ephemeral(linked[0]) && ephemeral(second[0]) != ephemeral(linked[0]))
        _ = try handler.unwrap(first[0], for: Self.reference)
        _ = try receiptKey.unwrap(first[1], for: Self.reference)
        _ = try handler.unwrap(second[0], for: Self.other)
    }

    @Test("A wrapped key swapped in from another case is refused")
    func swappedKeyRefused() throws {
        let handler = SealingKeyPair.generate()
        let wrappedForOther = try WrappedContentKey.wrap(.fresh(), for: handler.publicKey, case: Self.other)
        #expect(throws: SealingFailure.notForThisKey(Self.reference)) { try handler.unwrap(wrappedForOther, for: Self.reference) }
        // And the other case's own key does not open this case's fields.
        let content = ContentKey.fresh()
        let sealed = try content.seal("x", as: SealingContext(Self.reference, field: "account"))
        let otherKey = try handler.unwrap(wrappedForOther, for: Self.other)
        #expect(throws: SealingFailure.tampered(Self.reference, field: "account")) {
            try otherKey.open(sealed, as: SealingContext(Self.reference, field: "account"))
        }
    }

    @Test("A changed wrapped key is refused, whichever byte changed", arguments: [1, 16, 32, 33, 45, 60, 92])
    func changedWrappedKey(position: Int) throws {
        let handler = SealingKeyPair.generate()
        var bytes = try WrappedContentKey.wrap(.fresh(), for: handler.publicKey, case: Self.reference).bytes
        bytes[position] ^= 0x80
        let changed = try WrappedContentKey(stored: bytes)
        #expect(throws: SealingFailure.notForThisKey(Self.reference)) { try handler.unwrap(changed, for: Self.reference) }
    }

    @Test("Public keys read back from their 32 bytes, with a fingerprint to compare by eye")
    func publicKeys() throws {
        let pair = SealingKeyPair.generate()
        let read = try SealingPublicKey(stored: pair.publicKey.bytes)
        #expect(read == pair.publicKey)
        #expect(read.fingerprint.count == 19)
        #expect(throws: SealingFailure.self) { try SealingPublicKey(stored: [1, 2]) }
    }
}
