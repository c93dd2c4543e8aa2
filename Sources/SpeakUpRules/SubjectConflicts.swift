import SpeakUpCore

/// Who must not handle one report: anyone it may be about, anyone they manage, and
/// anyone the reporter asked to keep it from. Built once per report, asked per handler.
///
/// "May be about" is wide on purpose (see `SubjectResolution`): every candidate the
/// reporter's words could mean, plus any handler whose own name or login the words fit,
/// even when the directory does not know them.
public struct SubjectConflicts: Sendable {
    public let resolution: SubjectResolution
    let directory: StaffDirectory
    let candidates: Set<String>
    let typedWords: [String]
    let roleTyped: String
    let excludedByReporter: Set<String>
    let handlerNames: any HandlerNames
    /// Handlers taken to be outside every chain though the directory does not list them (the
    /// independent route's: a non-executive director is not on the staff).
    let outsideChains: Set<String>
    /// Levels of the candidates' own managers also left out (`exclude: subject-managers`).
    let managerLevels: Int?
    /// What was worked out when the report was routed, kept by a store that seals the name
    /// (`SubjectFacts`); with the name sealed away, the checks run on these instead of the words.
    let facts: SubjectFacts?
    /// Whether the name and role are sealed away (not open here): then only `facts` speak for them.
    let sealedAway: Bool

    public init(report: Report, directory: StaffDirectory, names: any HandlerNames = NoHandlerNames(),
                outsideChains: Set<String> = [], managerLevels: Int? = nil) {
        self.init(report.caseSubject, directory: directory, names: names, outsideChains: outsideChains, managerLevels: managerLevels)
    }

    public init(_ report: CaseSubject, directory: StaffDirectory, names: any HandlerNames = NoHandlerNames(),
                outsideChains: Set<String> = [], managerLevels: Int? = nil) {
        self.outsideChains = outsideChains
        self.managerLevels = managerLevels
        self.directory = directory
        facts = report.subject.sealedFacts
        sealedAway = report.subject.isSealedAway
        var resolution = sealedAway ? SubjectResolution(certainty: .nobody, candidates: []) : directory.resolve(report.subject)
        if let facts {
            // Everyone it was taken to be about when it was routed stays a candidate, whatever the directory says now.
            let known = Set(resolution.ids)
            for id in facts.candidates where !known.contains(id) {
                resolution.candidates.append(.init(id: id, because: "taken to be the person it may be about when it was sent (the name given is sealed)"))
            }
            if resolution.certainty == .nobody || sealedAway { resolution.certainty = facts.certainty }
            if sealedAway { resolution.nameFitWhole = true }
        }
        self.resolution = resolution
        candidates = Set(resolution.ids)
        typedWords = Array(NameFolding.nameWords(report.subject.name ?? "").prefix(8))
        roleTyped = report.subject.role
        excludedByReporter = Set(report.excludedHandlers.map(NameFolding.key))
        handlerNames = names
    }

    /// The highest seniority among the candidates, or nil when there are none.
    public var highestCandidateSeniority: Seniority? {
        resolution.ids.compactMap { directory.members[$0]?.seniority }.max()
    }

    /// Why `handler` (a login) must not see the report, or nil.
    public func reason(against handler: String) -> String? {
        let member = directory.member(unixUser: handler)
        let sure = resolution.certainty == .picked || resolution.certainty == .one
        if let member {
            if candidates.contains(member.id) {
                return sure ? "the person the report is about" : "possibly the person the report is about (staff id \(member.id) fits what was written)"
            }
            if let boss = directory.managers(of: member.id).first(where: candidates.contains) {
                return sure ? "managed by the person the report is about (\(boss))"
                    : "managed by \(boss), who may be the person the report is about"
            }
            if let levels = managerLevels {
                for candidate in resolution.ids where directory.managers(of: candidate, levels: levels).contains(member.id) {
                    return "a manager of \(candidate), whom the report may be about (the route leaves out the subject's managers)"
                }
            }
        }
        if nameFits(handler, member: member) {
            return "possibly the person the report is about (their own name or login fits the name given)"
        }
        // Whenever the store keeps the name sealed, its policy runs on the facts: so does every answer here,
        // even with the name opened in a handler's session (a case passed to someone the store then keeps it
        // from would be lost to both).
        if let facts, facts.nameGiven {
            if facts.fitting.contains(handler) {
                return "possibly the person the report is about (their own name or login fits the name given)"
            }
            if !facts.checked.contains(handler) {
                return "not one SpeakUp could check against the name given: the name is sealed, and they were not a handler when the report was sent"
            }
        }
        // A handler the directory does not list cannot be placed in any chain: when the report may be
        // about someone, they are left out, unless they are on the independent route (a non-executive
        // director is not on the staff). `speakup check` lists them for an administrator.
        if member == nil, !candidates.isEmpty, !outsideChains.contains(handler), handler != PersonalStore.handler {
            return "not in the staff directory, so SpeakUp cannot tell whether the person the report may be about manages them"
        }
        let asked = [NameFolding.key(handler), member.map { NameFolding.key($0.name) }].compactMap { $0 }
        if asked.contains(where: excludedByReporter.contains) {
            return "the reporter asked that they not see it"
        }
        return nil
    }

