import Foundation

/// Everything the store holds about one member of staff, for a subject access request, before
/// anything is redacted (`SubjectAccessDisclosure` does that).
public struct SubjectAccessHoldings: Hashable, Sendable {
    /// How sure SpeakUp is that a case belongs in the disclosure.
    public enum Match: Hashable, Sendable {
        /// It is about them, or raised by them, for certain; and why.
        case certain(String)
        /// It may be: the handler must check before approving; and why it was included.
        case possible(String)

        public var isPossible: Bool { if case .possible = self { true } else { false } }
        public var because: String {
            switch self {
            case .certain(let because), .possible(let because): because
            }
        }
    }

    /// A case, its timeline, and why it is included.
    public struct HeldCase: Hashable, Sendable {
        public var report: Report
        public var events: [CaseEvent]
        public var match: Match

        public init(report: Report, events: [CaseEvent], match: Match) {
            self.report = report
            self.events = events
            self.match = match
        }
    }

    /// The person, as the directory has them.
    public var person: StaffMember
    /// Cases about them: picked from the directory, or fitting how the reporter wrote the subject
    /// (by the same matching routing uses), surest first.
    public var aboutThem: [HeldCase]
    /// Cases they raised themselves, from their own login.
    public var raisedByThem: [HeldCase]
    /// Cases about someone else whose words name them somewhere: always possible matches.
    public var mentions: [HeldCase]
    /// What they did as a user of SpeakUp (as a handler, say), from the audit trail.
    public var ownActions: [AuditRecord]

    public init(person: StaffMember, aboutThem: [HeldCase], raisedByThem: [HeldCase], mentions: [HeldCase], ownActions: [AuditRecord]) {
        self.person = person
        self.aboutThem = aboutThem
        self.raisedByThem = raisedByThem
        self.mentions = mentions
        self.ownActions = ownActions
    }

    /// Every case included, once each.
    public var cases: [HeldCase] { aboutThem + raisedByThem + mentions }
}

/// Finds everything held about a member of staff (docs/governance.md, "Subject access requests").
/// Pure: the store's reports, timelines, directory and audit trail come in; nothing is read twice.
///
/// - A case is **about them** for certain when the reporter picked them from the directory, or
///   what was written fits them alone by whole name, login or staff id. It is a **possible match**
///   when routing's matching (`StaffDirectory.resolve`: first names, short forms, slips of the
///   keyboard, initials, roles) counts them among the candidates in any other way.
/// - A case is **raised by them** when it was sent from their own login (open or confidential).
///   A report sent from a shared terminal under a name like theirs is not taken for theirs: nobody
///   can be sure who typed it, and showing it to the wrong person would show them someone else's report.
/// - A case about someone else is a **mention** (always a possible match) when its account, impact,
///   witnesses or any message or note holds their login or staff id, or a word written with a capital
///   that routing's matching could take for one of their names (the name itself, a short form such as
///   "Sam" or "Bill", its start, one slip of the keyboard).
/// - Their own actions: every audit record with their login as its actor.
public enum SubjectAccessGathering {
    /// Nil when the directory has nobody with `staffID`.
    public static func gather(
        staffID: String, directory: [StaffMember], reports: [Report],
        events: (CaseReference) throws(StoreError) -> [CaseEvent], audit: [AuditRecord]
    ) throws(StoreError) -> SubjectAccessHoldings? {
        guard let person = directory.first(where: { $0.id == staffID }) else { return nil }
        // Sealed words cannot be searched or disclosed here: gathering without them would look whole and not be.
        let sealed = reports.filter { $0.sealed != nil }.count
        if sealed > 0 {
            throw StoreError(.failed, "\(sealed.counted("report")) in this store \(sealed == 1 ? "has its" : "have their") words sealed for their handlers, and subject access cannot open sealed words yet, so nothing was gathered: a disclosure without them would look complete and not be.")
        }
        let staff = StaffDirectory(directory)
        let login = person.unixUser
        var about: [SubjectAccessHoldings.HeldCase] = []
        var raised: [SubjectAccessHoldings.HeldCase] = []
        var mentions: [SubjectAccessHoldings.HeldCase] = []
        for report in reports {
            if let login, let reporter = report.reporter, reporter.userName == login {
                raised.append(.init(report: report, events: try events(report.reference), match: .certain("raised from their own login")))
                continue
            }
            if let match = aboutMatch(report.subject, person: person, directory: staff) {
                about.append(.init(report: report, events: try events(report.reference), match: match))
                continue
            }
            let timeline = try events(report.reference)
            let texts = [report.account, report.staffImpact, report.witnesses] + timeline.filter { $0.kind.carriesWords }.compactMap(\.text)
            if let word = texts.lazy.compactMap({ mentionedWord(of: person, in: $0) }).first {
                mentions.append(.init(report: report, events: timeline,
                                      match: .possible("a case about someone else whose words hold \"\(word)\", which could be them")))
            }
        }
        about = about.filter { !$0.match.isPossible } + about.filter(\.match.isPossible)
        let actions = login.map { login in audit.filter { $0.entry.actor == login } } ?? []
        return SubjectAccessHoldings(person: person, aboutThem: about, raisedByThem: raised, mentions: mentions, ownActions: actions)
    }

    /// Whether a report's subject is the person, and how sure that is; nil when it is not them.
    static func aboutMatch(_ subject: Subject, person: StaffMember, directory: StaffDirectory) -> SubjectAccessHoldings.Match? {
        if subject.directoryID == person.id { return .certain("the reporter picked them from the staff directory") }
        let resolution = directory.resolve(subject)
        guard let candidate = resolution.candidates.first(where: { $0.id == person.id }) else { return nil }
        let exact = ["the name given is their login", "the name given is their staff id", "the name given matches theirs"]
        if resolution.certainty == .one, exact.contains(candidate.because) {
            return .certain("the name written fits them, and nobody else in the directory (\(candidate.because))")
        }
        if resolution.certainty == .picked {
            return .certain("the reporter picked them from the staff directory")
        }
        let others = resolution.candidates.count - 1
        let company = others == 0 ? "" : "; \(others.counted("other person", "other people")) could also be meant"
        return .possible("\(candidate.because)\(company)")
    }

    /// A word of `text` that may name the person: their login or staff id, or a name of theirs with a capital.
    public static func mentionedWord(of person: StaffMember, in text: String) -> String? {
        var handles: Set<String> = [NameFolding.words(person.id).joined()]
        if let login = person.unixUser { handles.insert(NameFolding.words(login).joined()) }
        var names = Set(NameFolding.nameWords(person.name).filter { $0.count >= 3 })
        for other in person.knownAs { names.formUnion(NameFolding.nameWords(other).filter { $0.count >= 3 }) }
        handles.remove("")
        for token in Token.all(in: text) {
            if handles.contains(token.folded) { return token.text }
            // Routing's matching, for a word written with a capital: the same, a short form, the start, one slip.
            if token.startsWithCapitalOrDigit, token.folded.count >= 3, names.contains(where: { NameMatching.mayMean(token.folded, $0) }) {
                return token.text
            }
        }
        return nil
    }
}
