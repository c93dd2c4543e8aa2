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

        public init(id: String, because: String) {
            self.id = id
            self.because = because
        }
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

    /// Whether someone fitted every word of the name as written (else the looser passes were used).
    public var nameFitWhole = false

    public init(certainty: Certainty, candidates: [Candidate]) {
        self.certainty = certainty
        self.candidates = candidates
    }
}

extension StaffDirectory {
    /// Resolves what the reporter wrote about the subject (name, role, or both; a staff
    /// id or login in the name box; the person picked from the directory) into candidates.
    ///
    /// - Name words must each fit a different word of a person's name, known-as
    ///   names, login or staff id (`NameMatching.mayMean`), in any order, titles ignored.
    /// - A role fits by `RoleTitles.matches`.
    /// - Both given: everyone the name fits, and everyone in the post when few people hold it. A
    ///   role never narrows a name down, because reporters often do not know someone's exact title.
    /// The cost is bounded by the size of the directory, whatever was typed.
    public func resolve(_ subject: Subject) -> SubjectResolution {
        if let id = subject.directoryID, members[id] != nil {
            var picked = SubjectResolution(certainty: .picked, candidates: [.init(id: id, because: "picked from the directory by the reporter")])
            picked.nameFitWhole = true
            return picked
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
        var nameFitWhole = false
        if !words.isEmpty {
            let whole = words.joined()
            // A login or staff id typed whole ("sguard1", "sguard 1").
            for number in (byWord[whole] ?? []) {
                let id = ids[Int(number)]
                let member = members[id]!
                if NameFolding.words(member.unixUser ?? "").joined() == whole { add(id, "the name given is their login") }
                else if NameFolding.words(member.id).joined() == whole { add(id, "the name given is their staff id") }
            }
            let (exact, loose) = fitting(words)
            nameFitWhole = !order.isEmpty || !exact.isEmpty || !loose.isEmpty
            for id in exact { add(id, "the name given matches theirs") }
            for id in loose { add(id, "the name given could be theirs: a short form, an initial, part of it, or a slip of the keyboard") }
            // Words that say nothing about who it is ("the", "from", "ward") never stand alone below.
            let telling = Self.telling(words)
            if order.isEmpty && telling.count > 1 {
                // Nobody fits every word: a middle name, a new surname, "Smith from ICU", "Mac Donald".
                // Then everyone who fits all the words but one, or the words run together, is a candidate,
                // and failing that everyone any one word of three letters or more could be.
                for id in Set(Self.allButOne(telling).flatMap { variant -> [String] in let (a, b) = fitting(variant); return a + b }).sorted() {
                    add(id, "all but one of the words given fit them")
                }
                if order.isEmpty {
                    for word in telling where word.count >= 3 {
                        let (a, b) = fitting([word])
                        for id in a + b { add(id, "one of the words given could be theirs") }
                    }
                }
            }
        }
        // The role box; and the name box too when the role box is empty ("the CEO", "MD"), read as a role.
        var roles = [subject.role]
        if NameFolding.key(subject.role).isEmpty { roles.append(typedName) }
        let named = !order.isEmpty
        for role in roles where !NameFolding.key(role).isEmpty {
            let typedRole = RoleTitles.Typed(role)
            for (directoryRole, holders) in roleIndex where RoleTitles.matches(typedRole, directoryRole) {
                // With someone named, a post is added in case the name is wrong ("Sam, the medical director"),
                // judged role by role: the same post if few hold it, a looser match (a post inside a longer
                // title, a word of it) if very few do. A role hundreds hold ("staff nurse") says nothing more.
                let limit = typedRole.post == directoryRole.post ? Self.samePost : Self.specificPost
                guard !named || holders.count <= limit else { continue }
                for id in holders { add(id, "the role given could be theirs") }
            }
        }
        let certainty: SubjectResolution.Certainty = order.isEmpty ? .nobody : order.count == 1 ? .one : .several
        var resolution = SubjectResolution(certainty: certainty, candidates: order.map { .init(id: $0, because: found[$0]!) })
        resolution.nameFitWhole = nameFitWhole
        return resolution
    }

    /// With a name: a role that is the same post as typed, held by this many or fewer, adds its holders.
    static let samePost = 20
    /// With a name: a loosely matching role held by this many or fewer adds its holders.
    static let specificPost = 5

    /// The words that say something about who it is: not "the", "from", "ward" and the like.
    public static func telling(_ words: [String]) -> [String] {
        words.filter { !RoleTitles.fillers.contains($0) && !connectives.contains($0) }
    }

    /// Words that join a description, never a name ("Smith from ICU").
    static let connectives: Set<String> = ["from", "on", "at", "in", "of", "and", "with", "who", "works", "called", "named", "ward"]

    /// The words with one left out, then with two neighbours run together.
    public static func allButOne(_ words: [String]) -> [[String]] {
        var variants: [[String]] = []
        for skipped in words.indices {
            var rest = words
            rest.remove(at: skipped)
            variants.append(rest)
        }
        for index in words.indices.dropLast() {
            var joined = words
            joined[index] += joined.remove(at: index + 1)
            variants.append(joined)
        }
        return variants
    }

    /// Everyone each of `words` fits (a different word of theirs for each): those whose words include
    /// every one as typed, then those fitted by short forms, initials, starts or slips.
    func fitting(_ words: [String]) -> (exact: [String], loose: [String]) {
        // Start from the word that fits fewest people; once few are left, checking each of them
        // whole (`fits`) is cheaper than gathering everyone the other words could mean.
        var possible: Set<Int32>? = nil
        for word in words.sorted(by: { roughCount($0) < roughCount($1) }) {
            if let found = possible, found.count <= 64 { break }
            let these = members(mayBeMeantBy: word)
            possible = possible.map { $0.intersection(these) } ?? these
            if possible?.isEmpty == true { break }
        }
        var exact: [String] = []
        var loose: [String] = []
        let typed = Set(words)
        for number in possible ?? [] {
            let theirs = wordsOf[Int(number)]
            guard Self.fits(words, theirs) else { continue }
            if typed.isSubset(of: theirs) { exact.append(ids[Int(number)]) } else { loose.append(ids[Int(number)]) }
        }
        return (exact.sorted(), loose.sorted())
    }

    /// About how many people a typed word could mean, from the cheapest indexes.
    func roughCount(_ word: String) -> Int {
        (byWord[word]?.count ?? 0) + (word.count >= 3 ? byStart[word]?.count ?? 0 : word.count == 1 ? byInitial[word.first!]?.count ?? 0 : 0)
    }

    /// Whether each typed word fits a different one of a person's words: a matching in the
    /// bipartite graph of typed and their words (augmenting paths, so never exponential).
    public static func fits(_ typed: [String], _ theirs: [String]) -> Bool {
        guard typed.count <= theirs.count else { return false }
        let edges = typed.map { word in theirs.indices.filter { NameMatching.mayMean(word, theirs[$0]) } }
        var owner = [Int?](repeating: nil, count: theirs.count)
        func augment(_ index: Int, _ seen: inout [Bool]) -> Bool {
            for position in edges[index] where !seen[position] {
                seen[position] = true
                if owner[position] == nil || augment(owner[position]!, &seen) {
                    owner[position] = index
                    return true
                }
            }
            return false
        }
        for index in typed.indices {
            var seen = [Bool](repeating: false, count: theirs.count)
            if !augment(index, &seen) { return false }
        }
        return true
    }

}
