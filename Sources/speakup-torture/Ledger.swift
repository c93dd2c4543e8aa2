/// What was sent to one store, and which of it SpeakUp acknowledged.
///
/// A report is acknowledged only when the command that carried it exited 0 and
/// said it was kept. Reports sent in one import file form a batch: the import is
/// all or nothing, so a batch must be found whole or not at all, acknowledged or not.
struct Ledger {
    private(set) var sent: [String: ReportRecord] = [:]
    private(set) var batches: [[String]] = []
    private(set) var acknowledged: Set<String> = []
    /// Escalations a tick printed ("SU-…: not acknowledged in time, escalated."), by reference and heading.
    private(set) var escalations: [(reference: String, heading: String)] = []

    mutating func send(_ records: [ReportRecord]) {
        for record in records { sent[record.reference] = record }
        batches.append(records.map(\.reference))
    }

    mutating func acknowledge(_ records: [ReportRecord]) {
        for record in records { acknowledged.insert(record.reference) }
    }

    mutating func acknowledgeEscalation(of reference: String, heading: String) {
        escalations.append((reference, heading))
    }
}
