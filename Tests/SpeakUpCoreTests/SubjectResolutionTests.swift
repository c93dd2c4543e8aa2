import Testing
@testable import SpeakUpCore

@Suite("Recognising the subject however the reporter wrote them")
struct SubjectResolutionTests {
    // A small trust: the chief executive runs the chief nurse and the medical director;
    // two Sams in different chains; a guardian who reports to the chief nurse.
    static let directory = StaffDirectory([
        StaffMember(id: "CE1", name: "Helen Okafor", unixUser: "hokafor", role: "Chief Executive", seniority: .chiefExecutive, managerID: nil, ward: ""),
        StaffMember(id: "CN1", name: "Zoë O’Brien-Smith", unixUser: "zobrien", role: "Chief Nurse", seniority: .executive, managerID: "CE1", ward: ""),
        StaffMember(id: "MD1", name: "William Smith", unixUser: "wsmith", role: "Medical Director", seniority: .executive, managerID: "CE1", ward: "",
                    knownAs: ["Bill"]),
        StaffMember(id: "S1", name: "Samuel Jones", unixUser: "sjones", role: "Consultant Anaesthetist", seniority: .seniorClinician, managerID: "MD1", ward: "Theatres"),
        StaffMember(id: "S2", name: "Samantha Patel", unixUser: "spatel", role: "Staff Nurse", seniority: .practitioner, managerID: "CN1", ward: "Ward 7"),
        StaffMember(id: "G1", name: "Grace Guard", unixUser: "sguard1", role: "Freedom to Speak Up Guardian", seniority: .manager, managerID: "CN1", ward: ""),
    ])

    static func ids(_ name: String?, role: String = "", picked: String? = nil) -> Set<String> {
        Set(directory.resolve(Subject(name: name, role: role, seniority: .unknown, directoryID: picked)).ids)
    }

    @Test("names as people write them", arguments: [
        ("William Smith", "MD1"), ("william  SMITH", "MD1"), ("Smith, William", "MD1"),  // case, spacing, order
        ("Dr W. Smith", "MD1"), ("Dr. W Smith", "MD1"),  // title and initial
        ("Bill Smith", "MD1"), ("Will", "MD1"),  // short forms, known_as
        ("William Smyth", "MD1"), ("Wiliam Smith", "MD1"), ("Wlliam Smtih", "MD1"),  // one slip per word
        ("Zoe O'Brien-Smith", "CN1"), ("zoe obrien smith", "CN1"), ("Zoë OBrien Smith", "CN1"),  // accents, apostrophes, hyphens
        ("Z\u{200B}oe O\u{2019}Brien", "CN1"),  // a zero-width space inside
        ("Zое O'Brien", "CN1"),  // Cyrillic о and е
        ("ＨＥＬＥＮ Okafor", "CE1"),  // full-width letters
        ("sguard1", "G1"), ("sg\u{200B}uard1", "G1"), ("CE1", "CE1"),  // a login, with an invisible character; a staff id
    ])
    func names(_ written: String, _ id: String) {
        #expect(Self.ids(written).contains(id), "\(written) should be recognised as \(id)")
    }

    @Test("a first name alone fits everyone it could be, in every chain")
    func firstNameOnly() {
        #expect(Self.ids("Sam") == ["S1", "S2"])
        let resolution = Self.directory.resolve(Subject(name: "Sam", role: "", seniority: .unknown))
        #expect(resolution.certainty == .several)
    }

    @Test("a role alone, or its abbreviation or other title, fits the people in that post", arguments: [
        ("CEO", "CE1"), ("chief executive", "CE1"), ("Chief Exec", "CE1"), ("the medical director", "MD1"), ("MD", "MD1"),
        ("director of nursing", "CN1"), ("CNO", "CN1"), ("consultant", "S1"), ("staff nurse", "S2"), ("FTSU guardian", "G1"),
    ])
    func roles(_ role: String, _ id: String) {
        #expect(Self.ids(nil, role: role).contains(id), "\(role) should fit \(id)")
    }

    @Test("a generic word alone does not make a senior post a candidate: 'nurse' is not the chief nurse")
    func genericRole() {
        #expect(!Self.ids(nil, role: "nurse").contains("CN1"))
        #expect(!Self.ids(nil, role: "director").contains("MD1"))
    }

    @Test("a name and a role: everyone either fits (the role never narrows a name down)")
    func nameAndRole() {
        #expect(Self.ids("Sam", role: "medical director") == ["S1", "S2", "MD1"])
    }

    @Test("picked from the directory is exact; a pick no longer in the directory falls back to the words")
    func picked() {
        #expect(Self.ids("Sam", picked: "S2") == ["S2"])
        #expect(Self.ids("Sam", picked: "GONE") == ["S1", "S2"])
    }

    @Test("bad input: blank, punctuation only, 200 characters, other scripts: no crash, nobody or a bounded answer", arguments: [
        "", "   ", "...", "'-'", String(repeating: "x", count: 200), "山田 太郎", "محمد", "🙂",
    ])
    func badInput(_ written: String) {
        let resolution = Self.directory.resolve(Subject(name: written, role: "", seniority: .unknown))
        #expect(resolution.certainty == .nobody)
    }

    @Test("folding: invisible characters, look-alikes, accents, apostrophes and titles")
    func folding() {
        #expect(NameFolding.words("Dr. Zoë  O’Brien-Smith") == ["dr", "zoe", "obrien", "smith"])
        #expect(NameFolding.nameWords("Dr. Zoë  O’Brien-Smith") == ["zoe", "obrien", "smith"])
        #expect(NameFolding.key("Ѕаm\u{200D}") == "sam")
        #expect(NameFolding.key("\u{202E}Sam\u{202C}") == "sam")
    }

