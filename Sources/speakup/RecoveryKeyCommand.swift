import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpSealing

/// `speakup store recovery-key`: makes the trust's recovery key pair, once per store. Its public half
/// is kept in the store (every sealed case is wrapped for it too); its private half is printed here,
/// once, for safe keeping offline, and never stored (docs/security.md).
struct RecoveryKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recovery-key",
        abstract: "Make the trust's recovery key, once: its private half is printed here, for safe keeping offline (administrators).",
        discussion: "Run once, after installing, before handlers choose their passphrases. Print or copy the key at once, check it, and keep it offline (a safe): SpeakUp keeps only its public half and cannot show the key again. With it, `speakup recover` gives a handler who forgot their passphrase, or a new handler, access to sealed cases. A store that has a recovery key already keeps it: a second is refused."
    )

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        do throws(Failure) {
            try Roles.require(.administrator, toDo: "make the trust's recovery key")
            guard let identity = RealIdentity.current() else {
                throw Failure("SpeakUp cannot find your user account (uid \(getuid())) in the system's user list. Please tell IT.")
            }
            let (store, _) = try storeOptions.open(.write)
            let existing: TrustRecoveryKey?
            do { existing = try store.recoveryKey() } catch { throw Failure(error.sentence) }
            if let existing {
                let fingerprint = (try? SealingPublicKey(stored: existing.publicKey).fingerprint) ?? "unreadable"
                throw Failure("The store at \(store.location) already has a trust recovery key (made \(SubmissionTime.instant(existing.madeAt).text), fingerprint \(fingerprint)). Nothing was changed; a second key would leave what is sealed for the first out of its reach.")
            }
            let pair = SealingKeyPair.generate()
            // Printed before it is kept: a key kept but never seen would seal cases for nobody.
            let page = """
                The trust recovery key for the store at \(store.location):

                    \(RecoveryKeyText.text(for: pair))

                Fingerprint of its public half: \(pair.publicKey.fingerprint)

                Write it down or print it now, check it character by character, and keep it offline
                (in a safe, in a sealed envelope). SpeakUp keeps only its public half and will not show
                this key again. Whoever holds it can open every sealed case, so keep it as you would
                the keys to the records room.

                """
            guard Self.writeAll(page) else {
                throw Failure("The recovery key could not be printed, so it was not kept and nothing was changed. Please run this again where it can be printed.")
            }
            do {
                try store.keepRecoveryKey(TrustRecoveryKey(publicKey: pair.publicKey.bytes, madeAt: Date()), by: identity.reporter.userName, at: Date())
            } catch {
                throw Failure("The key above was NOT kept, so please destroy any copy of it: \(error.sentence)")
            }
            Diagnostics.say("The recovery key's public half is kept in the store, and its making is in the audit trail.")
        } catch {
            error.exit()
        }
    }

    /// Writes the whole text to standard output, unbuffered; false when any of it could not be written.
    static func writeAll(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            bytes = bytes.dropFirst(written)
        }
        return true
    }
}
