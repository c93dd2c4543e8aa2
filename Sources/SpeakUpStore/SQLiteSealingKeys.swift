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
                let row = try Row.fetchOne(db, sql: "SELECT locked_key, public_key FROM sealing_key WHERE handler = ?", arguments: [key.handler])
                guard row.map({ Array($0["locked_key"] as Data) }) == replacing else { throw SealingKeyDigest.alreadyKept(key.handler) }
                let action = SealingKeyDigest.action(replacing: row.map { Array($0["public_key"] as Data) }, with: key.publicKey)
                try db.execute(sql: """
                    INSERT INTO sealing_key (handler, public_key, locked_key, kept_at, failed_unlocks, last_failed_unlock)
                    VALUES (?, ?, ?, ?, 0, NULL)
                    ON CONFLICT (handler) DO UPDATE SET public_key = excluded.public_key, locked_key = excluded.locked_key,
                        kept_at = excluded.kept_at, failed_unlocks = 0, last_failed_unlock = NULL
                    """, arguments: [key.handler, Data(key.publicKey), Data(key.lockedKey), StoredForm.stamp(moment)])
                try AuditTrail.append(
                    AuditEntry(at: .instant(moment), actor: key.handler, action: action,
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

/// Sealed cases' wrapped keys on SQLite (`case_key`, v21).
extension SQLiteReportStore {
    public func caseKeys(_ reference: CaseReference) throws(StoreError) -> [String: [UInt8]] {
        do {
            return try queue.read { db in
                var keys: [String: [UInt8]] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT recipient, wrapped FROM case_key WHERE reference = ?", arguments: [reference.text]) {
                    keys[row["recipient"]] = Array(row["wrapped"] as Data)
                }
                return keys
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func sealedCases(for handler: String, alsoOf other: String?) throws(StoreError) -> [CaseReference] {
        do {
            return try queue.read { db in
                try String.fetchAll(db, sql: """
                    SELECT reference FROM case_key WHERE recipient = ?1 OR recipient = ?2
                    UNION SELECT h.reference FROM case_handler h JOIN report r ON r.reference = h.reference
                          WHERE h.handler = ?1 AND r.sealed IS NOT NULL
                    ORDER BY 1
                    """, arguments: [handler, other]).compactMap(CaseReference.init)
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func keepCaseKeys(_ keys: [CaseKeyWrapping], by actor: String, at moment: Date) throws(StoreError) {
        guard !keys.isEmpty else { return }
        do {
            try writeTurnInTransaction { db in
                for key in keys {
                    try db.execute(sql: """
                        INSERT INTO case_key (reference, recipient, wrapped) VALUES (?, ?, ?)
                        ON CONFLICT (reference, recipient) DO UPDATE SET wrapped = excluded.wrapped
                        """, arguments: [key.reference.text, key.recipient, Data(key.wrapped)])
                    try AuditTrail.append(
                        AuditEntry(at: .instant(moment), actor: actor, action: "case-key-wrapped", reference: key.reference.text,
                                   detail: "for \(key.recipient), \(key.how)"), in: db)
                }
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save-key")
        }
    }

    public func keepSubjectChecks(_ checks: [SubjectCheck], by actor: String, at moment: Date) throws(StoreError) {
        guard !checks.isEmpty else { return }
        do {
            try writeTurnInTransaction { db in
                for check in checks {
                    try db.execute(sql: """
                        INSERT INTO subject_check (reference, handler, fits, checked_at, checked_by) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (reference, handler) DO NOTHING
                        """, arguments: [check.reference.text, check.handler, check.fits ? 1 : 0, SubmissionTime.instant(moment).text, actor])
                    guard db.changesCount > 0 else { continue }
                    try AuditTrail.append(
                        AuditEntry(at: .instant(moment), actor: actor, action: SubjectCheck.auditAction, reference: check.reference.text,
                                   detail: check.auditDetail), in: db)
                }
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save")
        }
    }
}

extension SQLiteReportStore {
    public func sealedWords(of references: [CaseReference], heldBy handler: String) throws(StoreError) -> [SealedCase] {
        guard !references.isEmpty else { return [] }
        let list = String(decoding: (try? JSONEncoder().encode(references.map(\.text))) ?? Data("[]".utf8), as: UTF8.self)
        do {
            return try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT h.reference, r.sealed, k.wrapped FROM case_handler h
                    JOIN report r ON r.reference = h.reference
                    JOIN case_key k ON k.reference = h.reference AND k.recipient = h.handler
                    WHERE h.handler = ? AND r.sealed IS NOT NULL AND h.reference IN (SELECT value FROM json_each(?))
                    """, arguments: [handler, list]).compactMap { row in
                    CaseReference(row["reference"] as String).map {
                        SealedCase(reference: $0, words: SealedWords(content: Array(row["sealed"] as Data)), wrapped: Array(row["wrapped"] as Data))
                    }
                }
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func sealedWords(heldBy handler: String) throws(StoreError) -> [SealedCase] {
        do {
            return try queue.read { db in
                var notes: [String: [CaseEvent]] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT e.reference, e.sequence, e.at, e.actor, e.text FROM case_handler h
                    JOIN case_event e ON e.reference = h.reference AND e.kind = 'note' AND e.text LIKE 'sealed-v1:%'
                    WHERE h.handler = ? ORDER BY e.reference, e.sequence
                    """, arguments: [handler]) {
                    guard let reference = CaseReference(row["reference"] as String), let at = SubmissionTime(text: row["at"]) else { continue }
                    notes[reference.text, default: []].append(
                        CaseEvent(reference: reference, sequence: row["sequence"], kind: .note, at: at, text: row["text"], actor: row["actor"]))
                }
                return try Row.fetchAll(db, sql: """
                    SELECT h.reference, r.sealed, k.wrapped FROM case_handler h
                    JOIN report r ON r.reference = h.reference
                    JOIN case_key k ON k.reference = h.reference AND k.recipient = h.handler
                    WHERE h.handler = ? AND r.sealed IS NOT NULL
                    """, arguments: [handler]).compactMap { row in
                    CaseReference(row["reference"] as String).map {
                        SealedCase(reference: $0, words: SealedWords(content: Array(row["sealed"] as Data)), wrapped: Array(row["wrapped"] as Data),
                                   notes: notes[$0.text] ?? [])
                    }
                }
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }
}

extension SQLiteReportStore {
    public func sealedReferences(heldBy handler: String) throws(StoreError) -> Set<CaseReference> {
        do {
            return try queue.read { db in
                Set(try String.fetchAll(db, sql: """
                    SELECT h.reference FROM case_handler h
                    JOIN report r ON r.reference = h.reference
                    JOIN case_key k ON k.reference = h.reference AND k.recipient = h.handler
                    WHERE h.handler = ? AND r.sealed IS NOT NULL
                    """, arguments: [handler]).compactMap(CaseReference.init))
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }
}
