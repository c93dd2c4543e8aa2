import Foundation
import PostgresNIO
import SpeakUpCore
import SpeakUpSealing
@_spi(StoreEngines) import SpeakUpStore

/// Taking reports in on PostgreSQL: one transaction per submit, with its routing, its audit
/// records, the release of reports held for a match, its receipt and the removal of the draft inside it.
extension PostgresReportStore {
    /// A reference already taken: the report is given a fresh one and tried again.
    struct ReferenceTaken: Error {}
    /// The store began sealing after it was opened: the report is tried again, sealed.
    struct SealsNow: Error {}

    public func submit(_ report: Report, receipt: ReceiptCode?, discardingDraftOf owner: Reporter?, router: (any CaseRouter)?) throws(StoreError)
        -> Report {
        var candidate = report
        // The slow hash is worked out before the transaction, so other terminals never wait on it.
        let derived = try receipt.map { code throws(StoreError) in try hasher().derive(code) }
        let router = try Self.prepare(router)
        for _ in 0..<8 {
            do {
                let sealing = seals.withLock { $0 }
                try transaction(.save) { session in
                    // A store that does not seal takes the report in one statement, where that writes what the rest would.
                    if !sealing, oneStatement.withLock({ $0 }) {
                        let receiptHash = candidate.reporter == nil ? derived.map { Data($0.hash) } : nil
                        var statement = PostgresSubmitStatement(report: candidate, receiptHash: receiptHash, owner: owner)
                        statement.prepares = preparesRepeats.withLock { $0 }
                        switch try statement.run(router: router, in: session) {
                        case .stored: return
                        case .referenceTaken: throw ReferenceTaken()
                        case .needsTransaction: break
                        }
                    }
                    try Self.store(candidate, receipt: derived, owner: owner, router: router, sealing: sealing, in: session)
                }
                return candidate
            } catch is ReferenceTaken {
                candidate.reference = .random()
            } catch is SealsNow {
                seals.withLock { $0 = true }
            } catch {
                // Ended by its wait: the connection was closed before the commit, so nothing was stored.
                if let ended = error as? WaitEnded { throw ended.error }
                // A connection lost while committing can leave the commit done after all. Look before
                // saying it failed, so a retry never files the same report twice.
                if let stored = try? read({ session in try PostgresReportRows.reports(in: session, reference: candidate.reference.text).first }),
                    stored.sealed != nil ? stored.submitted == candidate.submitted && stored.location == candidate.location
                        && stored.concerns == candidate.concerns : stored.account == candidate.account {
                    // (A sealed report's words cannot be read back here: its place, time and concerns stand for them,
                    // and the reference is random.)
                    return candidate
                }
                throw PostgresStoreFailure.translate(error, at: location, doing: .save)
            }
        }
        throw StoreError(.failed, "SpeakUp could not find a free case reference. Your report was not saved; please try again.")
    }

    /// Whom this store seals for, read inside the writing transaction; nil when it does not seal.
    static func sealingRecipients(in session: PostgresSession) throws -> SealingRecipients? {
        guard let recovery = try session.rows("SELECT public_key FROM recovery_key").first, let bytes = try recovery.bytes("public_key") else { return nil }
        let handlers = try session.rows("SELECT handler, public_key FROM sealing_key").map { row throws(StoreError) in
            HandlerSealingKey(handler: try row.string("handler"), publicKey: Array(try row.bytes("public_key") ?? Data()), lockedKey: [], keptAt: Date())
        }
        return try SealingRecipients(recovery: TrustRecoveryKey(publicKey: Array(bytes), madeAt: Date()), handlers: handlers)
    }