    @Test("one slip of the keyboard: changed, missing, extra or swapped letters; never two")
    func slips() {
        #expect(NameMatching.sameWord("smith", "smyth"))
        #expect(NameMatching.sameWord("smith", "smth"))
        #expect(NameMatching.sameWord("smith", "smitth"))
        #expect(NameMatching.sameWord("smith", "msith"))
        #expect(!NameMatching.sameWord("smith", "smoth2"))
        #expect(!NameMatching.sameWord("smith", "jones"))
    }

    @Test("a 100,000-deep management chain is checked for cycles in one pass")
    func deepChain() {
        let members = (0..<100_000).map { index in
            StaffMember(id: "P\(index)", name: "Person \(index)", unixUser: nil, role: "", seniority: .staff,
                        managerID: index == 0 ? nil : "P\(index - 1)", ward: "")
        }
        #expect(StaffDirectory.problems(in: members).isEmpty)
        var looped = Array(members.prefix(3))
        looped[0].managerID = "P2"
        #expect(StaffDirectory.problems(in: looped).contains { $0.sentence.contains("goes round in a circle") })
    }

    // Names and titles as real directories write them.
    static let untidy = StaffDirectory([
        StaffMember(id: "IC", name: "Farah Haddad", unixUser: nil, role: "Interim Chief Executive", seniority: .chiefExecutive, managerID: nil, ward: ""),
        StaffMember(id: "DN", name: "Ruth Ellis", unixUser: nil, role: "Director of Nursing, Midwifery and AHPs", seniority: .executive, managerID: "IC", ward: ""),
        StaffMember(id: "JS", name: "J Smith", unixUser: nil, role: "Porter", seniority: .staff, managerID: nil, ward: ""),
        StaffMember(id: "ML", name: "Margaret Lord", unixUser: nil, role: "Matron", seniority: .manager, managerID: "DN", ward: ""),
        StaffMember(id: "SM", name: "Samuel Smith", unixUser: nil, role: "Registrar", seniority: .seniorPractitioner, managerID: nil, ward: "ICU"),
        StaffMember(id: "MD", name: "Ewan MacDonald", unixUser: nil, role: "Consultant", seniority: .seniorClinician, managerID: nil, ward: ""),
        StaffMember(id: "LK", name: "Łukasz Nowak", unixUser: nil, role: "Healthcare Assistant", seniority: .staff, managerID: nil, ward: ""),
    ])

    static func untidyIDs(_ name: String?, role: String = "") -> Set<String> {
        Set(untidy.resolve(Subject(name: name, role: role, seniority: .unknown)).ids)
    }

    @Test("words that do not all fit: a middle name, a description, a surname split in two; the role in the name box", arguments: [
        ("Samuel James Smith", "SM"), ("Smith from ICU", "SM"), ("Ewan Mac Donald", "MD"), ("the CEO", "IC"),
        ("John Smith", "JS"), ("Mrs Lord", "ML"), ("Lord", "ML"), ("Sάm Smith", "SM"), ("Lukasz Nowak", "LK"),
    ])
    func untidyNames(_ written: String, _ id: String) {
        #expect(Self.untidyIDs(written).contains(id), "\(written) should be recognised as \(id)")
    }

    @Test("post names inside longer titles", arguments: [("CEO", "IC"), ("chief executive", "IC"), ("director of nursing", "DN"), ("chief nurse", "DN")])
    func longerTitles(_ role: String, _ id: String) {
        #expect(Self.untidyIDs(nil, role: role).contains(id), "\(role) should fit \(id)")
    }

    @Test("matching each typed word to a different word of a person never explodes: 8 words against 60")
    func boundedMatching() {
        let theirs = (0..<60).map { "s\(String(repeating: "a", count: $0 % 7))b\($0)" }
        let typed = ["s", "s", "s", "s", "s", "s", "sam", "sam"]
        #expect(!StaffDirectory.fits(typed, theirs))  // answers at once (augmenting paths, not every ordering)
        #expect(StaffDirectory.fits(["s", "s"], theirs))
    }

    @Test("a role in the name box is read as a role even when the words also fit a name; the same post is judged on its own; a login with a slip")
    func secondReview() {
        var people = [
            StaffMember(id: "CE", name: "Helen Okafor", unixUser: "hokafor", role: "Chief Executive", seniority: .chiefExecutive, managerID: nil, ward: ""),
            StaffMember(id: "TH", name: "Theo Clark", unixUser: "tclark", role: "Porter", seniority: .staff, managerID: "CE", ward: ""),
            StaffMember(id: "MD", name: "William Smith", unixUser: "wsmith", role: "Medical Director", seniority: .executive, managerID: "CE", ward: ""),
            StaffMember(id: "S1", name: "Sam Jones", unixUser: "sjones", role: "Registrar", seniority: .seniorPractitioner, managerID: "MD", ward: ""),
            StaffMember(id: "G1", name: "Grace Guard", unixUser: "sguard1", role: "Guardian", seniority: .manager, managerID: "CE", ward: ""),
        ]
        for index in 0..<6 {
            people.append(StaffMember(id: "DMD\(index)", name: "Deputy \(index)", unixUser: nil, role: "Deputy Medical Director",
                                      seniority: .director, managerID: "MD", ward: ""))
        }
        let directory = StaffDirectory(people)
        func ids(_ name: String?, role: String = "") -> Set<String> { Set(directory.resolve(Subject(name: name, role: role, seniority: .unknown)).ids) }
        #expect(ids("the CEO").contains("CE"))
        #expect(ids("Sam", role: "medical director").isSuperset(of: ["S1", "MD"]))
        #expect(!ids("Sam", role: "medical director").contains("DMD0"))  // six deputies: a looser match, too many to say anything
        #expect(ids("sgaurd1").contains("G1"))
    }
}
