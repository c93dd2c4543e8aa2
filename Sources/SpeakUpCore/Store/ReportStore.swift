import Foundation

/// Where reports are kept: the whole store contract, one protocol for each job. The form, the
/// commands and the rules see only these; SQLite and PostgreSQL live behind them (SpeakUpStore,
/// SpeakUpPostgres), and one conformance suite holds both engines to the same behaviour.
///
/// A screen or command asks for the jobs it does, not for the whole store: the reporter form
/// needs `ReportIntake & DraftKeeping & ReporterFollowUp`, the tick `CaseEscalation`.
public typealias ReportStore = ReportIntake & DraftKeeping & ReporterFollowUp & CaseEscalation & StaffDirectoryKeeping
    & Workspace & AuditKeeping & ReportArchive & CharacteristicsKeeping & SubjectAccessKeeping
    & SealingKeyKeeping

/// Where a store is, for sentences ("the store at /var/lib/speakup/speakup.sqlite").
public protocol StoreLocated: Sendable {
    /// The store's path, or its address with no secret in it.
    var location: String { get }
}