    /// Everything a submit writes, inside its transaction. `sealing`: whether the store is thought
    /// to seal (true: whom to seal for is read first; false: the report's statement writes nothing
    /// if the store seals after all, and `SealsNow` is thrown).
    @discardableResult
    static func store(_ candidate: Report, receipt: ReceiptDerivation?, owner: Reporter?, router: (any CaseRouter)?, sealing: Bool = true,
                      in session: PostgresSession) throws -> CaseRouting? {
        // Route first, so the history it counts does not yet hold this report.
        let routing = try router?.route(candidate, history: PostgresReportRows.History(session: session, digest: router?.subjectKeyDigest), from: candidate.deadlineStart)
        // Reports held until someone else reported the same person, locked before anything is written.
        var held: [String] = []
        if let router, let key = SubjectKey.of(candidate.subject, directoryID: nil) {
            held = try PostgresReportRows.heldCases(subjectKey: StoredForm.subjectKeys(key, digest: router.subjectKeyDigest), holdEndedBy: nil, in: session)
        }
        let receiptHash = candidate.reporter == nil ? receipt.map { Data($0.hash) } : nil
        func alongside(_ parts: inout StatementParts, keys: [ReportSeal.Wrapped]) -> [String] {
            Self.alongside(candidate, receiptHash: receiptHash, owner: owner, keys: keys, in: &parts)
        }
        // With nothing routed or released after it, the report's first event is the last write before the audit trail's.
        let lastWrite = routing == nil && held.isEmpty
        // A sealing store keeps the words sealed for whoever may hold the case, never in clear.
        if sealing, let recipients = try sealingRecipients(in: session) {
            let (sealed, keys) = try recipients.seal(candidate, mayHold: SealingRecipients.mayHold(routing), reporter: receipt?.replySecret,
                                                     subject: SealingRecipients.subjectSealing(candidate, routing: routing, digest: router?.subjectKeyDigest))
            guard try PostgresReportRows.insert(sealed, alongside: { alongside(&$0, keys: keys) }, lastWrite: lastWrite, in: session) else {
                throw ReferenceTaken()
            }
        } else {
            guard try PostgresReportRows.insert(candidate, alongside: { alongside(&$0, keys: []) }, unlessSealing: !sealing, lastWrite: lastWrite,
                                                in: session)
            else {
                if !sealing, try sealingRecipients(in: session) != nil { throw SealsNow() }
                throw ReferenceTaken()
            }
        }
        if let routing {
            try PostgresReportRows.insertRouting(routing, for: candidate, kind: .routed, sequence: 2, at: candidate.submitted,
                                                 lastWrite: held.allSatisfy { $0 == candidate.reference.text }, in: session)
        }
        // A report about someone releases every report held until someone else reported them.
        if let router {
            for reference in held where reference != candidate.reference.text {
                _ = try PostgresReportRows.reroute(
                    reference, router: router, at: candidate.deadlineStart,
                    recordedAs: candidate.wayOfRaising == .anonymous ? candidate.submitted : nil, in: session)
            }
        }
        return routing
    }

    /// What goes into a report's statement beside it, as `WITH` clauses that read the new report as
    /// `r`: the receipt (the way back for reports no login leads to: anonymous ones, and those from a
    /// shared terminal; `receiptHash` is nil for any other), the removal of the draft (only the one the
    /// caller names: one that could not be read is left alone), how the reporter described themselves,
    /// and a sealed report's wrapped keys.
    static func alongside(_ report: Report, receiptHash: Data?, owner: Reporter?, keys: [ReportSeal.Wrapped], in parts: inout StatementParts)
        -> [String] {
        var clauses = PostgresReportRows.characteristics(of: report, in: &parts)
        if let receiptHash {
            clauses.append("r_receipt AS (INSERT INTO receipt (hash, reference) SELECT \(parts.bind(receiptHash)), r.reference FROM r RETURNING 1)")
        }
        if let owner {
            clauses.append("r_draft AS (DELETE FROM draft WHERE owner_uid = \(parts.bind(Int(owner.uid))) AND EXISTS (SELECT 1 FROM r) RETURNING 1)")
        }
        return clauses + PostgresReportRows.wrappedKeys(keys, in: &parts)
    }

    public func takenReferences(_ references: [String]) throws(StoreError) -> Set<String> {
        try read { session in Set(try session.texts("SELECT reference FROM report WHERE reference = ANY(\(Array(Set(references))))")) }
    }

    /// Seconds an import of `count` reports may take: on this server it is one transaction however
    /// many it brings, so it has the store's wait and a tenth of a second more for each report (a
    /// routed import takes about 10 ms a report in a debug build on the 2-core machine, six times that
    /// on one under load; 2,300 reports at a 30-second wait: 260 s). Ctrl-C still stops it at once,
    /// with nothing imported.
    static func importSeconds(_ count: Int, waiting seconds: Double) -> Double {
        seconds + Double(count) * 0.1
    }

