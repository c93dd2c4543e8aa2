import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore

/// Handlers' sealing keys and the trust recovery key on PostgreSQL (`SealingKeyKeeping`; pg-v7).
extension PostgresReportStore {
    public func sealingKey(of handler: String) throws(StoreError) -> HandlerSealingKey? {
        try read { session in
            try session.rows("SELECT * FROM sealing_key WHERE handler = \(handler)").first.map(Self.sealingKey)
        }
    }

    public func sealingKeys() throws(StoreError) -> [HandlerSealingKey] {
        try read { session in try session.rows("SELECT * FROM sealing_key ORDER BY handler COLLATE \"C\"").map(Self.sealingKey) }
    }

    public func keepSealingKey(_ key: HandlerSealingKey, replacing: [UInt8]?, at moment: Date) throws(StoreError) {
        try write(.key) { session in
            let row = try session.rows("SELECT locked_key, public_key FROM sealing_key WHERE handler = \(key.handler) FOR UPDATE").first
            guard try row?.bytes("locked_key").map(Array.init) == replacing else { throw SealingKeyDigest.alreadyKept(key.handler) }
            let action = SealingKeyDigest.action(replacing: try row?.bytes("public_key").map(Array.init), with: key.publicKey)
            let stamp = StoredForm.stamp(moment)
            _ = try session.query("""
                INSERT INTO sealing_key (handler, public_key, locked_key, kept_at, failed_unlocks, last_failed_unlock)
                VALUES (\(key.handler), \(Data(key.publicKey)), \(Data(key.lockedKey)), \(stamp), 0, NULL)
                ON CONFLICT (handler) DO UPDATE SET public_key = excluded.public_key, locked_key = excluded.locked_key,
                    kept_at = excluded.kept_at, failed_unlocks = 0, last_failed_unlock = NULL
                """)
            try PostgresAuditTrail.append(
                AuditEntry(at: .instant(moment), actor: key.handler, action: action,
                           reference: nil, content: SealingKeyDigest.of(handler: key.handler, publicKey: key.publicKey)), in: session)
        }
    }

    public func recordFailedUnlock(of handler: String, at moment: Date) throws(StoreError) -> HandlerSealingKey {
        try write(.key) { session in
            guard let row = try session.rows("""
                UPDATE sealing_key SET failed_unlocks = failed_unlocks + 1, last_failed_unlock = \(StoredForm.stamp(moment))
                WHERE handler = \(handler) RETURNING *
                """).first
            else { throw SealingKeyDigest.noKey(handler) }
            let key = try Self.sealingKey(row)
            try PostgresAuditTrail.append(
                AuditEntry(at: .instant(moment), actor: handler, action: "passphrase-refused", reference: nil,
                           detail: "wrong passphrase \(key.failedUnlocks) in a row"), in: session)
            return key
        }
    }

    public func recordUnlock(of handler: String, at moment: Date) throws(StoreError) {
        guard try sealingKey(of: handler)?.failedUnlocks ?? 0 > 0 else { return }
        try write(.key) { session in
            _ = try session.query("UPDATE sealing_key SET failed_unlocks = 0, last_failed_unlock = NULL WHERE handler = \(handler)")
        }
    }

    public func recoveryKey() throws(StoreError) -> TrustRecoveryKey? {
        try read { session in
            try session.rows("SELECT * FROM recovery_key").first.map { row throws(StoreError) in
                guard let made = StoredForm.date(try row.string("made_at")), let bytes = try row.bytes("public_key") else {
                    throw StoreError(.damaged, "The trust recovery key in the PostgreSQL store at \(location) does not read. Please tell IT.")
                }
                return TrustRecoveryKey(publicKey: Array(bytes), madeAt: made)
            }
        }
    }

    public func keepRecoveryKey(_ key: TrustRecoveryKey, by actor: String, at moment: Date) throws(StoreError) {
        try write(.key) { session in
            // The row's own key (id = 1) makes a second one, from another host at the same moment, fail.
            guard try session.rows("SELECT 1 FROM recovery_key").isEmpty else { throw SealingKeyDigest.recoveryKeyExists }
            _ = try session.query("INSERT INTO recovery_key (id, public_key, made_at) VALUES (1, \(Data(key.publicKey)), \(StoredForm.stamp(moment)))")
            try PostgresAuditTrail.append(
                AuditEntry(at: .instant(moment), actor: actor, action: "recovery-key-made", reference: nil,
                           content: SealingKeyDigest.ofRecoveryKey(key.publicKey)), in: session)
        }
    }

    private static func sealingKey(_ row: PostgresColumns) throws(StoreError) -> HandlerSealingKey {
        let handler = try row.string("handler")
        guard let kept = StoredForm.date(try row.string("kept_at")), let publicKey = try row.bytes("public_key"),
              let locked = try row.bytes("locked_key"), let failures = try row.integer("failed_unlocks")
        else { throw StoreError(.damaged, "The sealing key of \(handler) does not read. Please tell IT.") }
        return HandlerSealingKey(handler: handler, publicKey: Array(publicKey), lockedKey: Array(locked), keptAt: kept,
                                 failedUnlocks: failures, lastFailedUnlock: try row.text("last_failed_unlock").flatMap(StoredForm.date))
    }
}

