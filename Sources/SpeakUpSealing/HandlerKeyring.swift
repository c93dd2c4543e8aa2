import Foundation
import SpeakUpCore

/// One handler's sealing key in the store: choosing a passphrase the first time, unlocking the key
/// with it, and changing it. The passphrase and the private key never leave this process in clear.
///
/// A wrong passphrase is counted in the store and recorded in the audit trail, and after the free
/// tries each next try waits (`UnlockPacing`): the wait is checked here before any derivation is
/// spent, from the count the store keeps, so starting again does not reset it.
public struct HandlerKeyring: Sendable {
    public let store: any SealingKeyKeeping
    public let handler: String
    let cost: UnlockingCost
    let now: @Sendable () -> Date

    public init(store: any SealingKeyKeeping, handler: String, cost: UnlockingCost = .standard, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.handler = handler
        self.cost = cost
        self.now = now
    }

    /// Whether the handler has a key yet.
    public func hasKey() throws(KeyringFailure) -> Bool {
        do { return try store.sealingKey(of: handler) != nil } catch { throw .store(error) }
    }

    /// Makes the handler's key pair and keeps it locked under `passphrase`, which must be chosen
    /// well (`PassphraseRule`) and typed the same twice.
    public func makeKey(passphrase: String, again: String) throws(KeyringFailure) -> SealingKeyPair {
        try check(new: passphrase, again: again)
        let pair = SealingKeyPair.generate()
        let locked: PassphraseLockedKey
        do { locked = try PassphraseLockedKey.lock(pair, passphrase: passphrase, holder: handler, cost: cost) } catch { throw .sealing(error) }
        do {
            try store.keepSealingKey(HandlerSealingKey(handler: handler, publicKey: pair.publicKey.bytes, lockedKey: locked.bytes, keptAt: now()),
                                     replacing: nil, at: now())
        } catch { throw .store(error) }
        return pair
    }

    /// Unlocks the handler's key with their passphrase.
    public func unlock(passphrase: String) throws(KeyringFailure) -> SealingKeyPair {
        let kept = try keptKey()
        let pair: SealingKeyPair
        do {
            pair = try PassphraseLockedKey(stored: kept.lockedKey).unlock(passphrase: passphrase, holder: handler)
        } catch .wrongPassphrase {
            let counted: HandlerSealingKey
            do { counted = try store.recordFailedUnlock(of: handler, at: now()) } catch { throw .store(error) }
            throw .wrongPassphrase(failures: counted.failedUnlocks,
                                   wait: UnlockPacing.secondsToWait(failures: counted.failedUnlocks, lastFailure: counted.lastFailedUnlock, now: now()))
        } catch {
            throw .sealing(error)
        }
        // The public half kept in clear is what every submit wraps for: it must be this key's.
        guard pair.publicKey.bytes == kept.publicKey else { throw .publicKeyChanged }
        do { try store.recordUnlock(of: handler, at: now()) } catch { throw .store(error) }
        return pair
    }

    /// Changes the passphrase the handler's key is locked under (the key itself stays the same,
    /// so every case sealed for it still opens). Returns the key, unlocked.
    @discardableResult
    public func changePassphrase(from current: String, to new: String, again: String) throws(KeyringFailure) -> SealingKeyPair {
        try check(new: new, again: again)
        let kept = try keptKey()
        let pair = try unlock(passphrase: current)
        let locked: PassphraseLockedKey
        do { locked = try PassphraseLockedKey.lock(pair, passphrase: new, holder: handler, cost: cost) } catch { throw .sealing(error) }
        do {
            try store.keepSealingKey(HandlerSealingKey(handler: handler, publicKey: kept.publicKey, lockedKey: locked.bytes, keptAt: now()),
                                     replacing: kept.lockedKey, at: now())
        } catch { throw .store(error) }
        return pair
    }

    /// A new key pair in place of one whose passphrase is forgotten (no old passphrase needed: the
    /// login is who they are). The cases sealed for the old key stay sealed for it until they are
    /// sealed again for the new one with the recovery key (`speakup recover`); recorded as
    /// `sealing-key-replaced`.
    public func replaceKey(passphrase: String, again: String) throws(KeyringFailure) -> SealingKeyPair {
        try check(new: passphrase, again: again)
        let kept: HandlerSealingKey?
        do { kept = try store.sealingKey(of: handler) } catch { throw .store(error) }
        guard let kept else { throw .noKey }
        let pair = SealingKeyPair.generate()
        let locked: PassphraseLockedKey
        do { locked = try PassphraseLockedKey.lock(pair, passphrase: passphrase, holder: handler, cost: cost) } catch { throw .sealing(error) }
        do {
            try store.keepSealingKey(HandlerSealingKey(handler: handler, publicKey: pair.publicKey.bytes, lockedKey: locked.bytes, keptAt: now()),
                                     replacing: kept.lockedKey, at: now())
        } catch { throw .store(error) }
        return pair
    }

    /// Seconds the handler must still wait before trying a passphrase (0 when they may now).
    public func secondsToWait() throws(KeyringFailure) -> Int {
        let found: HandlerSealingKey?
        do { found = try store.sealingKey(of: handler) } catch { throw .store(error) }
        guard let kept = found else { throw .noKey }
        return UnlockPacing.secondsToWait(failures: kept.failedUnlocks, lastFailure: kept.lastFailedUnlock, now: now())
    }

    private func keptKey() throws(KeyringFailure) -> HandlerSealingKey {
        let kept: HandlerSealingKey?
        do { kept = try store.sealingKey(of: handler) } catch { throw .store(error) }
        guard let kept else { throw .noKey }
        let wait = UnlockPacing.secondsToWait(failures: kept.failedUnlocks, lastFailure: kept.lastFailedUnlock, now: now())
        if wait > 0 { throw .tooSoon(seconds: wait) }
        return kept
    }

    private func check(new: String, again: String) throws(KeyringFailure) {
        if let problem = PassphraseRule.problem(with: new, login: handler) { throw .weakPassphrase(problem) }
        guard new == again else { throw .passphrasesDiffer }
    }
}

/// Why a handler's key could not be made, unlocked or changed, in a sentence for the screen.
public enum KeyringFailure: Error, Equatable, Sendable {
    case noKey
    case weakPassphrase(String)
    case passphrasesDiffer
    case wrongPassphrase(failures: Int, wait: Int)
    case tooSoon(seconds: Int)
    case publicKeyChanged
    case sealing(SealingFailure)
    case store(StoreError)

    public var sentence: String {
        switch self {
        case .noKey:
            "You have no sealing key in this store yet."
        case .weakPassphrase(let why):
            why
        case .passphrasesDiffer:
            "The two passphrases are not the same. Please type them again."
        case .wrongPassphrase(let failures, let wait):
            wait > 0
                ? "That passphrase does not open your key (\(failures) wrong in a row, which is recorded). Please wait \(UnlockPacing.describe(seconds: wait)) before trying again; if you have forgotten it, your IT team can give you access again with the trust's recovery key."
                : "That passphrase does not open your key. Check Caps Lock and try again."
        case .tooSoon(let seconds):
            "After several wrong passphrases, please wait \(UnlockPacing.describe(seconds: seconds)) before trying again. If you have forgotten it, your IT team can give you access again with the trust's recovery key."
        case .publicKeyChanged:
            "Your passphrase is right, but the public half of your key in the store is not yours: it has been changed outside SpeakUp. Nothing was opened. Please tell IT; the audit trail records when your key was set."
        case .sealing(let failure):
            failure.sentence
        case .store(let error):
            error.sentence
        }
    }
}
