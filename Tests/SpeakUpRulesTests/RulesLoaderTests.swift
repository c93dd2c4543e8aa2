import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpRules

@Suite("Rules files: loading, and every mistake named with its line and column")
struct RulesLoaderTests {
    static var defaultRules: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try! String(contentsOf: root.appendingPathComponent("docs/rules/default.yaml"), encoding: .utf8)
    }

    static func problems(_ text: String) -> [RuleProblem] {
        if case .failure(let problems) = RulesLoader.load(text) { return problems.all }
        return []
    }

    static let minimal = """
        version: 1
        roles:
          guardian:
            users: [asha]
        fallback: guardian
        routes:
          - name: all
            notify: [guardian]
        """

    @Test("the shipped default rules load: the pyramid, the deadlines, urgent harm, the independent route")
    func defaultRulesLoad() throws {
        let rules = try RulesLoader.load(Self.defaultRules).get()
        #expect(rules.routes.map(\.name) == ["urgent-harm", "independent-for-senior-subjects", "pattern-disciplinary",
                                              "pattern-authority", "pattern-awareness", "everything-else"])
        #expect(rules.acknowledgeWithin.description == "7d" && rules.feedBackWithin.description == "3mo")
        #expect(rules.fallback == ["guardian", "independent"])
        #expect(rules.routes[0].level == .urgent && rules.routes[0].continues)
        #expect(rules.routes[1].match.seniority == RuleSet.SeniorityTest(comparison: .atLeast, seniority: .executive))
        #expect(rules.routes[4].match.pattern == RuleSet.Pattern(atLeast: 3, within: .init(amount: 28, unit: .months)))
        #expect(Set(rules.routes.map(\.level)) == Set(PyramidLevel.allCases))  // every level of the pyramid
    }

    @Test("a minimal file loads, with the default deadlines")
    func minimal() throws {
        let rules = try RulesLoader.load(Self.minimal).get()
        #expect(rules.roles["guardian"]?.users == ["asha"])
        #expect(rules.routes.first?.level == .informal)
    }

    @Test("an unknown key is named with its line and column, and the nearest valid key is suggested")
    func unknownKey() {
        let text = Self.minimal.replacingOccurrences(of: "    notify: [guardian]", with: "    notfy: [guardian]")
        let problems = Self.problems(text)
        #expect(problems.contains(RuleProblem(line: 8, column: 5, sentence: "Unknown key \"notfy\" in a route. Did you mean \"notify\"?")))
        #expect(problems.contains { $0.sentence.contains("needs `notify:`") })
    }

    @Test("malformed YAML is refused at the line where it breaks")
    func malformed() {
        let problems = Self.problems("version: 1\nroles:\n  guardian: [asha\nfallback: guardian\n")
        #expect(problems.count == 1)
        #expect(problems.first?.line == 4 && problems.first?.column == 9)  // where the unclosed list meets the next key
        #expect(problems.first?.sentence.hasPrefix("This is not valid YAML") == true)
    }

    @Test("a role with nobody in it, an unknown role, and a missing fallback are all refused")
    func roles() {
        let text = """
            version: 1
            roles:
              guardian: {}
            routes:
              - name: all
                notify: [gaurdian]
            """
        let sentences = Self.problems(text).map(\.sentence)
        #expect(sentences.contains("The role \"guardian\" has no users and no groups, so nobody could handle what it receives."))
        #expect(sentences.contains("route \"all\" names the role \"gaurdian\", which is not in roles. Did you mean \"guardian\"?"))
        #expect(sentences.contains { $0.hasPrefix("The rules file needs `fallback:`") })
    }

    @Test("impossible comparisons, unknown seniorities and values, and bad durations are refused", arguments: [
        ("seniority: \"> board\"", "No seniority is > board: this route could never match."),
        ("seniority: \"< student\"", "No seniority is < student: this route could never match."),
        ("seniority: \">= exec\"", "\"exec\" is not a seniority. Did you mean \"executive\"?"),
        ("harm: [sever]", "\"sever\" is not a kind of harm. Did you mean \"severe\"?"),
        ("concerns: [bullying]", "is not a concern category"),
        ("pattern: { at_least: 3 }", "pattern needs both at_least"),
        ("pattern: { at_least: 3, within: 28 months }", "should be a time like 24h, 7d or 3mo"),
    ])
    func badMatches(_ match: String, _ expected: String) {
        let text = Self.minimal.replacingOccurrences(of: "  - name: all\n", with: "  - name: all\n    match:\n      \(match)\n")
        let problems = Self.problems(text)
        #expect(problems.contains { $0.sentence.contains(expected) }, "\(problems)")
        // Every problem is named at the match's own line (the 9th: after version, roles, fallback, routes, name, match:).
        #expect(problems.allSatisfy { $0.line == 9 }, "\(problems)")
    }

    @Test("empty logins, empty lists, a list of levels and very long durations are refused")
    func emptiesAndLimits() {
        let text = """
            version: 1
            roles:
              guardian: { users: ["", ~] }
            fallback: guardian
            routes:
              - name: all
                match: { harm: [] }
                level: [urgent, informal]
                notify: [guardian]
                acknowledge_within: 999999999999mo
            """
        let sentences = Self.problems(text).map(\.sentence)
        #expect(sentences.contains { $0.contains("this one is empty") })
        #expect(sentences.contains { $0.contains("An empty list would match nothing here") })
        #expect(sentences.contains("level takes one pyramid level, not a list."))
        #expect(sentences.contains("acknowledge_within is longer than ten years; please give a shorter time."))
    }

    @Test("a wrong version, a repeated route name, and unknown top-level keys are refused")
    func structure() {
        let text = """
            version: 2
            roles:
              guardian: { users: [asha] }
            fallback: guardian
            rutes: []
            routes:
              - name: a
                notify: guardian
              - name: a
                notify: guardian
            """
        let sentences = Self.problems(text).map(\.sentence)
        #expect(sentences.contains { $0.contains("rules files of version 1; this one says 2") })
        #expect(sentences.contains("Unknown key \"rutes\" in the rules file. Did you mean \"routes\"?"))
        #expect(sentences.contains { $0.contains("Two routes are called \"a\"") })
    }
}