/// Sealed cases' wrapped keys on PostgreSQL (`case_key`, pg-v8).
extension PostgresReportStore {
    public func caseKeys(_ reference: CaseReference) throws(StoreError) -> [String: [UInt8]] {
        try read { session in
            var keys: [String: [UInt8]] = [:]
            for row in try session.rows("SELECT recipient, wrapped FROM case_key WHERE reference = \(reference.text)") {
                keys[try row.string("recipient")] = Array(try row.bytes("wrapped") ?? Data())
            }
            return keys
        }
    }

    public func sealedCases(for handler: String, alsoOf other: String?) throws(StoreError) -> [CaseReference] {
        try read { session in
            try session.texts("""
                SELECT reference FROM case_key WHERE recipient = \(handler) OR recipient = \(other)
                UNION SELECT h.reference FROM case_handler h JOIN report r ON r.reference = h.reference
                      WHERE h.handler = \(handler) AND r.sealed IS NOT NULL
                ORDER BY 1
                """).compactMap(CaseReference.init)
        }
    }

    public func keepCaseKeys(_ keys: [CaseKeyWrapping], by actor: String, at moment: Date) throws(StoreError) {
        guard !keys.isEmpty else { return }
        try write(.key) { session in
            for key in keys {
                _ = try session.query("""
                    INSERT INTO case_key (reference, recipient, wrapped) VALUES (\(key.reference.text), \(key.recipient), \(Data(key.wrapped)))
                    ON CONFLICT (reference, recipient) DO UPDATE SET wrapped = excluded.wrapped
                    """)
                try PostgresAuditTrail.append(
                    AuditEntry(at: .instant(moment), actor: actor, action: "case-key-wrapped", reference: key.reference.text,
                               detail: "for \(key.recipient), \(key.how)"), in: session)
            }
        }
    }

    public func keepSubjectChecks(_ checks: [SubjectCheck], by actor: String, at moment: Date) throws(StoreError) {
        guard !checks.isEmpty else { return }
        try write(.save) { session in
            for check in checks {
                let added = try session.rows("""
                    INSERT INTO subject_check (reference, handler, fits, checked_at, checked_by)
                    VALUES (\(check.reference.text), \(check.handler), \(check.fits ? 1 : 0), \(SubmissionTime.instant(moment).text), \(actor))
                    ON CONFLICT (reference, handler) DO NOTHING RETURNING handler
                    """)
                guard !added.isEmpty else { continue }
                try PostgresAuditTrail.append(
                    AuditEntry(at: .instant(moment), actor: actor, action: SubjectCheck.auditAction, reference: check.reference.text,
                               detail: check.auditDetail), in: session)
            }
        }
    }
}

extension PostgresReportStore {
    public func sealedWords(of references: [CaseReference], heldBy handler: String) throws(StoreError) -> [SealedCase] {
        guard !references.isEmpty else { return [] }
        return try readApart { session in
            try session.rows("""
                SELECT h.reference, r.sealed, k.wrapped FROM case_handler h
                JOIN report r ON r.reference = h.reference
                JOIN case_key k ON k.reference = h.reference AND k.recipient = h.handler
                WHERE h.handler = \(handler) AND r.sealed IS NOT NULL AND h.reference = ANY(\(references.map(\.text)))
                """).compactMap { row throws(StoreError) -> SealedCase? in
                guard let reference = CaseReference(try row.string("reference")), let sealed = try row.bytes("sealed"),
                      let wrapped = try row.bytes("wrapped") else { return nil }
                return SealedCase(reference: reference, words: SealedWords(content: Array(sealed)), wrapped: Array(wrapped))
            }
        }
    }

    public func sealedWords(heldBy handler: String) throws(StoreError) -> [SealedCase] {
        try readApart { session in
            var notes: [String: [CaseEvent]] = [:]
            for row in try session.rows("""
                SELECT e.reference, e.sequence, e.at, e.actor, e.text FROM case_handler h
                JOIN case_event e ON e.reference = h.reference AND e.kind = 'note' AND e.text LIKE 'sealed-v1:%'
                WHERE h.handler = \(handler) ORDER BY e.reference, e.sequence
                """) {
                guard let reference = CaseReference(try row.string("reference")), let at = SubmissionTime(text: try row.string("at")),
                      let sequence = try row.integer("sequence") else { continue }
                notes[reference.text, default: []].append(
                    CaseEvent(reference: reference, sequence: sequence, kind: .note, at: at, text: try row.text("text"), actor: try row.text("actor")))
            }
            return try session.rows("""
                SELECT h.reference, r.sealed, k.wrapped FROM case_handler h
                JOIN report r ON r.reference = h.reference
                JOIN case_key k ON k.reference = h.reference AND k.recipient = h.handler
                WHERE h.handler = \(handler) AND r.sealed IS NOT NULL
                """).compactMap { row throws(StoreError) -> SealedCase? in
                guard let reference = CaseReference(try row.string("reference")), let sealed = try row.bytes("sealed"),
                      let wrapped = try row.bytes("wrapped") else { return nil }
                return SealedCase(reference: reference, words: SealedWords(content: Array(sealed)), wrapped: Array(wrapped),
                                  notes: notes[reference.text] ?? [])
            }
        }
    }
}

extension PostgresReportStore {
    public func sealedReferences(heldBy handler: String) throws(StoreError) -> Set<CaseReference> {
        try readApart { session in
            Set(try session.texts("""
                SELECT h.reference FROM case_handler h
                JOIN report r ON r.reference = h.reference
                JOIN case_key k ON k.reference = h.reference AND k.recipient = h.handler
                WHERE h.handler = \(handler) AND r.sealed IS NOT NULL
                """).compactMap(CaseReference.init))
        }
    }
}
