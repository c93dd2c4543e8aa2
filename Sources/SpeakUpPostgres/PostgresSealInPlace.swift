import Foundation
import PostgresNIO
import SpeakUpCore
import SpeakUpSealing
@_spi(StoreEngines) import SpeakUpStore

/// Sealing a PostgreSQL store's earlier reports in place (`SealingKeyKeeping.sealInPlace`, pg-v9), as on SQLite.
extension PostgresReportStore {
    public func sealInPlace(mayHold: [CaseReference: [String]], subjects: [CaseReference: SubjectSealing], by actor: String, at moment: Date)
        throws(StoreError) -> SealedInPlace {
        try write(.save) { session in
            guard let recipients = try Self.sealingRecipients(in: session) else { throw SealingInPlace.noRecoveryKey }
            // Every report is locked first: a submit or an action meanwhile waits for the whole sealing.
            let clear = try session.texts("""
                SELECT reference FROM report r WHERE sealed IS NULL
                    AND NOT EXISTS (SELECT 1 FROM case_erasure e WHERE e.reference = r.reference) ORDER BY reference FOR UPDATE
                """)
            var done = SealedInPlace(cases: 0, notes: 0)
            for reference in clear {
                let (notes, named) = try Self.sealCase(reference, recipients: recipients, mayHold: mayHold, subjects: subjects,
                                                       by: actor, at: moment, in: session)
                done.notes += notes
                done.cases += 1
                if named { done.names += 1 }
            }
            return done
        }
    }

    public func sealNamesInPlace(_ names: [NameSealing], by actor: String, at moment: Date) throws(StoreError) -> Int {
        guard !names.isEmpty else { return 0 }
        // One transaction however many: it has the store's wait and a tenth of a second a name.
        return try write(.save, allowing: PostgresReportStore.importSeconds(names.count, waiting: wait.seconds)) { session in
            // Every report is locked first, and checked against what was read before its words were sealed again.
            let references = names.map(\.reference.text)
            _ = try session.query("SELECT reference FROM report WHERE reference = ANY(\(references)) ORDER BY reference FOR UPDATE")
            let reports = Dictionary(try PostgresReportRows.reports(in: session, references: references).map { ($0.reference, $0) },
                                     uniquingKeysWith: { first, _ in first })
            let erased = Set(try session.texts("SELECT reference FROM case_erasure WHERE reference = ANY(\(references))"))
            for name in names {
                if let refusal = SealingInPlace.nameRefusal(name, report: reports[name.reference], erased: erased.contains(name.reference.text)) {
                    throw refusal
                }
                try Self.sealName(name, by: actor, at: moment, in: session)
            }
            return names.count
        }
    }

    /// Seals one report's subject's name inside the caller's transaction.
    private static func sealName(_ name: NameSealing, by actor: String, at moment: Date, in session: PostgresSession) throws {
        let reference = name.reference.text
        guard let content = try PostgresContentDigest.ofEvent(reference: reference, sequence: 1, in: session) else {
            throw StoreError(.failed, "Case \(reference) has no first event to hold its report, so its name was not sealed. Nothing was changed.")
        }
        // One update: the store takes a sealed report's name emptied only with its words sealed again and its facts set for the first time.
        _ = try session.query("""
            UPDATE report SET sealed = \(Data(name.sealed.content)), subject_name = NULL, subject_role = '', subject_key = \(name.subject.key),
                subject_facts = \(name.subject.facts.stored)
            WHERE reference = \(reference)
            """)
        // The search index keeps only what is still clear (a case waiting to be indexed is indexed from its row as it is now).
        if let report = try PostgresReportRows.reports(in: session, reference: reference).first {
            let notes = try session.rows("SELECT text FROM case_event WHERE reference = \(reference) AND kind = 'note' ORDER BY sequence")
                .compactMap { try $0.text("text") }
            let words = StoredForm.searchWords(of: report, notes: notes)
            _ = try session.query("""
                UPDATE case_text SET words = \(words), terms = \(PostgresCaseProjection.searchTerms(of: words)) WHERE reference = \(reference)
                """)
        }
        guard let remains = try PostgresContentDigest.ofEvent(reference: reference, sequence: 1, in: session) else {
            throw StoreError(.failed, "Case \(reference) lost its first event while its name was being sealed, so nothing was changed.")
        }
        _ = try session.query("INSERT INTO sealed_name (reference, content, remains) VALUES (\(reference), \(content), \(remains))")
        try PostgresAuditTrail.append(
            SealingInPlace.nameAuditEntry(reference: reference, digest: SealingInPlace.nameTombstoneDigest(reference: reference, content: content, remains: remains),
                                          by: actor, at: moment),
            in: session)
    }

    /// The tables that held words in clear: a sealing in place leaves their old row versions (and index
    /// entries: the search index's words, the same-person keys) in pages that plain VACUUM frees but does
    /// not overwrite. `VACUUM FULL` writes each table and its indexes anew and drops the old files; it
    /// holds the table against every reader and writer while it runs (a quiet hour), so it has ten minutes.
    static let heldWords = ["report", "case_event", "case_text"]

    public func eraseClearCopies() throws(StoreError) -> Bool {
        do {
            return try connection.use { session in
                let owned = try session.finds(PostgresQuery(unsafeSQL: """
                    SELECT 1 FROM pg_class WHERE oid IN (\(Self.heldWords.map { "'\($0)'::regclass" }.joined(separator: ", ")))
                    HAVING bool_and(pg_has_role(current_user, relowner, 'USAGE'))
                    """))
                for table in Self.heldWords {
                    _ = try session.query(PostgresQuery(unsafeSQL: owned ? "VACUUM FULL \(table)" : "VACUUM \(table)"), deadline: 600)
                }
                return owned
            }
        } catch {
            throw PostgresStoreFailure.translate(error, at: location, doing: .erase)
        }
    }

