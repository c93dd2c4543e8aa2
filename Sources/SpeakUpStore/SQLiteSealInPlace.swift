import Foundation
import GRDB
import SpeakUpCore

/// Sealing a SQLite store's earlier reports in place (`SealingKeyKeeping.sealInPlace`, v22).
extension SQLiteReportStore {
    public func sealInPlace(mayHold: [CaseReference: [String]], subjects: [CaseReference: SubjectSealing], by actor: String, at moment: Date)
        throws(StoreError) -> SealedInPlace {
        do {
            return try writeTurn { db in
                var done = SealedInPlace(cases: 0, notes: 0)
                try db.inTransaction(.immediate) {
                    guard let recipients = try Self.sealingRecipients(in: db) else { throw SealingInPlace.noRecoveryKey }
                    let clear = try String.fetchAll(db, sql: """
                        SELECT reference FROM report r WHERE sealed IS NULL
                            AND NOT EXISTS (SELECT 1 FROM case_erasure e WHERE e.reference = r.reference) ORDER BY reference
                        """)
                    for reference in clear {
                        let (notes, named) = try Self.sealCase(reference, recipients: recipients, mayHold: mayHold, subjects: subjects,
                                                               by: actor, at: moment, in: db)
                        done.cases += 1
                        done.notes += notes
                        if named { done.names += 1 }
                    }
                    return .commit
                }
                return done
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save")
        }
    }

    public func sealNamesInPlace(_ names: [NameSealing], by actor: String, at moment: Date) throws(StoreError) -> Int {
        guard !names.isEmpty else { return 0 }
        do {
            return try writeTurn { db in
                try db.inTransaction(.immediate) {
                    for name in names { try Self.sealName(name, by: actor, at: moment, in: db) }
                    return .commit
                }
                return names.count
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save")
        }
    }

    /// Seals one report's subject's name inside the caller's transaction, checked against the row as it is now.
    private static func sealName(_ name: NameSealing, by actor: String, at moment: Date, in db: Database) throws {
        let reference = name.reference.text
        let erased = try Bool.fetchOne(db, sql: "SELECT 1 FROM case_erasure WHERE reference = ?", arguments: [reference]) == true
        if let refusal = SealingInPlace.nameRefusal(name, report: try ReportRows.all(in: db, reference: reference).first, erased: erased) {
            throw refusal
        }
        guard let content = try ContentDigest.ofEvent(reference: reference, sequence: 1, in: db) else {
            throw StoreError(.failed, "Case \(reference) has no first event to hold its report, so its name was not sealed. Nothing was changed.")
        }
        // One update: the store takes a sealed report's name emptied only with its words sealed again and its facts set for the first time.
        try db.execute(sql: """
            UPDATE report SET sealed = ?, subject_name = NULL, subject_role = '', subject_key = ?, subject_facts = ? WHERE reference = ?
            """, arguments: [Data(name.sealed.content), name.subject.key, name.subject.facts.stored, reference])
        // The search index keeps only what is still clear (a case waiting to be indexed is indexed from its row as it is now).
        if let report = try ReportRows.all(in: db, reference: reference).first {
            let notes = try String.fetchAll(db, sql: "SELECT text FROM case_event WHERE reference = ? AND kind = 'note' ORDER BY sequence",
                                            arguments: [reference])
            try db.execute(sql: "UPDATE case_text SET words = ? WHERE rowid = (SELECT text_id FROM case_file WHERE reference = ?)",
                           arguments: [StoredForm.searchWords(of: report, notes: notes), reference])
        }
        guard let remains = try ContentDigest.ofEvent(reference: reference, sequence: 1, in: db) else {
            throw StoreError(.failed, "Case \(reference) lost its first event while its name was being sealed, so nothing was changed.")
        }
        try db.execute(sql: "INSERT INTO sealed_name (reference, content, remains) VALUES (?, ?, ?)", arguments: [reference, content, remains])
        try AuditTrail.append(
            SealingInPlace.nameAuditEntry(reference: reference, digest: SealingInPlace.nameTombstoneDigest(reference: reference, content: content, remains: remains),
                                          by: actor, at: moment),
            in: db)
    }

    public func eraseClearCopies() throws(StoreError) -> Bool {
        try vacuum()
        return true
    }

    public func reportsInClear() throws(StoreError) -> Int {
        do {
            return try queue.read { db in
                try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM report r WHERE sealed IS NULL
                        AND NOT EXISTS (SELECT 1 FROM case_erasure e WHERE e.reference = r.reference)
                    """) ?? 0
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func namesInClear() throws(StoreError) -> Int {
        do {
            return try queue.read { db in try Int.fetchOne(db, sql: StoredForm.namesInClear) ?? 0 }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func sealedCasesNobodyCanOpen() throws(StoreError) -> [(reference: CaseReference, handlers: [String])] {
        do {
            return try queue.read { db in
                var found: [(reference: CaseReference, handlers: [String])] = []
                for row in try Row.fetchAll(db, sql: """
                    SELECT h.reference, h.handler FROM case_handler h JOIN report r ON r.reference = h.reference
                    WHERE r.sealed IS NOT NULL
                        AND EXISTS (SELECT 1 FROM case_file f WHERE f.reference = h.reference AND f.status <> 'closed') AND NOT EXISTS (
                        SELECT 1 FROM case_handler o JOIN case_key k ON k.reference = o.reference AND k.recipient = o.handler
                        WHERE o.reference = h.reference)
                    ORDER BY h.reference, h.handler
                    """) {
                    guard let reference = CaseReference(row["reference"] as String) else { continue }
                    if found.last?.reference == reference { found[found.count - 1].handlers.append(row["handler"]) } else {
                        found.append((reference, [row["handler"]]))
                    }
                }
                return found
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    /// Seals one case inside the caller's transaction; returns how many notes were sealed.
    private static func sealCase(_ reference: String, recipients: SealingRecipients, mayHold: [CaseReference: [String]],
                                 subjects: [CaseReference: SubjectSealing], by actor: String, at moment: Date, in db: Database) throws -> (Int, Bool) {
        guard let report = try ReportRows.all(in: db, reference: reference).first else { return (0, false) }
        let subject = subjects[report.reference]
        let notes = try ReportRows.events(for: report.reference, in: db).filter { $0.kind == .note }
        let holding = try String.fetchAll(db, sql: "SELECT handler FROM case_handler WHERE reference = ?", arguments: [reference])
        let sealed = try SealingInPlace.seal(report, notes: notes, recipients: recipients, mayHold: (mayHold[report.reference] ?? []) + holding,
                                             subject: subject)
        let changed = [1] + sealed.notes.map(\.sequence)
        var before: [Int: Data] = [:]
        for sequence in changed { before[sequence] = try ContentDigest.ofEvent(reference: reference, sequence: sequence, in: db) }

        // One update: the store takes a report's words (and name) emptied only as its sealed words are first set.
        try db.execute(sql: """
            UPDATE report SET sealed = ?, account = '', witnesses = '', staff_impact = '',
                reporter_name = CASE WHEN reporter_name IS NULL THEN NULL ELSE '' END,
                reporter_contact = CASE WHEN reporter_contact IS NULL THEN NULL ELSE '' END
                \(subject == nil ? "" : ", subject_name = NULL, subject_role = '', subject_key = ?, subject_facts = ?")
            WHERE reference = ?
            """, arguments: StatementArguments([Data(sealed.report.sealed?.content ?? [])] as [(any DatabaseValueConvertible)?]
                                               + (subject.map { [$0.key, $0.facts.stored] } ?? []) + [reference]))
        for note in sealed.notes {
            try db.execute(sql: "UPDATE case_event SET text = ? WHERE reference = ? AND sequence = ?", arguments: [note.text, reference, note.sequence])
        }
        for key in sealed.keys {
            try db.execute(sql: "INSERT OR REPLACE INTO case_key (reference, recipient, wrapped) VALUES (?, ?, ?)",
                           arguments: [reference, key.recipient, Data(key.bytes)])
        }
        // The search index keeps only what is still clear (a case waiting to be indexed is indexed from its rows as they are now).
        try db.execute(sql: "UPDATE case_text SET words = ? WHERE rowid = (SELECT text_id FROM case_file WHERE reference = ?)",
                       arguments: [StoredForm.searchWords(of: sealed.report, notes: []), reference])

        var tombstones: [(sequence: Int, content: Data, remains: Data)] = []
        for sequence in changed {
            guard let content = before[sequence] ?? nil,
                  let remains = try ContentDigest.ofEvent(reference: reference, sequence: sequence, in: db), remains != content else { continue }
            try db.execute(sql: "INSERT INTO sealed_event (reference, sequence, content, remains) VALUES (?, ?, ?, ?)",
                           arguments: [reference, sequence, content, remains])
            tombstones.append((sequence, content, remains))
        }
        try AuditTrail.append(
            SealingInPlace.auditEntry(reference: reference, events: tombstones.count, notes: sealed.notes.count,
                                      digest: SealingInPlace.tombstonesDigest(reference: reference, events: tombstones), by: actor, at: moment),
            in: db)
        return (sealed.notes.count, subject != nil)
    }
}
