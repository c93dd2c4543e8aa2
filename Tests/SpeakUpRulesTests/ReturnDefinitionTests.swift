import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpRules

@Suite("Return definitions: the shipped return, every mistake with its line and column, and the figures against hand counts")
struct ReturnDefinitionTests {
    static var shippedText: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try! String(contentsOf: root.appendingPathComponent(DefaultReturn.path), encoding: .utf8)
    }

    static func problems(_ text: String) -> [RuleProblem] {
        if case .failure(let problems) = ReturnDefinitionLoader.load(text) { return problems.all }
        return []
    }

    /// A valid definition of nine lines; `more` goes on from line 10.
    static func definition(_ more: String = "") -> String {
        """
        format: 1
        name: Test return
        version: "1"
        quarters:
          first-month: april
        measures:
          - id: cases
            label: Cases
            count: cases

        """ + more
    }

    @Test("the shipped definition reads without a problem and is the one built in, byte for byte")
    func shipped() throws {
        #expect(Self.shippedText == DefaultReturn.text + "\n", "docs/returns/nhse-ftsu-quarterly.yaml and DefaultReturn.text differ")
        let definition = try ReturnDefinitionLoader.load(Self.shippedText).get()
        #expect(definition == DefaultReturn.definition)
        #expect(definition.name == "NHS England Freedom to Speak Up quarterly data return" && definition.version == "2026/27")
        #expect(definition.quarters == .financial)
        let ids = definition.measures.map(\.id)
        for id in ["cases", "anonymous", "patient-safety", "worker-safety", "bullying-harassment", "attitudes-behaviours", "detriment",
                   "group-not-known", "feedback-yes", "feedback-dont-know"] {
            #expect(ids.contains(id), "\(id) is missing")
        }
        #expect(definition.exclusive.map(\.name) == ["professional-group", "speak-up-again"])
        // Every professional group, and none given, falls in exactly one of the group measures.
        let groups = definition.measures.filter { $0.id.hasPrefix("group-") }
        for group in ProfessionalGroup.allCases.map(Optional.some) + [nil] {
            #expect(groups.filter { $0.filter.groups?.contains(group) == true }.count == 1, "\(String(describing: group))")
        }
    }

    @Test("the valid minimal definition reads (so each mistake below is the mistake's doing)")
    func minimal() throws {
        let definition = try ReturnDefinitionLoader.load(Self.definition()).get()
        #expect(definition.measures.map(\.id) == ["cases"] && definition.exclusive.isEmpty)
    }

    @Test("every mistake is named at its line and column, with a sentence to act on", arguments: [
        // Unknown keys and measures.
        (ReturnDefinitionTests.definition("measurs: []\n"), "Unknown key \"measurs\" in the return definition. Did you mean \"measures\"?", 10, 1),
        (ReturnDefinitionTests.definition("  - id: open\n    label: Open\n    count: case\n"), "A measure cannot count \"case\". Did you mean \"cases\"?", 12, 12),
        (ReturnDefinitionTests.definition("  - id: open\n    label: Open\n    count: reports\n"), "Use cases (cases raised in the quarter), answers (speak-up-again answers given in it), check-ins (answers to the detriment check-ins given in it) or descriptions", 12, 12),
        // Reporters' descriptions of themselves: only with count: descriptions, and only their own questions.
        (ReturnDefinitionTests.definition("  - id: asian\n    label: Asian\n    count: cases\n    where: {ethnic-group: asian}\n"),
         "ethnic-group picks reporters' descriptions of themselves, which are kept apart from their cases: use it with `count: descriptions`.", 13, 13),
        (ReturnDefinitionTests.definition("  - id: asian\n    label: Asian\n    count: descriptions\n    where: {way: open, ethnic-group: asian}\n"),
         "way is about cases, but reporters' descriptions of themselves are kept apart from their cases", 13, 13),
        (ReturnDefinitionTests.definition("  - id: asian\n    label: Asian\n    count: descriptions\n    where: {ethnic-group: asain}\n"),
         "\"asain\" is not an answer to ethnic-group. Did you mean \"asian\"?", 13, 27),
        (ReturnDefinitionTests.definition("  - id: open\n    label: Open\n    count: cases\n    wehre: {way: open}\n"), "Unknown key \"wehre\" in a measure. Did you mean \"where\"?", 13, 5),
        (ReturnDefinitionTests.definition("  - id: open\n    label: Open\n    count: cases\n    where: {wya: open}\n"), "Unknown key \"wya\" in where. Did you mean \"way\"?", 13, 13),
        // Unknown categories, ways, groups and answers, with the nearest.
        (ReturnDefinitionTests.definition("  - id: open\n    label: Open\n    count: cases\n    where: {way: anonymus}\n"),
         "\"anonymus\" is not a way of raising a concern. Did you mean \"anonymous\"?", 13, 18),
        (ReturnDefinitionTests.definition("  - id: unsafe\n    label: Unsafe\n    count: cases\n    where: {category: [detriment, unsafe-practise]}\n"),
         "\"unsafe-practise\" is not a category. Did you mean \"unsafe-practice\"?", 13, 35),
        (ReturnDefinitionTests.definition("  - id: nurses\n    label: Nurses\n    count: cases\n    where: {professional-group: nursng}\n"),
         "\"nursng\" is not a professional group. Did you mean \"nursing\"?", 13, 33),
        (ReturnDefinitionTests.definition("  - id: none\n    label: None given\n    count: cases\n    where: {professional-group: not-givn}\n"),
         "\"not-givn\" is not a professional group. Did you mean \"not-given\"?", 13, 33),
        (ReturnDefinitionTests.definition("  - id: unsure\n    label: Unsure\n    count: answers\n    where: {speak-up-again: dont-no}\n"),
         "\"dont-no\" is not a speak-up-again answer. Did you mean \"dont-know\"?", 13, 29),
        (ReturnDefinitionTests.definition("  - id: glad\n    label: Glad\n    count: cases\n    where: {speak-up-again: yes}\n"),
         "speak-up-again picks feedback answers, which are counted in the quarter they are given: use it with `count: answers`.", 13, 13),
        (ReturnDefinitionTests.definition("  - id: nobody\n    label: Nobody\n    count: cases\n    where: {way: []}\n"), "An empty list would match nothing here", 13, 18),
        // Ids and labels.
        (ReturnDefinitionTests.definition("  - id: cases\n    label: Cases again\n    count: cases\n"),
         "The measure id \"cases\" is already used on line 7; each measure needs its own id.", 10, 9),
        (ReturnDefinitionTests.definition("  - id: Open Cases\n    label: Open\n    count: cases\n"), "lower-case letters, digits and hyphens", 10, 9),
        (ReturnDefinitionTests.definition("  - label: Open\n    count: cases\n"), "This measure needs an `id:`", 10, 5),
        (ReturnDefinitionTests.definition("  - id: open\n    label: \"two\\nlines\"\n    count: cases\n"), "words on one line, at most 200 characters", 11, 12),
        (ReturnDefinitionTests.definition("  - id: open\n    count: cases\n"), "This measure needs a `label:`", 10, 5),
        (ReturnDefinitionTests.definition("  - id: open\n    label: Open\n"), "This measure needs `count: cases`, `count: answers`, `count: check-ins` or `count: descriptions`.", 10, 5),
        (ReturnDefinitionTests.definition("  - id: worse\n    label: Worse\n    count: cases\n    where: {check-in: yes}\n"),
         "check-in picks answers to the detriment check-ins, which are counted in the quarter they are given: use it with `count: check-ins`.", 13, 13),
        (ReturnDefinitionTests.definition("  - id: worse\n    label: Worse\n    count: check-ins\n    where: {check-in: yess}\n"),
         "\"yess\" is not a check-in answer. Did you mean \"yes\"?", 13, 23),
        (ReturnDefinitionTests.definition("  - id: worse\n    label: Worse\n    count: checkins\n"), "Did you mean \"check-ins\"?", 12, 12),
        // Overlapping counts in an exclusive set.
        (ReturnDefinitionTests.definition("""
              - id: nurses
                label: Nurses
                count: cases
                where: {professional-group: [nursing, midwifery]}
              - id: midwives
                label: Midwives
                count: cases
                where: {professional-group: midwifery}
            exclusive:
              groups: [nurses, midwives]

            """), "\"nurses\" and \"midwives\" could both count a case from professional group midwifery, but the set \"groups\" says they must not overlap.", 19, 20),
        (ReturnDefinitionTests.definition("""
              - id: unsafe
                label: Unsafe
                count: cases
                where: {category: unsafe-practice}
              - id: bullying
                label: Bullying
                count: cases
                where: {category: bullying-or-harassment}
            exclusive:
              kinds: [unsafe, bullying]

            """), "could both count a case about bullying-or-harassment and unsafe-practice", 19, 19),
        (ReturnDefinitionTests.definition("""
              - id: yes
                label: Yes
                count: answers
                where: {speak-up-again: yes}
            exclusive:
              mixed: [cases, yes]

            """), "\"cases\" counts cases and \"yes\" counts answers: the measures of the exclusive set \"mixed\" should all count the same thing.", 15, 18),
        (ReturnDefinitionTests.definition("exclusive:\n  groups: [cases, casse]\n"), "The exclusive set \"groups\" lists \"casse\", which is not one of the measures. Did you mean \"cases\"?", 11, 19),
        (ReturnDefinitionTests.definition("exclusive:\n  groups: [cases]\n"), "should list at least two measure ids", 11, 11),
        (ReturnDefinitionTests.definition("exclusive: [cases]\n"), "exclusive should name sets of measures", 10, 12),
        // A broken quarter scheme.
        ("format: 1\nname: R\nversion: \"1\"\nquarters:\n  first-month: 13\nmeasures:\n  - {id: cases, label: Cases, count: cases}\n",
         "first-month should be a month from 1 to 12 (or its name, such as april), not 13.", 5, 16),
        ("format: 1\nname: R\nversion: \"1\"\nquarters:\n  first-month: 0\nmeasures:\n  - {id: cases, label: Cases, count: cases}\n",
         "first-month should be a month from 1 to 12", 5, 16),
        ("format: 1\nname: R\nversion: \"1\"\nquarters:\n  first-month: aprl\nmeasures:\n  - {id: cases, label: Cases, count: cases}\n",
         "not \"aprl\". Did you mean \"april\"?", 5, 16),
        ("format: 1\nname: R\nversion: \"1\"\nquarters:\n  starts: april\nmeasures:\n  - {id: cases, label: Cases, count: cases}\n",
         "Unknown key \"starts\" in quarters. Allowed here: first-month.", 5, 3),
        ("format: 1\nname: R\nversion: \"1\"\nquarters: april\nmeasures:\n  - {id: cases, label: Cases, count: cases}\n",
         "quarters should be a set of `key: value` lines.", 4, 11),
        ("format: 1\nname: R\nversion: \"1\"\nmeasures:\n  - {id: cases, label: Cases, count: cases}\n",
         "The return definition needs `quarters:`", 1, 1),
        // The file as a whole.
        (ReturnDefinitionTests.definition().replacingOccurrences(of: "format: 1", with: "format: 2"), "This SpeakUp reads return definitions of format 1; this one says 2.", 1, 9),
        (ReturnDefinitionTests.definition().replacingOccurrences(of: "measures:\n  - id: cases\n    label: Cases\n    count: cases\n", with: "measures: []\n"),
         "measures should be a list of measures", 6, 11),
        (ReturnDefinitionTests.definition().replacingOccurrences(of: "name: Test return\n", with: ""), "The return definition needs `name:`", 1, 1),
        ("", "The return definition is empty.", 1, 1),
        ("format: 1\nmeasures: [a\nname: x\n", "This is not valid YAML", 3, 5),
    ])
    func mistakes(text: String, sentence: String, line: Int, column: Int) {
        let found = Self.problems(text)
        #expect(found.contains { $0.sentence.contains(sentence) && $0.line == line && $0.column == column }, "\(found)")
    }

    @Test("every problem in a file is named, in file order, not just the first")
    func everyProblem() {
        let found = Self.problems(Self.definition("""
              - id: cases
                label: Again
                count: case
                where: {way: anonymus}
            exclusive:
              x: [cases, nope]

            """))
        #expect(found.map(\.line) == [10, 12, 13, 15], "\(found)")
    }

    @Test("an exclusive set whose where clauses keep apart loads: ways, groups and answers with no value in common")
    func disjoint() throws {
        let text = Self.definition("""
              - id: open
                label: Open
                count: cases
                where: {way: open, category: [unsafe-practice, detriment]}
              - id: not-open
                label: Not open
                count: cases
                where: {way: [confidential, anonymous], category: unsafe-practice}
              - id: none-given
                label: None given
                count: cases
                where: {professional-group: not-given}
              - id: nurses
                label: Nurses
                count: cases
                where: {professional-group: nursing}
            exclusive:
              ways: [open, not-open]
              groups: [none-given, nurses]

            """)
        let definition = try ReturnDefinitionLoader.load(text).get()
        #expect(definition.exclusive == [.init(name: "ways", measures: ["open", "not-open"]), .init(name: "groups", measures: ["none-given", "nurses"])])
        #expect(definition.measures[4].filter.groups == [ProfessionalGroup.nursing])
        #expect(definition.measures[3].filter.groups == [nil])
    }

    @Test("descriptions are counted by their answers, against a hand count; two measures that could count one description cannot share an exclusive set")
    func descriptions() throws {
        let text = Self.definition("""
              - id: asian
                label: Asian or Asian British
                count: descriptions
                where: {ethnic-group: asian}
              - id: white-women
                label: White women
                count: descriptions
                where: {ethnic-group: white, sex: female}
              - id: white
                label: White
                count: descriptions
                where: {ethnic-group: white}
              - id: described
                label: Descriptions given
                count: descriptions
            exclusive:
              ethnic: [asian, white]

            """)
        let definition = try ReturnDefinitionLoader.load(text).get()
        func described(_ answers: [Characteristic: String]) -> ReporterCharacteristics { ReporterCharacteristics(answers)! }
        let given = [described([.ethnicGroup: "asian"]), described([.ethnicGroup: "white", .sex: "female"]), described([.ethnicGroup: "white"]),
                     described([.sex: "female"])]
        let quarter = Quarter(year: 2026, number: 3)!
        let figures = ReturnFigures(definition: definition, quarter: quarter, facts: [], described: given)
        #expect(figures.lines.map(\.count) == [0, 1, 1, 2, 4])
        let overlapping = Self.problems(Self.definition("""
              - id: white
                label: White
                count: descriptions
                where: {ethnic-group: white}
              - id: women
                label: Women
                count: descriptions
                where: {sex: female}
            exclusive:
              x: [white, women]

            """))
        #expect(overlapping.contains { $0.sentence.contains("could both count a description with ethnic-group white, sex female") }, "\(overlapping)")
        #expect(overlapping.contains { $0.sentence.contains("Give them different answers to one question") })
    }

    // MARK: Quarters

    @Test("the financial scheme gives every quarter the days Quarter gives it; other first months shift them")
    func quarterSchemes() throws {
        for year in 2019...2031 {
            for number in 1...4 {
                let quarter = try #require(Quarter(year: year, number: number))
                #expect(QuarterScheme.financial.first(of: quarter) == quarter.first && QuarterScheme.financial.last(of: quarter) == quarter.last)
            }
        }
        let q3 = Quarter(year: 2026, number: 3)!, q4 = Quarter(year: 2026, number: 4)!
        #expect(QuarterScheme.financial.first(of: q3).description == "2026-10-01" && QuarterScheme.financial.last(of: q3).description == "2026-12-31")
        #expect(QuarterScheme.financial.last(of: q4).description == "2027-03-31")
        #expect(QuarterScheme.financial.title(of: q3) == "Q3 2026/27: 1 October 2026 to 31 December 2026")
        let calendar = try #require(QuarterScheme(firstMonth: 1))
        #expect(calendar.first(of: Quarter(year: 2028, number: 1)!).description == "2028-01-01")
        #expect(calendar.last(of: Quarter(year: 2028, number: 1)!).description == "2028-03-31")  // a leap year's March still ends on the 31st
        #expect(calendar.title(of: q4) == "Q4 2026: 1 October 2026 to 31 December 2026")
        let october = try #require(QuarterScheme(firstMonth: 10))
        #expect(october.first(of: Quarter(year: 2026, number: 2)!).description == "2027-01-01")
        #expect(october.last(of: Quarter(year: 2027, number: 1)!).description == "2027-12-31")
        #expect(QuarterScheme(firstMonth: 0) == nil && QuarterScheme(firstMonth: 13) == nil)
    }

    // MARK: The figures

    static func fact(_ day: CalendarDay, _ way: WayOfRaising, _ concerns: [ConcernCategory], group: ProfessionalGroup? = nil,
                     again: SpeakUpAgain? = nil, answered: CalendarDay? = nil) -> CaseFacts {
        CaseFacts(submitted: day, wayOfRaising: way, concerns: concerns, professionalGroup: group, acknowledgedAfterDays: nil,
                  closedAfterDays: nil, acknowledgedLate: false, closedLate: false, speakUpAgain: again, answeredOn: answered)
    }

    static func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDay { CalendarDay(year: year, month: month, day: day)! }

    @Test("a few cases by hand: the shipped return gives exactly these counts for 2026Q3")
    func handWritten() {
        let facts = [
            Self.fact(Self.day(2026, 10, 1), .anonymous, [.unsafePractice, .rudeOrAggressive]),            // first day of Q3
            Self.fact(Self.day(2026, 11, 15), .open, [.bullyingOrHarassment], group: .nursing),
            Self.fact(Self.day(2026, 11, 16), .open, [.lackOfCompassion, .unsafePractice], group: .midwifery),  // one case, once
            Self.fact(Self.day(2026, 12, 31), .confidential, [.discrimination, .detriment], group: .medical, again: .yes, answered: Self.day(2026, 12, 31)),
            Self.fact(Self.day(2026, 12, 1), .confidential, [.workerSafety], group: .preferNotToSay),
            Self.fact(Self.day(2026, 9, 30), .open, [.workerSafety], group: .nursing, again: .no, answered: Self.day(2026, 10, 2)),  // raised in Q2, answered in Q3
            Self.fact(Self.day(2026, 8, 1), .open, [.other], group: .student, again: .maybe, answered: Self.day(2027, 1, 1)),     // answered in Q4
            Self.fact(Self.day(2027, 1, 1), .anonymous, [.other]),                                          // Q4
        ]
        let figures = ReturnFigures(definition: DefaultReturn.definition, quarter: Quarter(year: 2026, number: 3)!, facts: facts)
        let counts = Dictionary(uniqueKeysWithValues: figures.lines.map { ($0.id, $0.count) })
        #expect(counts == [
            "cases": 5, "anonymous": 1, "patient-safety": 2, "worker-safety": 1, "bullying-harassment": 1, "attitudes-behaviours": 2,
            "detriment": 1, "group-nurses-midwives": 2, "group-medical-dental": 1, "group-allied-health": 0, "group-healthcare-assistants": 0,
            "group-scientific-technical": 0, "group-admin-estates": 0, "group-corporate": 0, "group-students": 0, "group-other": 0,
            "group-not-known": 2, "feedback-yes": 1, "feedback-no": 1, "feedback-maybe": 0, "feedback-dont-know": 0,
        ])
        // Written out, 1 to 4 is <5 and 5 stays 5; a label with a comma is quoted.
        let csv = figures.csv.split(separator: "\n").map(String.init)
        #expect(csv[0] == "id,label,count")
        #expect(csv[1] == "cases,Cases raised,5")
        #expect(csv[2] == "anonymous,Cases raised anonymously,<5")
        #expect(csv.contains("group-admin-estates,\"Professional group: administrative, clerical, estates and ancillary\",0"))
        #expect(csv.count == 1 + DefaultReturn.definition.measures.count)
    }

    @Test("the JSON gives the return, the quarter's days, and each count, null with <5 when suppressed")
    func json() throws {
        let facts = (1...6).map { Self.fact(Self.day(2026, 10, $0), .open, [.bullyingOrHarassment], group: .nursing) }
            + [Self.fact(Self.day(2026, 10, 9), .anonymous, [.unsafePractice])]
        let figures = ReturnFigures(definition: DefaultReturn.definition, quarter: Quarter(year: 2026, number: 3)!, facts: facts)
        let document = try #require(try JSONSerialization.jsonObject(with: figures.json()) as? [String: Any])
        #expect(document["return"] as? String == "NHS England Freedom to Speak Up quarterly data return")
        #expect(document["version"] as? String == "2026/27" && document["quarter"] as? String == "2026Q3")
        #expect(document["first_day"] as? String == "2026-10-01" && document["last_day"] as? String == "2026-12-31")
        #expect(document["suppressed_below"] as? Int == 5)
        let measures = try #require(document["measures"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: measures.map { ($0["id"] as! String, $0) })
        #expect(byID["cases"]?["count"] as? Int == 7 && byID["cases"]?["shown"] as? String == "7")
        #expect(byID["bullying-harassment"]?["count"] as? Int == 6)
        #expect(byID["anonymous"]?["count"] is NSNull && byID["anonymous"]?["shown"] as? String == "<5")
        #expect(byID["feedback-no"]?["count"] as? Int == 0 && byID["feedback-no"]?["counts"] as? String == "answers")
        #expect(measures.map { $0["id"] as! String } == DefaultReturn.definition.measures.map(\.id))
    }

    static let seed: UInt64 = ProcessInfo.processInfo.environment["SPEAKUP_TEST_SEED"].flatMap(UInt64.init) ?? 20_261_130

    /// A year and a half of cases from a seed: every way, one to three categories, a group for
    /// most who are not anonymous, and an answer for some, given up to 120 days later.
    static func seededFacts(count: Int, random: inout SeededRandom) -> [CaseFacts] {
        let start = Self.day(2026, 1, 1)
        return (0..<count).map { _ in
            let submitted = start.adding(days: Int.random(in: 0..<548, using: &random))
            let way = WayOfRaising.allCases.randomElement(using: &random)!
            let concerns = Array(Set((0..<Int.random(in: 1...3, using: &random)).map { _ in ConcernCategory.allCases.randomElement(using: &random)! })).sorted()
            let group = way == .anonymous || Bool.random(using: &random) && Bool.random(using: &random)
                ? nil : ProfessionalGroup.allCases.randomElement(using: &random)
            let answer = Int.random(in: 0..<3, using: &random) == 0 ? SpeakUpAgain.allCases.randomElement(using: &random) : nil
            return Self.fact(submitted, way, concerns, group: group, again: answer,
                             answered: answer.map { _ in submitted.adding(days: Int.random(in: 0...120, using: &random)) })
        }
    }

    @Test("figures for seeded quarters match counts by hand-written filters, measure by measure")
    func seededQuarters() throws {
        print("ReturnDefinitionTests seed: \(Self.seed) (replay with SPEAKUP_TEST_SEED=\(Self.seed))")
        var random = SeededRandom(seed: Self.seed)
        let facts = Self.seededFacts(count: 2_000, random: &random)
        // The days of each quarter, written out by hand rather than asked of the scheme.
        let quarters: [(Quarter, CalendarDay, CalendarDay)] = [
            (Quarter(year: 2025, number: 4)!, Self.day(2026, 1, 1), Self.day(2026, 3, 31)),
            (Quarter(year: 2026, number: 1)!, Self.day(2026, 4, 1), Self.day(2026, 6, 30)),
            (Quarter(year: 2026, number: 2)!, Self.day(2026, 7, 1), Self.day(2026, 9, 30)),
            (Quarter(year: 2026, number: 3)!, Self.day(2026, 10, 1), Self.day(2026, 12, 31)),
            (Quarter(year: 2026, number: 4)!, Self.day(2027, 1, 1), Self.day(2027, 3, 31)),
        ]
        for (quarter, first, last) in quarters {
            let raised = facts.filter { $0.submitted >= first && $0.submitted <= last }
            let answered = facts.filter { fact in fact.answeredOn.map { $0 >= first && $0 <= last } ?? false }
            func cases(_ test: (CaseFacts) -> Bool) -> Int { raised.filter(test).count }
            func answers(_ answer: SpeakUpAgain) -> Int { answered.filter { $0.speakUpAgain == answer }.count }
            func has(_ fact: CaseFacts, _ categories: ConcernCategory...) -> Bool { fact.concerns.contains { categories.contains($0) } }
            func inGroup(_ fact: CaseFacts, _ groups: ProfessionalGroup...) -> Bool { fact.professionalGroup.map(groups.contains) ?? false }
            let expected: [String: Int] = [
                "cases": raised.count,
                "anonymous": cases { $0.wayOfRaising == .anonymous },
                "patient-safety": cases { has($0, .unsafePractice, .lackOfCompassion) },
                "worker-safety": cases { has($0, .workerSafety) },
                "bullying-harassment": cases { has($0, .bullyingOrHarassment) },
                "attitudes-behaviours": cases { has($0, .rudeOrAggressive, .discrimination) },
                "detriment": cases { has($0, .detriment) },
                "group-nurses-midwives": cases { inGroup($0, .nursing, .midwifery) },
                "group-medical-dental": cases { inGroup($0, .medical) },
                "group-allied-health": cases { inGroup($0, .alliedHealth) },
                "group-healthcare-assistants": cases { inGroup($0, .healthcareAssistant) },
                "group-scientific-technical": cases { inGroup($0, .healthcareScientist, .pharmacy) },
                "group-admin-estates": cases { inGroup($0, .adminClerical, .estatesAncillary) },
                "group-corporate": cases { inGroup($0, .corporate) },
                "group-students": cases { inGroup($0, .student) },
                "group-other": cases { inGroup($0, .other) },
                "group-not-known": cases { $0.professionalGroup == nil || $0.professionalGroup == .preferNotToSay },
                "feedback-yes": answers(.yes), "feedback-no": answers(.no), "feedback-maybe": answers(.maybe), "feedback-dont-know": answers(.dontKnow),
            ]
            let figures = ReturnFigures(definition: DefaultReturn.definition, quarter: quarter, facts: facts)
            let counted = Dictionary(uniqueKeysWithValues: figures.lines.map { ($0.id, $0.count) })
            #expect(counted == expected, "\(quarter), seed \(Self.seed)")
            // The seed gives every quarter enough to count (a quarter of nothing would prove little).
            #expect(raised.count > 200 && answered.count > 40, "\(quarter): \(raised.count) raised, \(answered.count) answered")
            // The exclusive sets add up: each case in one group, each answer once.
            let groupTotal = figures.lines.filter { $0.id.hasPrefix("group-") }.map(\.count).reduce(0, +)
            let answerTotal = figures.lines.filter { $0.id.hasPrefix("feedback-") }.map(\.count).reduce(0, +)
            #expect(groupTotal == raised.count && answerTotal == answered.count)
        }
    }

    @Test("a trust's own definition counts what it says: way and group together, categories by any of them")
    func trustsOwn() throws {
        let definition = try ReturnDefinitionLoader.load(Self.definition("""
              - id: open-nurses
                label: Open, from nurses
                count: cases
                where: {way: open, professional-group: nursing}
              - id: care
                label: Care
                count: cases
                where: {category: [lack-of-compassion, other]}
              - id: unsure-anonymous
                label: Unsure, anonymous
                count: answers
                where: {speak-up-again: [maybe, dont-know], way: anonymous}

            """)).get()
        let facts = [
            Self.fact(Self.day(2026, 10, 5), .open, [.other], group: .nursing),
            Self.fact(Self.day(2026, 10, 6), .confidential, [.lackOfCompassion, .other], group: .nursing),
            Self.fact(Self.day(2026, 10, 7), .open, [.unsafePractice], group: .medical),
            Self.fact(Self.day(2026, 10, 8), .anonymous, [.unsafePractice], again: .maybe, answered: Self.day(2026, 11, 1)),
            Self.fact(Self.day(2026, 10, 9), .anonymous, [.unsafePractice], again: .yes, answered: Self.day(2026, 11, 1)),
        ]
        let figures = ReturnFigures(definition: definition, quarter: Quarter(year: 2026, number: 3)!, facts: facts)
        #expect(figures.lines.map(\.count) == [5, 1, 2, 1])
    }

    @Test("detriment check-ins by hand: each answer given in the quarter counts, yes alone or with the case's way")
    func checkIns() throws {
        let definition = try ReturnDefinitionLoader.load(Self.definition("""
              - id: check-ins
                label: Detriment check-ins answered
                count: check-ins
              - id: check-ins-yes
                label: "Detriment check-ins answered: yes"
                count: check-ins
                where: {check-in: yes}
              - id: check-ins-yes-anonymous
                label: "Detriment check-ins answered yes, anonymously raised"
                count: check-ins
                where: {check-in: yes, way: anonymous}
              - id: detriment
                label: Detriment
                count: cases
                where: {category: detriment}

            """)).get()
        func fact(_ way: WayOfRaising, _ checkIns: [(CalendarDay, DetrimentCheckIn.Answer)], concerns: [ConcernCategory] = [.other],
                  raised: CalendarDay = Self.day(2026, 4, 1)) -> CaseFacts {
            var fact = Self.fact(raised, way, concerns)
            fact.checkIns = checkIns.map { CaseFacts.CheckInFact(day: $0.0, answer: $0.1) }
            return fact
        }
        let facts = [
            fact(.anonymous, [(Self.day(2026, 10, 1), .yes), (Self.day(2026, 12, 1), .no)]),  // two answers in Q3
            fact(.open, [(Self.day(2026, 11, 1), .yes)]),
            fact(.confidential, [(Self.day(2026, 11, 2), .ratherNotSay), (Self.day(2027, 2, 1), .yes)]),  // one in Q4
            fact(.anonymous, [(Self.day(2026, 9, 30), .yes)]),  // Q2
            fact(.anonymous, [], concerns: [.detriment], raised: Self.day(2026, 10, 1)),  // the case the first yes opened
            fact(.open, [], concerns: [.detriment], raised: Self.day(2026, 11, 1)),
        ]
        let figures = ReturnFigures(definition: definition, quarter: Quarter(year: 2026, number: 3)!, facts: facts)
        // Cases raised in Q3: 2; answers in Q3: 4, of them yes 2, yes and anonymous 1; detriment cases 2.
        #expect(figures.lines.map(\.count) == [2, 4, 2, 1, 2])
    }
}
