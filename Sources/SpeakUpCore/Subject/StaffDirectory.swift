/// The staff directory: who manages whom, so that no report reaches someone
/// whose career its subject controls, and the indexes that recognise a person
/// however the reporter wrote them (see `SubjectResolution`).
public struct StaffDirectory: Hashable, Sendable {
    public typealias Member = StaffMember

    public private(set) var members: [String: Member] = [:]
    /// Looked up for every handler of every report, so kept as indexes.
    private var idByUnixUser: [String: String] = [:]
    /// Each member's words: name, known-as names, login and staff id, folded.
    private(set) var wordsOf: [String: [String]] = [:]
    /// Members by a whole word of theirs.
    private(set) var byWord: [String: Set<String>] = [:]
    /// Members by the start (three letters or more) of a word of theirs.
    private(set) var byStart: [String: Set<String>] = [:]
    /// Members by a word's initial.
    private(set) var byInitial: [Character: Set<String>] = [:]
    /// Members by a word, or a word with one letter taken out (for slips of the keyboard).
    private var bySlip: [String: Set<String>] = [:]
    /// Members by their role, each role folded once, in a stable order.
    private(set) var roleIndex: [(RoleTitles.Typed, [String])] = []
    /// Members by a one-letter word of theirs (a directory that lists "J Smith").
    private var byOneLetter: [Character: Set<String>] = [:]

    /// A directory from members whose management chains were already checked
    /// (`problems(in:)` lists unknown managers and cycles).
    public init(_ members: [Member]) {
        var byRole: [String: [String]] = [:]
        for member in members {
            self.members[member.id] = member
            if let user = member.unixUser { idByUnixUser[user] = member.id }
            // Every word of the name is kept, titles too (someone may be called Nurse): more words
            // for a person only ever make them easier to recognise.
            var words = ([member.name] + member.knownAs).flatMap(NameFolding.words)
            // "Smith-Jones" is also written "Smithjones".
            let nameWords = NameFolding.words(member.name)
            for pair in zip(nameWords, nameWords.dropFirst()) { words.append(pair.0 + pair.1) }
            for identifier in [member.unixUser, member.id].compactMap({ $0 }) {
                let folded = NameFolding.words(identifier).joined()
                if !folded.isEmpty { words.append(folded) }
            }
            words = Array(Set(words)).sorted()
            wordsOf[member.id] = words
            for word in words {
                byWord[word, default: []].insert(member.id)
                if let first = word.first { byInitial[first, default: []].insert(member.id) }
                if word.count >= 3 {
                    var start = ""
                    for character in word {
                        start.append(character)
                        if start.count >= 3 { byStart[start, default: []].insert(member.id) }
                    }
                }
                for key in NameMatching.slipKeys(word) where word.count >= 4 { bySlip[key, default: []].insert(member.id) }
            }
            for word in words where word.count == 1 { byOneLetter[word.first!, default: []].insert(member.id) }
            byRole[member.role, default: []].append(member.id)
        }
        roleIndex = byRole.sorted { $0.key < $1.key }.map { (RoleTitles.Typed($0.key), $0.value.sorted()) }
    }

    public static func == (a: StaffDirectory, b: StaffDirectory) -> Bool { a.members == b.members }
    public func hash(into hasher: inout Hasher) { hasher.combine(members) }

    /// The members any one word as typed may belong to (before checking the whole name).
    func members(mayBeMeantBy typed: String) -> Set<String> {
        var found = byWord[typed] ?? []
        if typed.count == 1, let initial = typed.first { found.formUnion(byInitial[initial] ?? []) }
        if let initial = typed.first { found.formUnion(byOneLetter[initial] ?? []) }
        if typed.count >= 3 { found.formUnion(byStart[typed] ?? []) }
        if typed.count >= 4 {
            for key in NameMatching.slipKeys(typed) { found.formUnion(bySlip[key] ?? []) }
        }
        for form in ShortNames.forms(of: typed) where form != typed { found.formUnion(byWord[form] ?? []) }
        return found
    }

    /// Unknown managers and cycles in the management chain, as (member id, sentence).
    /// Linear in the size of the directory, however deep its chains.
    public static func problems(in members: [Member]) -> [(id: String, sentence: String)] {
        var found: [(String, String)] = []
        var byID: [String: Member] = [:]
        for member in members {
            if byID[member.id] != nil { found.append((member.id, "The staff id \(member.id) appears more than once.")) }
            byID[member.id] = member
        }
        for member in members {
            if let manager = member.managerID, byID[manager] == nil {
                found.append((member.id, "\(member.id)'s manager \(manager) is not in the directory."))
            }
        }
        // Each chain is walked once: 0 not seen, 1 on the walk now, 2 known to reach the top.
        var state: [String: Int] = [:]
        for member in members where state[member.id] == nil {
            var walk: [String] = []
            var current: String? = member.id
            while let id = current, byID[id] != nil, state[id] == nil {
                state[id] = 1
                walk.append(id)
                current = byID[id]?.managerID
            }
            if let id = current, state[id] == 1 {
                found.append((member.id, "The management chain above \(member.id) goes round in a circle (through \(id))."))
            }
            for id in walk { state[id] = 2 }
        }
        return found
    }

    /// The member with this Unix login, if any.
    public func member(unixUser: String) -> Member? {
        idByUnixUser[unixUser].flatMap { members[$0] }
    }

    /// True when `manager` manages `member`, directly or through others.
    public func manages(_ manager: String, _ member: String) -> Bool {
        managers(of: member).contains(manager)
    }

    /// Everyone above `member` in their management chain, nearest first (at most `levels`).
    public func managers(of member: String, levels: Int = .max) -> [String] {
        var chain: [String] = []
        var seen: Set<String> = [member]
        var current = members[member]?.managerID
        while let id = current, chain.count < levels, seen.insert(id).inserted {
            chain.append(id)
            current = members[id]?.managerID
        }
        return chain
    }

    /// The first of `people` who is `member` or manages them, if any.
    public func chainMember(of member: String, among people: Set<String>) -> String? {
        if people.contains(member) { return member }
        return managers(of: member).first(where: people.contains)
    }
}
