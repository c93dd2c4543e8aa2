import Crypto
import Foundation
import SpeakUpCore

/// `speakup store copy`: a whole store from one engine to the other (or to a new store on the
/// same engine), all or nothing, then checked: every table's count, the audit chain verified on
/// both sides and ending on the same hash, and every report's exported JSON the same, digest for
/// digest. Works over the store contract, so it does not care which engine is on which side.
public struct StoreCopy {
    /// A store both sides of a copy must be.
    public typealias Side = ReportStore & StoreTransfer

    /// What was copied and checked.
    public struct Outcome: Hashable, Sendable {
        /// Rows copied, by table.
        public var rows: [String: Int]
        /// Reports, each of whose exported JSON is the same on both sides.
        public var reports: Int
        /// Records in the audit chain on both sides.
        public var auditRecords: Int
        /// The chain's last hash (hex), the same on both sides.
        public var lastHash: String?
        /// SHA-256 (hex) over every report's digest in reference order: one number to compare later.
        public var digest: String
    }

    let from: any Side
    let to: any Side
    let today: CalendarDay
    /// Rows read and written at a time: what the copy holds in memory, whatever the store's size.
    let page: Int

    public init(from: any Side, to: any Side, today: CalendarDay, page: Int = StoreTables.page) {
        self.from = from
        self.to = to
        self.today = today
        self.page = max(1, page)
    }

    /// Copies, then checks. `loaded` is told the rows each table received once the copy's transaction
    /// is committed, before the check begins (the command says so: stopped after that, the copy is whole
    /// but unchecked, and `checkOnly` checks it later).
    public func run(loaded: ([String: Int]) -> Void = { _ in }) throws(StoreError) -> Outcome {
        // The source's waiting records of days already over are chained first, as any tick would,
        // so both sides verify to the same chain.
        try from.sealAudit(today: today)
        let copied = try to.load(from: from, page: page)
        loaded(copied)
        return try check(copied)
    }

    /// Checks an earlier copy against its source, copying nothing (`store copy --check`): for a copy
    /// whose check was stopped, or to check a copy again before it is used. Throws as `run` does when
    /// the two differ; an empty target is refused as not a copy at all.
    public func checkOnly() throws(StoreError) -> Outcome {
        try from.sealAudit(today: today)
        var held: [String: Int] = [:]
        for table in StoreTables.copied { held[table] = try to.count(of: table) }
        // (A new store has a few rows of its own, such as its receipt salt: empty is no report and no audit record.)
        guard (held["report"] ?? 0) > 0 || (held["audit_record"] ?? 0) > 0 else {
            throw StoreError(.failed, "The store at \(to.location) is empty, so there is no copy to check. `speakup store copy` without --check copies into it.")
        }
        return try check(held)
    }

    /// Checks a finished copy (`copied`: the rows each table received); throws, naming the first
    /// difference, when the two sides differ.
    func check(_ copied: [String: Int]) throws(StoreError) -> Outcome {
        var rows: [String: Int] = [:]
        for table in StoreTables.copied {
            let here = try from.count(of: table)
            let there = try to.count(of: table)
            guard there == here, copied[table] == here else {
                throw mismatch("\(table) has \(here.counted("row")) in \(from.location) but \(there.counted("row")) in \(to.location)")
            }
            rows[table] = there
        }
        let before = try from.verifyAudit(today: today, anchor: nil)
        let after = try to.verifyAudit(today: today, anchor: nil)
        if let broken = before.firstBroken {
            throw StoreError(.damaged, "The audit trail of \(from.location) is broken at record \(broken.position) (\(broken.reason)), so the copy cannot be checked against it. Nothing should be copied from a store whose trail is broken until it has been looked into.")
        }
        guard after.firstBroken == nil, after.records == before.records, after.lastHash == before.lastHash else {
            throw mismatch("the audit trail does not verify the same on both sides")
        }
        let source = try digests(of: from)
        let copy = try digests(of: to)
        guard source.count == copy.count else {
            throw mismatch("\(from.location) exports \(source.count.counted("report")) but \(to.location) exports \(copy.count.counted("report"))")
        }
        for (reference, digest) in source where copy[reference] != digest {
            throw mismatch("report \(reference) does not export the same on both sides")
        }
        var whole = SHA256()
        for reference in source.keys.sorted() { whole.update(data: Data(source[reference]!.utf8)) }
        return Outcome(rows: rows, reports: source.count, auditRecords: after.records, lastHash: after.lastHash,
                       digest: whole.finalize().map { String(format: "%02x", $0) }.joined())
    }

    /// Each report's exported JSON (`speakup export json`'s record, with its timeline), as SHA-256 hex.
    func digests(of store: any Side) throws(StoreError) -> [String: String] {
        var digests: [String: String] = [:]
        let reports = try store.allReports()
        // A thousand timelines at a time: one read each, not one a case.
        for start in stride(from: 0, to: reports.count, by: 1_000) {
            let batch = reports[start..<min(start + 1_000, reports.count)]
            let timelines = try store.timelines(of: batch.map(\.reference))
            for report in batch {
                let record = ReportJSON.record(report, events: timelines[report.reference] ?? [])
                let bytes: Data
                do {
                    bytes = try ReportJSON.document([record])
                } catch {
                    throw StoreError(.failed, "Report \(report.reference) could not be written as JSON to check the copy: \(error.localizedDescription)")
                }
                digests[report.reference.text] = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            }
        }
        return digests
    }

    private func mismatch(_ what: String) -> StoreError {
        StoreError(.damaged, "The copy does not match its source: \(what). Do not use the copy; keep using \(from.location), and tell whoever looks after SpeakUp.")
    }
}
