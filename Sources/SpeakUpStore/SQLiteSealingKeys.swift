import Foundation
import GRDB
import SpeakUpCore

/// Handlers' sealing keys and the trust recovery key on SQLite (`SealingKeyKeeping`; tables of v20).
extension SQLiteReportStore {
    public func sealingKey(of handler: String) throws(StoreError) -> HandlerSealingKey? {
        do {
            return try queue.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM sealing_key WHERE handler = ?", arguments: [handler]).map(Self.sealingKey)
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func sealingKeys() throws(StoreError) -> [HandlerSealingKey] {
        do {
            return try queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM sealing_key ORDER BY handler").map(Self.sealingKey) }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func keepSealingKey(_ key: HandlerSealingKey, replacing: [UInt8]?, at moment: Date) throws(StoreError) {
        do {
            try writeTurnInTransaction { db in
                let kept = try Data.fetchOne(db, sql: "SELECT locked_key FROM sealing_key WHERE handler = ?", arguments: [key.handler])
                guard kept.map(Array.init) == replacing else { throw SealingKeyDigest.alreadyKept(key.handler) }
                try db.execute(sql: """
                    INSERT INTO sealing_key (handler, public_key, locked_key, kept_at, failed_unlocks, last_failed_unlock)
                    VALUES (?, ?, ?, ?, 0, NULL)
                    ON CONFLICT (handler) DO UPDATE SET public_key = excluded.public_key, locked_key = excluded.locked_key,
                        kept_at = excluded.kept_at, failed_unlocks = 0, last_failed_unlock = NULL
                    """, arguments: [key.handler, Data(key.publicKey), Data(key.lockedKey), StoredForm.stamp(moment)])
                try AuditTrail.append(
                    AuditEntry(at: .instant(moment), actor: key.handler, action: replacing == nil ? "sealing-key-made" : "passphrase-changed",
                               reference: nil, content: SealingKeyDigest.of(handler: key.handler, publicKey: key.publicKey)), in: db)
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save-key")
        }
    }

    public func recordFailedUnlock(of handler: String, at moment: Date) throws(StoreError) -> HandlerSealingKey {
        do {
            return try writeTurnInTransaction { db in
                try db.execute(sql: "UPDATE sealing_key SET failed_unlocks = failed_unlocks + 1, last_failed_unlock = ? WHERE handler = ?",
                               arguments: [StoredForm.stamp(moment), handler])
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sealing_key WHERE handler = ?", arguments: [handler]) else {
                    throw SealingKeyDigest.noKey(handler)
                }
                let key = try Self.sealingKey(row)
                try AuditTrail.append(
                    AuditEntry(at: .instant(moment), actor: handler, action: "passphrase-refused", reference: nil,
                               detail: "wrong passphrase \(key.failedUnlocks) in a row"), in: db)
                return key
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save-key")
        }
    }

    public func recordUnlock(of handler: String, at moment: Date) throws(StoreError) {
        do {
            guard try sealingKey(of: handler)?.failedUnlocks ?? 0 > 0 else { return }
            try writeTurnInTransaction { db in
                try db.execute(sql: "UPDATE sealing_key SET failed_unlocks = 0, last_failed_unlock = NULL WHERE handler = ?", arguments: [handler])
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save-key")
        }
    }

    public func recoveryKey() throws(StoreError) -> TrustRecoveryKey? {
        do {
            return try queue.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM recovery_key").map { row in
                    guard let made = StoredForm.date(row["made_at"]) else {
                        throw StoreError(.damaged, "The trust recovery key in the store at \(path) has a date that does not read. Please tell IT.")
                    }
                    return TrustRecoveryKey(publicKey: Array(row["public_key"] as Data), madeAt: made)
                }
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func keepRecoveryKey(_ key: TrustRecoveryKey, by actor: String, at moment: Date) throws(StoreError) {
        do {
            try writeTurnInTransaction { db in
                guard try Int.fetchOne(db, sql: "SELECT count(*) FROM recovery_key") == 0 else { throw SealingKeyDigest.recoveryKeyExists }
                try db.execute(sql: "INSERT INTO recovery_key (id, public_key, made_at) VALUES (1, ?, ?)",
                               arguments: [Data(key.publicKey), StoredForm.stamp(moment)])
                try AuditTrail.append(
                    AuditEntry(at: .instant(moment), actor: actor, action: "recovery-key-made", reference: nil,
                               content: SealingKeyDigest.ofRecoveryKey(key.publicKey)), in: db)
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save-key")
        }
    }

    private static func sealingKey(_ row: Row) throws -> HandlerSealingKey {
        let handler: String = row["handler"]
        guard let kept = StoredForm.date(row["kept_at"]) else {
            throw StoreError(.damaged, "The sealing key of \(handler) has a date that does not read. Please tell IT.")
        }
        return HandlerSealingKey(handler: handler, publicKey: Array(row["public_key"] as Data), lockedKey: Array(row["locked_key"] as Data),
                                 keptAt: kept, failedUnlocks: row["failed_unlocks"],
                                 lastFailedUnlock: (row["last_failed_unlock"] as String?).flatMap(StoredForm.date))
    }
}
