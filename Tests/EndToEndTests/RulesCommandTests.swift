import Foundation
import Testing

@Suite("End to end: speakup rules check")
struct RulesCommandTests {
    static var defaultRules: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/rules/default.yaml").path
    }

    @Test("the shipped default rules pass the check")
    func defaultRules() throws {
        let result = try Binary.run(["rules", "check", Self.defaultRules])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("the rules are valid: 3 roles, 4 routes"))
    }

    @Test("a broken rules file: every problem as FILE:LINE:COLUMN, exit 2")
    func broken() throws {
        let scratch = Scratch()
        let file = scratch.path + "/rules.yaml"
        FileManager.default.createFile(atPath: file, contents: Data("""
            version: 1
            roles:
              guardian: { users: [asha] }
            fallback: guardian
            routes:
              - name: senior
                match: { seniority: "> board" }
                notfy: [guardian]
            """.utf8))
        let result = try Binary.run(["rules", "check", file])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file):7:25: No seniority is > board: this route could never match."))
        #expect(result.stderr.contains("\(file):8:5: Unknown key \"notfy\" in a route. Did you mean \"notify\"?"))
        #expect(result.stderr.contains("problems in \(file)."))
    }

    @Test("a missing or non-UTF-8 rules file gets a sentence and exit 2")
    func unreadable() throws {
        let scratch = Scratch()
        #expect(try Binary.run(["rules", "check", scratch.path + "/none.yaml"]).status == 2)
        let latin = scratch.path + "/latin.yaml"
        FileManager.default.createFile(atPath: latin, contents: Data([0x76, 0x3A, 0x20, 0xE9, 0x0A]))
        let result = try Binary.run(["rules", "check", latin])
        #expect(result.status == 2)
        #expect(result.stderr.contains("not UTF-8"))
    }
}
