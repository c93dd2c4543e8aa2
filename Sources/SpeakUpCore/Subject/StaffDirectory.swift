import Synchronization

/// The staff directory: who manages whom, so that no report reaches someone
/// whose career its subject controls, and the indexes that recognise a person
/// however the reporter wrote them (see `SubjectResolution`).
public struct StaffDirectory: Hashable, Sendable {
    public typealias Member = StaffMember

    public private(set) var members: [String: Member] = [:]
    /// Looked up for every handler of every report, so kept as indexes.
    private var idByUnixUser: [String: String] = [:]
    /// Members by number, in the order given: the indexes below hold numbers, which are cheaper
    /// to gather and compare than ids.
    private(set) var ids: [String] = []
    /// Each member's words (by number): name, known-as names, the name's words run together,
    /// login and staff id, folded.
    private(set) var wordsOf: [[String]] = []
    /// Members by a whole word of theirs.
    private(set) var byWord: [String: [Int32]] = [:]
    /// Members by the start (three letters or more) of any word of theirs.
    private(set) var byStart: [String: [Int32]] = [:]
    /// Members by a word's initial.
    private(set) var byInitial: [Character: [Int32]] = [:]
    /// Members by a name word or login, or one with a letter taken out (for slips of the keyboard).
    private var bySlip: [String: [Int32]] = [:]
    /// Members by a one-letter word of theirs (a directory that lists "J Smith").
    private var byOneLetter: [Character: [Int32]] = [:]
    /// Members by their role, each role folded once, in a stable order.
    private(set) var roleIndex: [(RoleTitles.Typed, [String])] = []

    /// A directory from members whose management chains were already checked
    /// (`problems(in:)` lists unknown managers and cycles).
    public init(_ members: [Member]) {
        var byRole: [String: [String]] = [:]
        for member in members where self.members[member.id] == nil {
            let number = Int32(ids.count)
            ids.append(member.id)
            self.members[member.id] = member
            if let user = member.unixUser { idByUnixUser[user] = member.id }
            // Every word of the name is kept, titles too (someone may be called Nurse): more words
            // for a person only ever make them easier to recognise.
            let nameWords = ([member.name] + member.knownAs).flatMap(NameFolding.words)
            let ownNameWords = NameFolding.words(member.name)
            // "Smith-Jones" is also written "Smithjones".
            let joined = zip(ownNameWords, ownNameWords.dropFirst()).map { $0.0 + $0.1 }
            let identifiers = [member.unixUser, member.id].compactMap { $0 }.map { NameFolding.words($0).joined() }.filter { !$0.isEmpty }
            let words = Array(Set(nameWords + joined + identifiers)).sorted()
            wordsOf.append(words)
            var starts: Set<String> = []
            var slips: Set<String> = []
            var initials: Set<Character> = []
            for word in words {
                byWord[word, default: []].append(number)
                if let first = word.first { initials.insert(first) }
            }
            for word in Set(nameWords + joined + identifiers) where word.count >= 3 {
                var start = String(word.prefix(2))
                for character in word.dropFirst(2) {
                    start.append(character)
                    starts.insert(start)
                }
            }
            // Slips for name words and the login (a mistyped "sgaurd1"); not for the name run together
            // or the staff id, which cost the most keys and are rarely typed by hand.
            let login = member.unixUser.map { NameFolding.words($0).joined() }.map { [$0] } ?? []
            for word in Set(nameWords + login) where word.count >= 4 { slips.formUnion(NameMatching.slipKeys(word)) }
            for start in starts { byStart[start, default: []].append(number) }
            for key in slips { bySlip[key, default: []].append(number) }
            for initial in initials { byInitial[initial, default: []].append(number) }
            for initial in Set(words.filter { $0.count == 1 }.compactMap(\.first)) { byOneLetter[initial, default: []].append(number) }
            byRole[member.role, default: []].append(member.id)
        }
        roleIndex = byRole.sorted { $0.key < $1.key }.map { (RoleTitles.Typed($0.key), $0.value.sorted()) }
    }

    public static func == (a: StaffDirectory, b: StaffDirectory) -> Bool { a.members == b.members }
    public func hash(into hasher: inout Hasher) { hasher.combine(members) }

    /// The members (by number) any one word as typed may belong to (before checking the whole name).
    func members(mayBeMeantBy typed: String) -> Set<Int32> {
        var found = Set(byWord[typed] ?? [])
        let length = typed.count
        if length == 1, let initial = typed.first { found.formUnion(byInitial[initial] ?? []) }
        if let initial = typed.first { found.formUnion(byOneLetter[initial] ?? []) }
        if length >= 3 { found.formUnion(byStart[typed] ?? []) }
        if length >= 4 {
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

extension StaffDirectory {
    private static let last = Mutex<(members: [Member], directory: StaffDirectory)?>(nil)

    /// The directory for `members`, indexed once per process while the members stay the same
    /// (indexing 10,000 people takes about half a second: docs/performance.md). The form's offer
    /// of names, its router at submit, and a ward terminal's many reports share one index.
    public static func reusing(_ members: [Member]) -> StaffDirectory {
        if let found = last.withLock({ $0?.members == members ? $0?.directory : nil }) { return found }
        let made = StaffDirectory(members)
        last.withLock { $0 = (members, made) }
        return made
    }
}
