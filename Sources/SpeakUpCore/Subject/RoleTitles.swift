/// Job titles as people write them: abbreviations ("CEO", "MD") and other titles of
/// the same post ("director of nursing" for the chief nurse) brought to one name, so
/// that a report naming only a role is recognised against the directory's roles.
public enum RoleTitles {
    /// Each post, and the other ways it is written (folded: lower case, no full stops).
    static let posts: [String: [String]] = [
        "chief executive": ["ceo", "chief exec", "chief executive officer", "trust chief executive", "ce"],
        "medical director": ["md", "chief medical officer", "cmo", "executive medical director", "director of medicine"],
        "chief nurse": ["director of nursing", "dn", "don", "chief nursing officer", "cno", "executive director of nursing",
                        "director of nursing and midwifery", "executive chief nurse", "nursing director"],
        "chief operating officer": ["coo", "director of operations", "operations director", "chief operations officer"],
        "finance director": ["cfo", "director of finance", "chief finance officer", "chief financial officer", "fd"],
        "chair": ["chairman", "chairwoman", "chairperson", "trust chair", "chair of the board"],
        "non executive director": ["ned", "non exec", "non executive", "nonexecutive director", "non exec director"],
        "chief people officer": ["director of people", "hr director", "director of hr", "director of workforce",
                                 "people director", "director of human resources", "cpo"],
        "deputy chief nurse": ["deputy director of nursing", "ddn"],
        "director of midwifery": ["head of midwifery", "hom", "dom"],
        "ward manager": ["ward sister", "sister", "charge nurse", "ward leader"],
        "matron": ["modern matron"],
        "staff nurse": ["registered nurse", "rn", "nurse"],
        "healthcare assistant": ["hca", "nursing assistant", "healthcare support worker", "support worker", "hcsw", "care assistant"],
        "clinical director": ["cd"],
        "registrar": ["specialty registrar", "spr", "str", "reg"],
        "foundation doctor": ["fy1", "fy2", "f1", "f2", "foundation year doctor", "junior doctor", "resident doctor", "sho"],
        "freedom to speak up guardian": ["ftsu guardian", "speak up guardian", "ftsug", "guardian"],
        "porter": ["hospital porter"],
    ]

    /// Words that say too little on their own to point at any one post: "nurse" alone
    /// matches roles called "Nurse", not every role with "nurse" in it (the chief nurse).
    static let generic: Set<String> = [
        "nurse", "doctor", "director", "manager", "staff", "officer", "assistant", "lead", "head", "senior", "deputy",
        "clinical", "chief", "executive", "associate", "specialist", "practitioner", "worker", "team", "of", "and",
        "the", "for", "in", "ward", "trust", "board", "member", "support", "admin", "administrator", "service", "services",
    ]

    /// Words around a title that say nothing about the post ("the", "our").
    static let fillers: Set<String> = ["the", "a", "an", "our", "my", "their", "his", "her", "trust's", "trusts"]

    static let canonicalOf: [String: String] = {
        var table: [String: String] = [:]
        for (post, others) in posts {
            table[NameFolding.key(post)] = post
            for other in others { table[NameFolding.key(other)] = post }
        }
        return table
    }()

    /// The post's one name for a folded role ("ceo" -> "chief executive"), or the role itself.
    public static func canonical(_ folded: String) -> String {
        canonicalOf[folded] ?? folded
    }

    /// A role folded once: its words, and its post's one name.
    public struct Typed: Hashable, Sendable {
        public let key: String
        public let post: String
        let keyWords: [String]
        let postWords: [String]

        public init(_ text: String) {
            key = NameFolding.words(text).filter { !RoleTitles.fillers.contains($0) }.joined(separator: " ")
            post = RoleTitles.canonical(key)
            keyWords = key.split(separator: " ").map(String.init)
            postWords = post.split(separator: " ").map(String.init)
        }
    }

    /// Whether a role as typed could mean a directory role: the same post once abbreviations
    /// and other titles are brought to one name (word order and one slip of the keyboard per
    /// long word forgiven); a post's name, or the words typed, found as a phrase inside a longer
    /// title ("chief executive" in "Interim Chief Executive"); or all the words typed found in
    /// the directory's role when they are not only generic words ("consultant" in "Consultant
    /// anaesthetist"; "nurse" alone is not enough to mean the chief nurse).
    public static func matches(_ typed: Typed, _ role: Typed) -> Bool {
        guard !typed.key.isEmpty, !role.key.isEmpty else { return false }
        if typed.post == role.post { return true }
        func phrase(_ part: String, in whole: String) -> Bool { (" " + whole + " ").contains(" " + part + " ") }
        // Two words or more (as typed, or as the post's name) inside a longer title.
        // Every other title of the post counts too ("director of nursing" inside a longer title means the chief nurse).
        let titles = [typed.key, typed.post] + (posts[typed.post] ?? []).map(NameFolding.key)
        for part in Set(titles) where part.split(separator: " ").count >= 2 {
            if phrase(part, in: role.key) || phrase(part, in: role.post) { return true }
        }
        let roleWords = role.postWords + role.keyWords
        func found(_ word: String) -> Bool { roleWords.contains { NameMatching.sameWord(word, $0) } }
        if Set(typed.postWords).count == Set(role.postWords).count && typed.postWords.allSatisfy(found) { return true }
        guard typed.postWords.contains(where: { !generic.contains($0) }) else { return false }
        return typed.postWords.allSatisfy(found)
    }
}
