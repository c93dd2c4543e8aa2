import SpeakUpCore

/// What a reporter's screens ask of the store: taking the report in, keeping their draft,
/// following up, and the directory (names offered as they type). Nothing of the workspace,
/// the audit trail or escalation.
public typealias ReportingStore = ReportIntake & DraftKeeping & ReporterFollowUp & StaffDirectoryKeeping
