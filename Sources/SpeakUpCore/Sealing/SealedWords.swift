/// A report's words as the store keeps them once sealed (docs/security.md): the sealed bytes
/// (`SpeakUpSealing`'s `SealedField`, the words as JSON, bound to the case) instead of the words.
///
/// A report read back from a sealing store carries this and empty words; only a session holding a
/// key the case's content key is wrapped for can open them (`ReportSeal`). What stays readable is
/// what routing, deadlines, statistics and the return need.
public struct SealedWords: Hashable, Sendable {
    /// The sealed field's bytes.
    public var content: [UInt8]

    public init(content: [UInt8]) {
        self.content = content
    }

    /// The recipient name under which the trust recovery key's wrapping is kept (a login cannot start with "#").
    public static let recoveryRecipient = "#recovery"

    /// The sentence wherever sealed words are asked for by something that cannot open them.
    public static func notOpenedHere(_ reference: CaseReference) -> String {
        "The words of case \(reference.text) are sealed for its handlers, so they cannot be read here."
    }
}

/// The words of a report that are sealed, as one value (what `SealedWords` holds when opened).
public struct ReportWords: Hashable, Sendable, Codable {
    public var account: String
    public var witnesses: String
    public var staffImpact: String
    public var reporterName: String?
    public var reporterContact: String?
    /// The subject's name and role as typed, when they are sealed too (`Subject.sealedFacts`);
    /// nil in words sealed before names were (the name then stayed in clear).
    public var subjectName: String?
    public var subjectRole: String?

    public init(account: String, witnesses: String, staffImpact: String, reporterName: String?, reporterContact: String?,
                subjectName: String? = nil, subjectRole: String? = nil) {
        self.account = account
        self.witnesses = witnesses
        self.staffImpact = staffImpact
        self.reporterName = reporterName
        self.reporterContact = reporterContact
        self.subjectName = subjectName
        self.subjectRole = subjectRole
    }

    /// The report's words; with `subject`, the subject's name and role as typed too.
    public init(of report: Report, subject: Bool = false) {
        account = report.account
        witnesses = report.witnesses
        staffImpact = report.staffImpact
        reporterName = report.reporterDetails?.name
        reporterContact = report.reporterDetails?.contact
        if subject {
            subjectName = report.subject.name ?? ""
            subjectRole = report.subject.role
        }
    }

    /// The subject as the reporter wrote it, when sealed here ("" when they named nobody).
    public var subjectAsWritten: String? {
        guard subjectName != nil || subjectRole != nil else { return nil }
        return Subject(name: subjectName, role: subjectRole ?? "", seniority: .unknown).asWritten
    }

    /// The report with these words put back, and no longer marked sealed.
    public func restored(into report: Report) -> Report {
        var report = report
        report.account = account
        report.witnesses = witnesses
        report.staffImpact = staffImpact
        if var details = report.reporterDetails {
            details.name = reporterName ?? details.name
            details.contact = reporterContact ?? details.contact
            report.reporterDetails = details
        }
        if subjectName != nil || subjectRole != nil {
            report.subject.name = (subjectName ?? "").isEmpty ? nil : subjectName
            report.subject.role = subjectRole ?? ""
        }
        report.sealed = nil
        return report
    }

    /// The report as a sealing store keeps it: these words emptied, the sealed bytes beside them;
    /// given `subject` (the facts and same-person key kept instead), the subject's name and role too.
    public static func emptied(_ report: Report, sealed: SealedWords, subject: SubjectSealing? = nil) -> Report {
        var report = report
        if let subject {
            report.subject.name = nil
            report.subject.role = ""
            report.subject.sealedFacts = subject.facts
            report.subject.keptKey = subject.key
        }
        report.account = ""
        report.witnesses = ""
        report.staffImpact = ""
        if var details = report.reporterDetails {
            details.name = ""
            details.contact = ""
            report.reporterDetails = details
        }
        report.sealed = sealed
        return report
    }
}
