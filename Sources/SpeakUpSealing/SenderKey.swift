import Crypto
import Foundation
import SpeakUpCore

/// The ephemeral keys this process wraps content keys with, and their key agreements with each
/// recipient, worked out ahead.
///
/// A key agreement is a scalar multiplication: a submit wrapping a case's key for ten handlers and the
/// recovery key would otherwise do a dozen while the reporter waits. One ephemeral key per process
/// (made afresh every hour) agrees once with each recipient, ahead of time where the form can (while
/// the reporter writes, `SealingWarmUp.prepare`), and each wrapping then costs the second half of a key
/// derivation and a seal: the wrapping key is HKDF-SHA256 of that agreement salted with both public keys
/// and bound to the case reference. HKDF's first step (extract) depends only on the agreement and the
/// two public keys, so it is kept with the agreement (`WrappingAgreement`); its second (expand) binds the
/// case. Each seal has its own random nonce, so no two cases share a wrapping key. The format is that of
/// `WrappedContentKey`: the recipient cannot tell, and needs nothing new.
///
/// What it gives up: the ephemeral private key lives in this process's memory for up to an hour, so
/// someone who reads that memory could unwrap the content keys this process wrapped in that hour; but
/// that process held those reports' words in clear anyway. It is never stored. And the cases it wraps
/// share its public key, which shows they came from one process: so only reports that name their reporter's
/// own login use it; an anonymous report, or one made at a shared terminal, gets an ephemeral key of its own
/// (`oneOff`), used for that one case and never again. One such key is also made ahead, while the reporter
/// writes (the spare), and taken by the next such submit.
final class SenderKey: @unchecked Sendable {
    static let shared = SenderKey()
    /// How long one ephemeral key is used (and a spare one-off key is kept unused).
    static let lifetime: TimeInterval = 3600

    /// An ephemeral key and its agreements, HKDF-extracted, by recipient public key.
    struct Agreements {
        let key: Curve25519.KeyAgreement.PrivateKey
        let publicBytes: [UInt8]
        let made: Date
        var extracted: [[UInt8]: WrappingAgreement] = [:]

        init(key: Curve25519.KeyAgreement.PrivateKey = Curve25519.KeyAgreement.PrivateKey(), made: Date = Date()) {
            self.key = key
            self.publicBytes = Array(key.publicKey.rawRepresentation)
            self.made = made
        }

        /// The agreement with `recipient`, worked out now unless it was already.
        mutating func with(_ recipient: SealingPublicKey) throws -> WrappingAgreement {
            if let known = extracted[recipient.bytes] { return known }
            let agreement = try WrappingAgreement(key.sharedSecretFromKeyAgreement(with: recipient.key), ephemeral: publicBytes, recipient: recipient.bytes)
            extracted[recipient.bytes] = agreement
            return agreement
        }

        func covers(_ recipients: [SealingPublicKey]) -> Bool {
            recipients.allSatisfy { extracted[$0.bytes] != nil }
        }
    }

    private let lock = NSLock()
    private var current = Agreements()
    private var spare: Agreements?
    /// The next linkable report's content key and wrappings, made ahead (`SealingKit`).
    private var kit: SealingKit?

    /// One of a test's own; SpeakUp uses `shared`.
    init() {}

    /// The ephemeral public key and its agreement with each recipient (worked out now where not yet).
    func agreements(with recipients: [SealingPublicKey]) throws -> (ephemeral: [UInt8], agreements: [WrappingAgreement]) {
        try lock.withLock {
            if Date().timeIntervalSince(current.made) > Self.lifetime { current = Agreements() }
            return (current.publicBytes, try recipients.map { try current.with($0) })
        }
    }

    /// A fresh ephemeral key's agreements, for one case only: the spare made ahead if there is one
    /// (taken, so no other case can have it; agreements it lacks, such as a receipt's reporter key, are
    /// worked out now), else a key made now.
    func oneOff(with recipients: [SealingPublicKey]) throws -> (ephemeral: [UInt8], agreements: [WrappingAgreement]) {
        let taken: Agreements? = lock.withLock {
            defer { spare = nil }
            guard let spare, Date().timeIntervalSince(spare.made) <= Self.lifetime else { return nil }
            return spare
        }
        var agreements = taken ?? Agreements()
        return (agreements.publicBytes, try recipients.map { try agreements.with($0) })
    }

    /// Makes the next report's kit for `recipients`, unless one still fresh covers them already.
    func prepareKit(for recipients: [SealingPublicKey]) throws {
        if lock.withLock({ kit.map { $0.covers(recipients) && Date().timeIntervalSince($0.made) <= Self.lifetime } == true }) { return }
        let made = try SealingKit.make(for: recipients, sender: self)
        lock.withLock { kit = made }
    }

    /// The reference of the kit waiting to be taken, if there is one still fresh.
    func kitReference() -> CaseReference? {
        lock.withLock {
            guard let kit, Date().timeIntervalSince(kit.made) <= Self.lifetime else { return nil }
            return kit.reference
        }
    }

    /// The waiting kit, taken (no other report can have it), if it was made for `reference` and is still fresh.
    func takeKit(for reference: CaseReference) -> SealingKit? {
        lock.withLock {
            guard let waiting = kit, waiting.reference == reference else { return nil }
            kit = nil
            return Date().timeIntervalSince(waiting.made) <= Self.lifetime ? waiting : nil
        }
    }

    /// Makes the spare one-off key and its agreements with `recipients`, unless one is waiting already.
    func prepareSpare(for recipients: [SealingPublicKey]) throws {
        if lock.withLock({ spare?.covers(recipients) == true }) { return }
        var made = Agreements()
        for recipient in recipients { _ = try made.with(recipient) }
        lock.withLock { spare = made }
    }
}

/// Works out ahead the key agreements a submit will need, off the reporter's wait (SpeakUp's forms
/// call it when they open, and shared terminals again after each report, on a thread of their own):
/// this process's ephemeral key's, a spare one-off key's for the next anonymous or shared-terminal report,
/// and the next report's content key wrapped for every recipient (`SealingKit`).
public enum SealingWarmUp {
    public static func prepare(for recipients: [[UInt8]]) {
        let keys = recipients.compactMap { try? SealingPublicKey(stored: $0) }
        _ = try? SenderKey.shared.agreements(with: keys)
        try? SenderKey.shared.prepareSpare(for: keys)
        try? SenderKey.shared.prepareKit(for: keys)
    }

    /// The reference for the next report a form makes: the waiting kit's, so that its submit can use
    /// the kit, else a fresh random one (as without sealing). Either is random and unused; the store
    /// still picks another should it be taken.
    public static func reference() -> CaseReference {
        SenderKey.shared.kitReference() ?? .random()
    }
}
