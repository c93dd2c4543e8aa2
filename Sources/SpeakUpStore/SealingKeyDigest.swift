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

    /// The audit actions that record a key as it was set.
    public static let keyActions = ["sealing-key-made", "passphrase-changed", "sealing-key-replaced", "recovery-key-made"]

    /// A key record of the audit trail, as `keptKeysHold` reads it.
    public struct KeyRecord: Sendable {
        public var position: Int
        public var actor: String?
        public var action: String
        public var content: Data?

        public init(position: Int, actor: String?, action: String, content: Data?) {
            self.position = position
            self.actor = actor
            self.action = action
            self.content = content
        }
    }

    /// Whether every key the store keeps is the one its last audit record set: a handler's public key
    /// (or the recovery key) put in or changed outside SpeakUp would have new cases sealed for someone
    /// else. The first that is not, as `audit verify` says it, or nil.
    public static func keptKeysHold(_ records: [KeyRecord], handlers: [HandlerSealingKey], recovery: TrustRecoveryKey?) -> (position: Int, reason: String)? {
        var last: [String: KeyRecord] = [:]
        var lastRecovery: KeyRecord?
        for record in records.sorted(by: { $0.position < $1.position }) {
            if record.action == "recovery-key-made" { lastRecovery = record } else if let actor = record.actor { last[actor] = record }
        }
        let end = records.map(\.position).max() ?? 0
        for key in handlers.sorted(by: { $0.handler < $1.handler }) {
            guard let record = last[key.handler] else {
                return (end, "the sealing key of \(key.handler) has no record in the audit trail: it was put in outside SpeakUp, and cases may have been sealed for it")
            }
            if record.content != of(handler: key.handler, publicKey: key.publicKey) {
                return (record.position, "the sealing key of \(key.handler) is not the one this record set: it was changed outside SpeakUp, and cases may have been sealed for it")
            }
        }
        if let recovery {
            guard let record = lastRecovery else {
                return (end, "the trust recovery key has no record in the audit trail: it was put in outside SpeakUp")
            }
            if record.content != ofRecoveryKey(recovery.publicKey) {
                return (record.position, "the trust recovery key is not the one this record set: it was changed outside SpeakUp")
            }
        }
        return nil
    }
}
