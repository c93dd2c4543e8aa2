/// Who in the staff directory a report may be about, however the reporter wrote
/// them: the person they picked, everyone their words could mean, or nobody known.
///
/// It errs on the side of the reporter: every plausible candidate is treated as the
/// subject (routing leaves out all of their management chains and takes the
/// highest seniority among them). See docs/escalation.md, "How the subject is recognised".
public struct SubjectResolution: Hashable, Sendable {
    /// One person the report may be about, and what about the report points at them.
    public struct Candidate: Hashable, Sendable {
        public var id: String
        public var because: String
    }

    /// How sure SpeakUp is.
    public enum Certainty: String, Hashable, Sendable {
        /// The reporter picked the person from the directory.
        case picked
        /// What was written fits one person only.
        case one
        /// It fits several people: all of them are treated as the subject.
        case several
        /// It fits nobody in the directory (or names nobody).
        case nobody
    }

    public var certainty: Certainty
    /// Most likely first (the login or staff id, then whole names, then partial ones, then roles).
    /// Never cut short: a role such as "staff nurse" can fit hundreds, and each is treated as the subject.
    public var candidates: [Candidate]

    /// The staff ids of the candidates.
    public var ids: [String] { candidates.map(\.id) }
}

extension StaffDirectory {
    /// Resolves what the reporter wrote about the subject (name, role, or both; a staff
    /// id or login in the name box; the person picked from the directory) into candidates.
    ///
    /// - Name words must each fit a different word of a person's name, known-as
    ///   names, login or staff id (`NameMatching.mayMean`), in any order, titles ignored.
    /// - A role fits by `RoleTitles.matches`.
    /// - Both given: everyone either fits. A role never narrows a name down, because
    ///   reporters often do not know someone's exact title.
    /// The cost is bounded by the size of the directory, whatever was typed.
    public func resolve(_ subject: Subject) -> SubjectResolution {
        if let id = subject.directoryID, members[id] != nil {
            return SubjectResolution(certainty: .picked, candidates: [.init(id: id, because: "picked from the directory by the reporter")])
        }
        var found: [String: String] = [:]
        var order: [String] = []
        func add(_ id: String, _ because: String) {
            guard found[id] == nil else { return }
            order.append(id)
            found[id] = because
        }
        let typedName = subject.name ?? ""
        let words = Array(NameFolding.nameWords(typedName).prefix(8))
        if !words.isEmpty {
            let whole = words.joined()
            // A login or staff id typed whole.
            for id in (byWord[whole] ?? []).sorted() where wordsOf[id]?.contains(whole) == true {
                let member = members[id]!
                if NameFolding.words(member.unixUser ?? "").joined() == whole { add(id, "the name given is their login") }
                else if NameFolding.words(member.id).joined() == whole { add(id, "the name given is their staff id") }
            }
            // Start from the word that fits fewest people; once few are left, checking each of them
            // whole (`fits`) is cheaper than gathering everyone the other words could mean.
            var possible: Set<String>? = nil
            for word in words.sorted(by: { roughCount($0) < roughCount($1) }) {
                if let found = possible, found.count <= 64 { break }
                let these = members(mayBeMeantBy: word)
                possible = possible.map { $0.intersection(these) } ?? these
                if possible?.isEmpty == true { break }
            }
            var exact: [String] = []
            var loose: [String] = []
            for id in (possible ?? []).sorted() {
                guard let theirs = wordsOf[id], Self.fits(words, theirs) else { continue }
                if Set(words).isSubset(of: Set(theirs)) { exact.append(id) } else { loose.append(id) }
            }
            for id in exact { add(id, "the name given matches theirs") }
            for id in loose { add(id, "the name given could be theirs: a short form, an initial, part of it, or a slip of the keyboard") }
        }
        let role = subject.role
        if !NameFolding.key(role).isEmpty {
            for (directoryRole, ids) in byRole.sorted(by: { $0.key < $1.key }) where RoleTitles.matches(typed: role, directoryRole: directoryRole) {
                for id in ids.sorted() { add(id, "the role given could be theirs") }
            }
        }
        let certainty: SubjectResolution.Certainty = order.isEmpty ? .nobody : order.count == 1 ? .one : .several
        return SubjectResolution(certainty: certainty, candidates: order.map { .init(id: $0, because: found[$0]!) })
    }

    /// About how many people a typed word could mean, from the cheapest indexes.
    func roughCount(_ word: String) -> Int {
        (byWord[word]?.count ?? 0) + (word.count >= 3 ? byStart[word]?.count ?? 0 : word.count == 1 ? byInitial[word.first!]?.count ?? 0 : 0)
    }

    /// Whether each typed word fits a different one of a person's words.
    public static func fits(_ typed: [String], _ theirs: [String]) -> Bool {
        var used = [Bool](repeating: false, count: theirs.count)
        func place(_ index: Int) -> Bool {
            if index == typed.count { return true }
            for (position, word) in theirs.enumerated() where !used[position] && NameMatching.mayMean(typed[index], word) {
                used[position] = true
                if place(index + 1) { return true }
                used[position] = false
            }
            return false
        }
        return place(0)
    }
}