    public func reportsInClear() throws(StoreError) -> Int {
        try read { session in
            try session.number("""
                SELECT count(*) FROM report r WHERE sealed IS NULL
                    AND NOT EXISTS (SELECT 1 FROM case_erasure e WHERE e.reference = r.reference)
                """) ?? 0
        }
    }

    public func namesInClear() throws(StoreError) -> Int {
        try read { session in try session.number(PostgresQuery(unsafeSQL: StoredForm.namesInClear)) ?? 0 }
    }

    public func sealedCasesNobodyCanOpen() throws(StoreError) -> [(reference: CaseReference, handlers: [String])] {
        try read { session in
            var found: [(reference: CaseReference, handlers: [String])] = []
            for row in try session.rows("""
                SELECT h.reference, h.handler FROM case_handler h JOIN report r ON r.reference = h.reference
                    WHERE r.sealed IS NOT NULL
                        AND EXISTS (SELECT 1 FROM case_file f WHERE f.reference = h.reference AND f.status <> 'closed') AND NOT EXISTS (
                        SELECT 1 FROM case_handler o JOIN case_key k ON k.reference = o.reference AND k.recipient = o.handler
                        WHERE o.reference = h.reference)
                    ORDER BY h.reference COLLATE "C", h.handler COLLATE "C"
                """) {
                guard let reference = CaseReference(try row.string("reference")) else { continue }
                let handler = try row.string("handler")
                if found.last?.reference == reference { found[found.count - 1].handlers.append(handler) } else {
                    found.append((reference, [handler]))
                }
            }
            return found
        }
    }

    /// Seals one case inside the caller's transaction; returns how many notes were sealed.
    private static func sealCase(_ reference: String, recipients: SealingRecipients, mayHold: [CaseReference: [String]],
                                 subjects: [CaseReference: SubjectSealing], by actor: String, at moment: Date,
                                 in session: PostgresSession) throws -> (Int, Bool) {
        guard let report = try PostgresReportRows.reports(in: session, reference: reference).first else { return (0, false) }
        let subject = subjects[report.reference]
        let notes = try PostgresReportRows.events(for: report.reference, in: session).filter { $0.kind == .note }
        let holding = try session.texts("SELECT handler FROM case_handler WHERE reference = \(reference)")
        let sealed = try SealingInPlace.seal(report, notes: notes, recipients: recipients, mayHold: (mayHold[report.reference] ?? []) + holding,
                                             subject: subject)
        let changed = [1] + sealed.notes.map(\.sequence)
        var before: [Int: Data] = [:]
        for sequence in changed { before[sequence] = try PostgresContentDigest.ofEvent(reference: reference, sequence: sequence, in: session) }

        // One update: the store takes a report's words (and name) emptied only as its sealed words are first set.
        if let subject {
            _ = try session.query("""
                UPDATE report SET sealed = \(Data(sealed.report.sealed?.content ?? [])), account = '', witnesses = '', staff_impact = '',
                    reporter_name = CASE WHEN reporter_name IS NULL THEN NULL ELSE '' END,
                    reporter_contact = CASE WHEN reporter_contact IS NULL THEN NULL ELSE '' END,
                    subject_name = NULL, subject_role = '', subject_key = \(subject.key), subject_facts = \(subject.facts.stored)
                WHERE reference = \(reference)
                """)
        } else {
            _ = try session.query("""
                UPDATE report SET sealed = \(Data(sealed.report.sealed?.content ?? [])), account = '', witnesses = '', staff_impact = '',
                    reporter_name = CASE WHEN reporter_name IS NULL THEN NULL ELSE '' END,
                    reporter_contact = CASE WHEN reporter_contact IS NULL THEN NULL ELSE '' END
                WHERE reference = \(reference)
                """)
        }
        for note in sealed.notes {
            _ = try session.query("UPDATE case_event SET text = \(note.text) WHERE reference = \(reference) AND sequence = \(note.sequence)")
        }
        for key in sealed.keys {
            _ = try session.query("""
                INSERT INTO case_key (reference, recipient, wrapped) VALUES (\(reference), \(key.recipient), \(Data(key.bytes)))
                ON CONFLICT (reference, recipient) DO UPDATE SET wrapped = EXCLUDED.wrapped
                """)
        }
        // The search index keeps only what is still clear.
        let words = StoredForm.searchWords(of: sealed.report, notes: [])
        _ = try session.query("UPDATE case_text SET words = \(words), terms = \(PostgresCaseProjection.searchTerms(of: words)) WHERE reference = \(reference)")

        var tombstones: [(sequence: Int, content: Data, remains: Data)] = []
        for sequence in changed {
            guard let content = before[sequence] ?? nil,
                  let remains = try PostgresContentDigest.ofEvent(reference: reference, sequence: sequence, in: session), remains != content else { continue }
            _ = try session.query("""
                INSERT INTO sealed_event (reference, sequence, content, remains) VALUES (\(reference), \(sequence), \(content), \(remains))
                """)
            tombstones.append((sequence, content, remains))
        }
        try PostgresAuditTrail.append(
            SealingInPlace.auditEntry(reference: reference, events: tombstones.count, notes: sealed.notes.count,
                                      digest: SealingInPlace.tombstonesDigest(reference: reference, events: tombstones), by: actor, at: moment),
            in: session)
        return (sealed.notes.count, subject != nil)
    }
}