    /// Whether the name as typed fits `handler`'s own name or login (every word; or, when nobody in
    /// the directory fitted every word, such as a middle name or "from the board", all the telling
    /// words but one, as the resolution did). False when no name is open here.
    func nameFits(_ handler: String, member: StaffMember?) -> Bool {
        guard !typedWords.isEmpty else { return false }
        let own = [handler, member?.name, handlerNames.fullName(of: handler)].compactMap { $0 }
        let words = Array(Set(own.flatMap(NameFolding.words) + [NameFolding.words(handler).joined()]))
        let telling = StaffDirectory.telling(typedWords)
        let loose = !resolution.nameFitWhole && telling.count > 1
        let variants = [typedWords] + (loose ? StaffDirectory.allButOne(telling) : [])
        return variants.contains(where: { StaffDirectory.fits($0, words) })
    }

    /// What a store sealing the name keeps in its place (`SubjectFacts`): the candidates, and which of
    /// `handlers` (every handler now) the name given fits. With the name sealed away already, the facts
    /// kept when it was sent, unchanged.
    public func facts(checking handlers: [String]) -> SubjectFacts {
        if sealedAway, let facts { return facts }
        let everyone = Array(Set(handlers)).sorted()
        return SubjectFacts(
            certainty: resolution.certainty, candidates: resolution.ids, nameGiven: !typedWords.isEmpty,
            roleGiven: !NameFolding.key(roleTyped).isEmpty, checked: everyone,
            fitting: Array(Set(everyone.filter { nameFits($0, member: directory.member(unixUser: $0)) } + (facts?.fitting ?? []))).sorted())
    }

    /// One line on whom SpeakUp took the report to be about, for explanations.
    public var summary: String {
        let people = resolution.candidates.prefix(10).map { candidate in
            let member = directory.members[candidate.id]
            let role = member.map { $0.role.isEmpty ? "no role given" : $0.role } ?? "no role given"
            return "\(candidate.id), \(role) (\(member?.seniority.rawValue ?? "unknown")): \(candidate.because)"
        }
        let more = resolution.candidates.count > 10 ? " and \(resolution.candidates.count - 10) more" : ""
        switch resolution.certainty {
        case .picked: return "The person the report is about was picked from the directory: \(people.joined())."
        case .one: return "The person the report is about was recognised in the directory: \(people.joined())."
        case .several:
            return "What was written fits \(resolution.candidates.count) people in the directory, and all of them are treated as the person it is about: "
                + people.joined(separator: "; ") + more + "."
        case .nobody:
            let saidWho = sealedAway ? (facts.map { $0.nameGiven || $0.roleGiven } ?? false)
                : !typedWords.isEmpty || !NameFolding.key(roleTyped).isEmpty
            if !saidWho { return "The report does not say who it is about." }
            return directory.members.isEmpty
                ? "There is no staff directory, so only handlers' own names and logins were checked against the name given."
                : "What was written fits nobody in the staff directory."
        }
    }
}

/// Handlers' full names from the system (the passwd entry's name field), so that a
/// report naming a handler is kept from them even when the directory does not list them.
public protocol HandlerNames: Sendable {
    func fullName(of user: String) -> String?
}

/// No names beyond the login: for tests and tools without a user list.
public struct NoHandlerNames: HandlerNames {
    public init() {}
    public func fullName(of user: String) -> String? { nil }
}