    /// Adds reports received by other channels, with their timelines, all in one transaction:
    /// either every one is stored or none is. A reference already in the store is refused, never overwritten.
    public func importReports(_ items: [(Report, [CaseEvent])], router: (any CaseRouter)?, by importer: String?, at moment: Date?) throws(StoreError) {
        let moment = moment ?? clock.now()
        let router = try Self.prepare(router)
        try write(.importing, allowing: Self.importSeconds(items.count, waiting: wait.seconds)) { session in
            let sealing = try Self.sealingRecipients(in: session)
            let taken = Set(try session.texts("SELECT reference FROM report WHERE reference = ANY(\(items.map(\.0.reference.text)))"))
            if let clash = items.first(where: { taken.contains($0.0.reference.text) }) {
                throw StoreError(.failed, "The store already has a report \(clash.0.reference); nothing was imported.")
            }
            for (report, events) in items {
                // Imported timelines carry no routing decision (export keeps only the words), so each
                // report is routed now, by today's rules, with its deadlines from its own date.
                let routing = try router?.route(report, history: PostgresReportRows.History(session: session, excluding: report.reference.text, digest: router?.subjectKeyDigest),
                                                from: report.deadlineStart)
                var kept = (report: report, events: events, keys: [ReportSeal.Wrapped]())
                if let sealing {
                    // A sealing store seals what it imports, as a submit would, before any of it is kept.
                    kept = try SealingInPlace.sealImported(report, events: events, recipients: sealing,
                                                           mayHold: SealingRecipients.mayHold(routing) + (routing?.handlers ?? []),
                                                           subject: SealingRecipients.subjectSealing(report, routing: routing, digest: router?.subjectKeyDigest))
                }
                guard try PostgresReportRows.insert(kept.report, events: kept.events, importer: (importer, moment),
                                                    alongside: { PostgresReportRows.wrappedKeys(kept.keys, in: &$0) }, in: session) else {
                    throw StoreError(.failed, "The store already has a report \(report.reference); nothing was imported.")
                }
                if let routing {
                    try PostgresReportRows.insertRouting(routing, for: report, kind: .routed, sequence: (events.map(\.sequence).max() ?? 1) + 1,
                                                         at: report.submitted, in: session)
                }
            }
        }
    }

    /// How many reports were raised at a station like this one (same kind, same location) on `day`,
    /// read from the reports themselves.
    public func reportCount(at station: Station, on day: CalendarDay) throws(StoreError) -> Int {
        try read { session in
            try session.number("""
                SELECT count(*) FROM report
                WHERE station = \(station.kind) AND station_location IS NOT DISTINCT FROM \(station.location)
                  AND substr(submitted, 1, 10) = \(day.description)
                """) ?? 0
        }
    }

    /// Routes a report against this store's history without storing anything.
    public func dryRoute(_ report: Report, router: any CaseRouter) throws(StoreError) -> CaseRouting {
        guard let router = try Self.prepare(router) else { throw StoreError(.failed, "No router was given.") }
        return try read { session in try router.route(report, history: PostgresReportRows.History(session: session, digest: router.subjectKeyDigest), from: report.deadlineStart) }
    }

    public func characteristics(from first: CalendarDay, through last: CalendarDay) throws(StoreError) -> [ReporterCharacteristics] {
        let months = CharacteristicsRow.months(from: first, through: last)
        let rows = try read { session in
            var parts = StatementParts()
            let sql = """
                SELECT \(CharacteristicsRow.columns.joined(separator: ", ")) FROM reporter_characteristics
                WHERE month BETWEEN \(parts.bind(months.first)) AND \(parts.bind(months.last))
                """
            return try session.rows(parts.query(sql)).map { row in try CharacteristicsRow.columns.map { column in try row.text(column) ?? "" } }
        }
        return try rows.map { answers throws(StoreError) in try CharacteristicsRow.read(answers, in: location) }
    }

    /// Every report in one statement, with the store's wait and a millisecond a report past it: a trust's
    /// whole store (an export, a copy's check) can hold far more than the wait's worth of rows.
    public func allReports() throws(StoreError) -> [Report] {
        let count = try read { session in try session.number("SELECT count(*) FROM report") ?? 0 }
        return try write(.read, allowing: Self.readAllSeconds(count, waiting: wait.seconds)) { session in try PostgresReportRows.reports(in: session) }
    }

    /// The deadline of a read of every report: the store's wait and a millisecond a report.
    static func readAllSeconds(_ count: Int, waiting seconds: Double) -> Double {
        seconds + Double(count) * 0.001
    }
}
