import Foundation
import SpeakUpCore

/// What the audit trail keeps of a sealing key when it is set: a digest of whose it is and its
/// public half (never the locked private half, whose bytes change with every passphrase).
/// The same bytes on every engine.
public enum SealingKeyDigest {
    public static func of(handler: String, publicKey: [UInt8]) -> Data {
        var hasher = ContentHasher()
        hasher.add("sealing_key")
        hasher.add(row: [("handler", .text(handler)), ("public_key", .blob(Data(publicKey)))])
        return hasher.finalize()
    }

    public static func ofRecoveryKey(_ publicKey: [UInt8]) -> Data {
        var hasher = ContentHasher()
        hasher.add("recovery_key")
        hasher.add(row: [("public_key", .blob(Data(publicKey)))])
        return hasher.finalize()
    }

    /// The audit action for keeping a handler's key: made (none before), a new passphrase over the same
    /// key, or a new key in place of one whose passphrase was forgotten.
    public static func action(replacing old: [UInt8]?, with new: [UInt8]) -> String {
        guard let old else { return "sealing-key-made" }
        return old == new ? "passphrase-changed" : "sealing-key-replaced"
    }

    /// The sentences for the two refusals every engine gives alike.
    public static func alreadyKept(_ handler: String) -> StoreError {
        StoreError(.failed, "A sealing key for \(handler) was set meanwhile (from another terminal?). Nothing was changed; please start again.")
    }

    public static let recoveryKeyExists = StoreError(
        .failed, "This store already has a trust recovery key, so no other was made: cases are sealed for the one it has. Nothing was changed.")

    public static func noKey(_ handler: String) -> StoreError {
        StoreError(.failed, "\(handler) has no sealing key in this store yet. Nothing was changed.")
    }
}
