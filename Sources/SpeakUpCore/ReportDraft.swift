import Foundation

/// What a reporter has told the form so far. Every field may still be missing.
public struct ReportDraft: Hashable, Sendable {
    public var wayOfRaising: WayOfRaising?
    public var concerns: Set<ConcernCategory> = []
    public var subjectSeniority: Seniority?
    public var location: String = ""
    public var account: String = ""

    public init() {}

    /// True when nothing has been chosen or typed, so leaving loses nothing.
    public var isEmpty: Bool {
        wayOfRaising == nil && concerns.isEmpty && subjectSeniority == nil && location.isEmpty && account.isEmpty
    }

    /// Everything still missing or wrong, in the order the form asks for it.
    public var problems: [ReportProblem] {
        var found: [ReportProblem] = []
        if wayOfRaising == nil { found.append(.noWayOfRaising) }
        if concerns.isEmpty { found.append(.noConcern) }
        if subjectSeniority == nil { found.append(.noSeniority) }
        if location.count > ReportLimits.locationCharacters { found.append(.locationTooLong) }
        if account.allSatisfy(\.isWhitespace) { found.append(.emptyAccount) }
        if account.count > ReportLimits.accountCharacters { found.append(.accountTooLong) }
        return found
    }

    /// The finished report, or the first problem that stops it.
    ///
    /// The reporter is attached only when the way of raising keeps identity, and
    /// the time is coarsened for anonymous reports (see `Report.init`).
    public func report(reference: CaseReference, reporter: Reporter?, at moment: Date) -> Result<Report, ReportProblem> {
        if let problem = problems.first { return .failure(problem) }
        let way = wayOfRaising!
        return .success(Report(
            reference: reference,
            wayOfRaising: way,
            concerns: Array(concerns),
            subjectSeniority: subjectSeniority!,
            location: location,
            account: account,
            reporter: way.keepsIdentity ? reporter : nil,
            submitted: .recorded(for: way, at: moment)
        ))
    }
}

/// Something that stops a draft from being submitted, with a sentence a reporter can act on.
public enum ReportProblem: Error, Hashable, Sendable {
    case noWayOfRaising
    case noConcern
    case noSeniority
    case locationTooLong
    case emptyAccount
    case accountTooLong

    /// What to do about it, in plain words.
    public var sentence: String {
        switch self {
        case .noWayOfRaising: "Please choose how you would like to raise this concern."
        case .noConcern: "Please tick at least one kind of concern (Space ticks). \"Something else\" is fine."
        case .noSeniority: "Please choose how senior the person is. \"Not sure\" is fine."
        case .locationTooLong:
            "Please keep the place to \(ReportLimits.locationCharacters) characters; the rest can go in what happened."
        case .emptyAccount: "Please say a little about what happened. A sentence or two is enough."
        case .accountTooLong:
            "What happened can be at most \(ReportLimits.accountCharacters.formatted()) characters. Please shorten it."
        }
    }
}

/// How long the reporter's free text may be.
public enum ReportLimits {
    /// About four printed pages: room for any account, small enough to keep the form quick.
    public static let accountCharacters = 10_000
    /// A ward, department or place name.
    public static let locationCharacters = 200
}
