/// A concern as it was submitted. Never changed afterwards: what happens to the
/// case later is appended as a `CaseEvent`.
public struct Report: Hashable, Sendable {
    /// The case reference shown to the reporter.
    public var reference: CaseReference
    /// Open, confidential or anonymous.
    public var wayOfRaising: WayOfRaising
    /// The kinds of concern it has elements of, in the domain list's order, without repeats.
    public var concerns: [ConcernCategory]
    /// How senior the person it is about is.
    public var subjectSeniority: Seniority
    /// Where it happened, as the reporter wrote it; may be empty.
    public var location: String
    /// What happened, exactly as the reporter typed it.
    public var account: String
    /// Who raised it; always `nil` for an anonymous report.
    public var reporter: Reporter?
    /// When it was submitted, coarsened to the day for an anonymous report.
    public var submitted: SubmissionTime

    /// Makes a report, enforcing what anonymity means whatever the caller passes:
    /// an anonymous report keeps no reporter and only the day of an instant.
    public init(
        reference: CaseReference,
        wayOfRaising: WayOfRaising,
        concerns: [ConcernCategory],
        subjectSeniority: Seniority,
        location: String,
        account: String,
        reporter: Reporter?,
        submitted: SubmissionTime
    ) {
        self.reference = reference
        self.wayOfRaising = wayOfRaising
        self.concerns = Array(Set(concerns)).sorted()
        self.subjectSeniority = subjectSeniority
        self.location = location
        self.account = account
        if wayOfRaising == .anonymous {
            self.reporter = nil
            if case .instant(let date) = submitted {
                self.submitted = SubmissionTime.recorded(for: .anonymous, at: date)
            } else {
                self.submitted = submitted
            }
        } else {
            self.reporter = reporter
            self.submitted = submitted
        }
    }
}
