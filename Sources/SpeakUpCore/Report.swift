/// A concern as it was submitted. Never changed afterwards: what happens to the
/// case later is appended as a `CaseEvent`.
public struct Report: Hashable, Sendable {
    /// The case reference shown to the reporter.
    public var reference: CaseReference
    /// Open, confidential or anonymous.
    public var wayOfRaising: WayOfRaising
    /// The kinds of concern it has elements of, in the domain list's order, without repeats.
    public var concerns: [ConcernCategory]
    /// Who it is about.
    public var subject: Subject
    /// When it happened, if known (reports imported from format 1 do not say).
    public var occurred: Occurrence?
    /// Where it happened, as the reporter wrote it; may be empty.
    public var location: String
    /// Harm to patients, as the reporter judges it.
    public var harm: PatientHarm
    /// The impact on staff, in the reporter's words; may be empty.
    public var staffImpact: String
    /// What happened, exactly as the reporter typed it.
    public var account: String
    /// Who else saw it; may be empty.
    public var witnesses: String
    /// What the reporter would like to happen, if they said.
    public var desiredOutcome: DesiredOutcome?
    /// Held until someone else reports the same person, or nil.
    public var hold: MatchingHold?
    /// Handlers (logins or names) the reporter asked not to see it.
    public var excludedHandlers: [String]
    /// Who raised it (from the real uid); always nil for an anonymous report.
    public var reporter: Reporter?
    /// The name and contact the reporter gave; always nil for an anonymous report.
    public var reporterDetails: ReporterDetails?
    /// When it was submitted, coarsened to the day for an anonymous report.
    public var submitted: SubmissionTime
    /// Where it was raised from: the reporter's own login, a ward terminal or a kiosk.
    public var station: Station
    /// How the reporter described themselves, for the figures only, if they chose to. A store
    /// writes it apart from the report (`CharacteristicsKeeping`) and only when identity is kept
    /// away from a kiosk; it is never read back with the report, so a stored report has none.
    public var characteristics: ReporterCharacteristics?
    /// Set on a report read back from a store that seals: its words (account, witnesses, impact on
    /// staff, the reporter's name and contact) are then empty here and sealed in this (docs/security.md).
    public var sealed: SealedWords?

    /// How senior the person it is about is.
    public var subjectSeniority: Seniority { subject.seniority }

    /// Makes a report, enforcing what anonymity means whatever the caller passes:
    /// an anonymous report keeps no reporter, no reporter details, and only the day of an instant;
    /// a kiosk's report is anonymous; a shared terminal's login is not kept as the reporter.
    public init(
        reference: CaseReference,
        wayOfRaising: WayOfRaising,
        concerns: [ConcernCategory],
        subject: Subject,
        occurred: Occurrence? = nil,
        location: String,
        harm: PatientHarm = .unknown,
        staffImpact: String = "",
        account: String,
        witnesses: String = "",
        desiredOutcome: DesiredOutcome? = nil,
        hold: MatchingHold? = nil,
        excludedHandlers: [String] = [],
        reporter: Reporter?,
        reporterDetails: ReporterDetails? = nil,
        submitted: SubmissionTime,
        station: Station = .personal
    ) {
        self.station = station
        self.reference = reference
        // A kiosk takes anonymous reports only, whatever the caller passes.
        let wayOfRaising: WayOfRaising = if case .kiosk = station { .anonymous } else { wayOfRaising }
        self.wayOfRaising = wayOfRaising
        self.concerns = Array(Set(concerns)).sorted()
        self.subject = subject
        self.occurred = occurred
        self.location = location
        self.harm = harm
        self.staffImpact = staffImpact
        self.account = account
        self.witnesses = witnesses
        self.desiredOutcome = desiredOutcome
        self.hold = hold
        self.excludedHandlers = excludedHandlers
        if wayOfRaising == .anonymous {
            self.reporter = nil
            self.reporterDetails = nil
            if case .instant(let date) = submitted {
                self.submitted = SubmissionTime.recorded(for: .anonymous, at: date)
            } else {
                self.submitted = submitted
            }
        } else {
            // At a shared terminal the login is not the person: only the name they give is kept.
            self.reporter = station.isShared ? nil : reporter
            self.reporterDetails = reporterDetails
            self.submitted = submitted
        }
    }
}
