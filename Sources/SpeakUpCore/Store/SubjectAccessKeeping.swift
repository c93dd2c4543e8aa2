import Foundation

/// Subject access requests: what the audit trail keeps of each one a handler answered or declined
/// (docs/governance.md, "Subject access requests"). What is held about a person is gathered from
/// the rest of the contract (`subjectAccessHoldings`), the same on every engine.
public protocol SubjectAccessKeeping: Sendable {
    /// Appends the handler's decision on a disclosure to the audit trail, chained like every record.
    func recordSubjectAccess(_ decision: SubjectAccessDecision, by actor: String, at moment: Date) throws(StoreError)
}

/// A handler's decision on a drafted disclosure.
public struct SubjectAccessDecision: Hashable, Sendable {
    /// The staff id the request was about (one the directory holds).
    public var staffID: String
    /// Whether the handler approved it and it was written.
    public var approved: Bool
    /// The SHA-256 of the file written (nil when declined).
    public var digest: Data?
    /// How many cases the draft held: about them, raised by them, possibly naming them.
    public var counts: (about: Int, raised: Int, mentions: Int)

    public init(staffID: String, approved: Bool, digest: Data?, counts: (about: Int, raised: Int, mentions: Int)) {
        self.staffID = staffID
        self.approved = approved
        self.digest = approved ? digest : nil
        self.counts = counts
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.staffID == b.staffID && a.approved == b.approved && a.digest == b.digest && a.counts == b.counts
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(staffID)
        hasher.combine(approved)
        hasher.combine(digest)
    }

    /// The audit trail's action: `subject-access-disclosed` or `subject-access-declined`.
    public var action: String { approved ? "subject-access-disclosed" : "subject-access-declined" }

    /// The audit record's detail: the staff id, the counts and, when written, the file's digest.
    public var detail: String {
        var words = "staff id \(staffID); \(counts.about) about them, \(counts.raised) raised by them, \(counts.mentions) possibly naming them"
        if let digest { words += "; file sha256 " + digest.map { String(format: "%02x", $0) }.joined() }
        return words
    }

    /// The record the audit trail keeps.
    public func entry(by actor: String, at moment: Date) -> AuditEntry {
        AuditEntry(at: .instant(moment), actor: actor, action: action, reference: nil, detail: detail, content: digest)
    }
}

extension SubjectAccessKeeping where Self: ReportArchive & ReporterFollowUp & StaffDirectoryKeeping & AuditKeeping {
    /// Everything held about the member of staff with `staffID`, or nil when the directory has nobody
    /// with it. Reads every report (a request is rare; a report about them may name them in any way).
    public func subjectAccessHoldings(staffID: String) throws(StoreError) -> SubjectAccessHoldings? {
        let directory = try staff()
        guard directory.contains(where: { $0.id == staffID }) else { return nil }
        return try SubjectAccessGathering.gather(
            staffID: staffID, directory: directory, reports: try allReports(),
            events: { (reference) throws(StoreError) -> [CaseEvent] in try self.events(for: reference) },
            audit: try auditRecords())
    }
}
