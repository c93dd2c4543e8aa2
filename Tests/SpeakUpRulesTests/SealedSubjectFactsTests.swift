import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpRules

/// A store that seals the subject's name keeps `SubjectFacts` in its place: every check must come
/// out the same on the facts as on the name, and fail closed where the facts cannot answer.
@Suite("Sealed subjects: the conflict rules on the facts kept in place of the name")
struct SealedSubjectFactsTests {
    typealias Engine = EscalationEngineTests

    /// Names as people really write them: first names, roles, logins, typos, titles, nobody.
    static let written: [(String?, String)] = [
        ("Nia", ""), ("nnurse", ""), (nil, "chief nurse"), ("Carl Consultnt", ""), ("Gita", ""), ("Dr Asha G", ""),
        ("Helen", "the CEO"), ("Ned", ""), ("Sam", "medical director"), (nil, ""), ("N Nurse", "nurse"), ("gita guardian", "guardian"),
        ("asha", ""), ("Mr Carl", "consultant"), ("Nia from the board", ""), ("Nurse Nia Nurse", "chief nurse"),
    ]

    /// The report as a sealing store keeps it: the name and role emptied, the facts routing found beside them.
    static func sealedAway(_ report: Report, _ facts: SubjectFacts) -> Report {
        var sealed = report
        sealed.subject.name = nil
        sealed.subject.role = ""
        sealed.subject.sealedFacts = facts
        sealed.subject.keptKey = "sealed:00"
        return sealed
    }

    @Test("for every handler and every way of writing the name, the facts refuse exactly whom the name refuses")
    func sameAnswers() throws {
        let handlers = EscalationEngine.everyHandler(Engine.rules, Engine.groups)
        for (name, role) in Self.written {
            let report = Engine.report(.unknown, name: name, role: role)
            let decision = Engine.decide(ReportFacts(report: report))
            let facts = try #require(decision.subjectFacts)
            #expect(facts.checked == handlers.sorted())
            let sealed = Self.sealedAway(report, facts)
            #expect(sealed.subject.isSealedAway)
            let live = SubjectConflicts(report: report, directory: Engine.directory, outsideChains: Engine.rules.independentHandlers(Engine.groups))
            let kept = SubjectConflicts(report: sealed, directory: Engine.directory, outsideChains: Engine.rules.independentHandlers(Engine.groups))
            for handler in handlers {
                #expect((live.reason(against: handler) == nil) == (kept.reason(against: handler) == nil),
                        "\(name ?? "-") / \(role): \(handler) live \(live.reason(against: handler) ?? "free"), sealed \(kept.reason(against: handler) ?? "free")")
            }
            #expect(EscalationEngine.mayHold(sealed, rules: Engine.rules, directory: Engine.directory, membership: Engine.groups)
                    == decision.mayHold, "\(name ?? "-") / \(role)")
            #expect(kept.highestCandidateSeniority == live.highestCandidateSeniority)
        }
    }

    @Test("a handler added after the report was sent is kept from a case whose name is sealed; the name opened checks them as ever")
    func addedLater() throws {
        let report = Engine.report(.unknown, name: "Nia")
        let facts = try #require(Engine.decide(ReportFacts(report: report)).subjectFacts)
        let sealed = Self.sealedAway(report, facts)
        let kept = SubjectConflicts(report: sealed, directory: Engine.directory)
        #expect(kept.reason(against: "newcomer")?.contains("the name is sealed") == true)
        // Opened in a handler's session the answer is the same (the store's policy, on the facts, would keep the case
        // from them: passed to them, it would be lost to both); the name is checked against the others as ever.
        var opened = sealed
        opened.subject.name = "Nia"
        #expect(SubjectConflicts(report: opened, directory: Engine.directory).reason(against: "newcomer")?.contains("the name is sealed") == true)
        #expect(SubjectConflicts(report: opened, directory: Engine.directory).reason(against: "nnurse") != nil)
        // A report that named nobody has no name to check anyone against.
        let unnamed = Engine.report(.unknown, name: nil, role: "")
        let none = try #require(Engine.decide(ReportFacts(report: unnamed)).subjectFacts)
        #expect(SubjectConflicts(report: Self.sealedAway(unnamed, none), directory: Engine.directory).reason(against: "newcomer") == nil)
    }

    @Test("a handler whose own name the words fit is kept from it on the facts alone, even with no directory entry")
    func fittingHandler() throws {
        let groups = FakeGroups(groups: ["speakup-guardians": ["asha", "gita", "okafor"], "speakup-patient-safety": ["pat"], "speakup-independent": ["ned"]])
        let report = Engine.report(.unknown, name: "Okafor")
        let decision = try EscalationEngine.evaluate(ReportFacts(report: report), rules: Engine.rules, directory: StaffDirectory([]),
                                                     membership: groups, history: FakeHistory(), now: Engine.now)
        let facts = try #require(decision.subjectFacts)
        #expect(facts.fitting == ["okafor"])
        let kept = SubjectConflicts(report: Self.sealedAway(report, facts), directory: StaffDirectory([]))
        #expect(kept.reason(against: "okafor")?.contains("possibly the person") == true)
        #expect(kept.reason(against: "gita") == nil)
    }

    @Test("what routing keeps in clear (its explanation) never quotes the name as typed")
    func explanationHasNoName() throws {
        for typed in ["Nia", "Carl Consultnt", "Zebedee Nia", "Quentin from the board"] {
            let decision = Engine.decide(ReportFacts(report: Engine.report(.unknown, name: typed)))
            let said = decision.explanation.joined(separator: "\n")
            for word in typed.split(separator: " ") where word.count > 3 && word.first!.isUppercase {
                #expect(!said.contains(word), "\(typed): \(said)")
            }
        }
    }

    @Test("the facts read back as kept; a damaged record does not read")
    func storedForm() throws {
        let facts = SubjectFacts(certainty: .several, candidates: ["S2", "S6"], nameGiven: true, roleGiven: false, checked: ["asha", "gita"], fitting: ["gita"])
        #expect(SubjectFacts(stored: facts.stored) == facts)
        #expect(!facts.stored.contains("Nia"))
        #expect(SubjectFacts(stored: "{\"certainty\":\"sure\"}") == nil)
        // Any text a directory may hold in an id or a login reads back whole.
        let odd = SubjectFacts(certainty: .one, candidates: ["S\"1", "a\\b", "c\nd\u{1}", "é/ü"], nameGiven: false, roleGiven: true,
                               checked: ["x"], fitting: [])
        #expect(SubjectFacts(stored: odd.stored) == odd)
    }
}
