import Foundation
import Glibc
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
        #expect(result.stdout.contains("the rules are valid: 3 roles, 6 routes"))
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

    @Test("a report is routed by the rules when it is sent: the confirmation names the role, and rules explain says why")
    func routedOnSubmit() throws {
        let scratch = Scratch()
        let me = String(cString: getpwuid(getuid())!.pointee.pw_name)
        let rules = scratch.path + "/rules.yaml"
        FileManager.default.createFile(atPath: rules, contents: Data("""
            version: 1
            roles:
              guardian: { users: [\(me)] }
            fallback: guardian
            routes:
              - name: everything
                notify: [guardian]
            """.utf8))
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color", "SPEAKUP_RULES": rules])
        try tmux.waitFor("How would you like to raise this concern?")
        try tmux.press("Down", "Down", "Down", "Enter")  // anonymous
        try ReportInTmuxTests.quickAnswers(tmux)
        let saved = try ReportInTmuxTests.sendAnonymousAccount(tmux, "Spoke to a patient with contempt.", thenWaitFor: "Who will see it")
        #expect(saved.contains("the guardian team"))
        let reference = try #require(saved.firstMatch(of: /SU-[0-9A-Z]{4}-[0-9A-Z]{4}/)).output
        try tmux.press("Enter")
        #expect(try tmux.exitStatus() == 0)

        let explained = try Binary.run(["rules", "explain", String(reference), "--db", scratch.store])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.contains("level informal; handlers \(me) (roles guardian)"))
        #expect(explained.stdout.contains("Routed by the rules in \(rules)."))
        #expect(explained.stdout.contains("Route \"everything\" (line 6) matched: it matches every report."))
        let record = try #require(try ReportInTmuxTests.export(scratch.store).first)
        #expect(record.events.map(\.kind) == ["received", "routed"])
    }

    @Test("a broken rules file never stops a report: the defaults are used and the explanation says so")
    func brokenRulesStillRoute() throws {
        let scratch = Scratch()
        let rules = scratch.path + "/rules.yaml"
        FileManager.default.createFile(atPath: rules, contents: Data("version: 1\nroles: [oops\n".utf8))
        let tmux = try Tmux(["--db", scratch.store, "--rules", rules], environment: ["TERM": "xterm-256color"])
        try tmux.waitFor("How would you like to raise this concern?")
        try tmux.press("Down", "Down", "Down", "Enter")  // anonymous
        try ReportInTmuxTests.quickAnswers(tmux)
        let saved = try ReportInTmuxTests.sendAnonymousAccount(tmux, "Threw a file.", thenWaitFor: "Your case reference is")
        let reference = try #require(saved.firstMatch(of: /SU-[0-9A-Z]{4}-[0-9A-Z]{4}/)).output
        try tmux.press("Enter")
        #expect(try tmux.exitStatus() == 0)
        let explained = try Binary.run(["rules", "explain", String(reference), "--db", scratch.store])
        #expect(explained.stdout.contains("could not be used"))
        #expect(explained.stdout.contains("built-in default rules were used instead"))
    }

    @Test("escalate tick applies a passed deadline once; a second run changes nothing; a bad --now is refused")
    func tick() throws {
        let scratch = Scratch()
        let me = String(cString: getpwuid(getuid())!.pointee.pw_name)
        let rules = scratch.path + "/rules.yaml"
        FileManager.default.createFile(atPath: rules, contents: Data("""
            version: 1
            roles:
              guardian: { users: [\(me)] }
              safety: { users: [nobody-else] }
            fallback: guardian
            escalation:
              acknowledge_missed: { notify: [safety] }
            routes:
              - name: everything
                notify: [guardian]
            """.utf8))
        let file = scratch.path + "/one.json"
        FileManager.default.createFile(atPath: file, contents: Data("""
            {"reference": "SU-9XYZ-0123", "format_version": 2, "way_of_raising": "open", "concerns": ["other"],
             "subject_seniority": "manager", "location": "", "account": "By phone.", "reporter": null,
             "submitted": "2026-11-20T12:00:00Z",
             "events": [{"sequence": 1, "kind": "received", "at": "2026-11-20T12:00:00Z"},
                        {"sequence": 2, "kind": "routed", "at": "2026-11-20T12:00:00Z", "text": "imported"}]}
            """.utf8))
        #expect(try Binary.run(["import", file, "--db", scratch.store]).status == 0)
        // An imported 'routed' event carries no decision; cases routed by this program do. File one.
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color", "SPEAKUP_RULES": rules])
        try tmux.waitFor("How would you like to raise this concern?")
        try tmux.press("Down", "Enter")  // openly
        try ReportInTmuxTests.quickAnswers(tmux)
        let saved = try ReportInTmuxTests.sendIdentifiedAccount(tmux, "Ignored a patient's call.")
        let reference = String(try #require(saved.firstMatch(of: /SU-[0-9A-Z]{4}-[0-9A-Z]{4}/)).output)
        try tmux.press("Enter")
        #expect(try tmux.exitStatus() == 0)

        let later = Date().addingTimeInterval(8 * 86_400).formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        let first = try Binary.run(["escalate", "tick", "--now", later, "--db", scratch.store, "--rules", rules])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("\(reference): not acknowledged in time, escalated."))
        let second = try Binary.run(["escalate", "tick", "--now", later, "--db", scratch.store, "--rules", rules])
        #expect(second.stdout.contains("Nothing to escalate."))
        let explained = try Binary.run(["rules", "explain", reference, "--db", scratch.store])
        #expect(explained.stdout.contains("Not acknowledged in time."))
        let bad = try Binary.run(["escalate", "tick", "--now", "next tuesday", "--db", scratch.store])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--now needs a moment from 1948 to 9999"))
    }

    @Test("directory import: a good file replaces the directory; a bad one changes nothing and names each line")
    func directoryImport() throws {
        let scratch = Scratch()
        let good = scratch.path + "/staff.csv"
        FileManager.default.createFile(atPath: good, contents: Data("""
            staff_id,name,unix_user,role,seniority,manager_id,ward
            S1,Helen Chief,hchief,chief executive,chief-executive,,Board
            S2,Nia Nurse,nnurse,chief nurse,executive,S1,Board
            """.utf8))
        let imported = try Binary.run(["directory", "import", good, "--db", scratch.store])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("now lists 2 people"))
        let bad = scratch.path + "/bad.csv"
        FileManager.default.createFile(atPath: bad, contents: Data("""
            staff_id,name,unix_user,role,seniority,manager_id,ward
            S1,Helen Chief,hchief,chief executive,boss,,Board
            S2,Nia Nurse,nnurse,chief nurse,executive,S9,Board
            """.utf8))
        let refused = try Binary.run(["directory", "import", bad, "--db", scratch.store])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(bad):2: \"boss\" is not a seniority"))
        #expect(refused.stderr.contains("\(bad):3: S2's manager S9 is not in the directory."))
        #expect(refused.stderr.contains("The directory was not changed"))
    }

    @Test("rules test: the default rules pass their shipped tests; a wrong expectation fails with the difference")
    func rulesTest() throws {
        let tests = Self.defaultRules.replacingOccurrences(of: "default.yaml", with: "default-rules.test.yaml")
        let passing = try Binary.run(["rules", "test", tests])
        #expect(passing.status == 0, "\(passing.stdout)\(passing.stderr)")
        #expect(passing.stdout.contains("7 passed, 0 failed"))

        let scratch = Scratch()
        let failing = scratch.path + "/wrong.test.yaml"
        FileManager.default.createFile(atPath: failing, contents: Data("""
            rules: \(Self.defaultRules)
            groups: { speakup-guardians: [asha] }
            cases:
              - name: expects the wrong level
                at: 2026-11-27T09:00:00Z
                report: { subject: Sam, seniority: staff }
                expect: { level: urgent, handlers: [asha] }
            """.utf8))
        let result = try Binary.run(["rules", "test", failing])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  expects the wrong level"))
        #expect(result.stdout.contains("expected level urgent, got informal"))
        #expect(result.stdout.contains("0 passed, 1 failed"))
    }

    @Test("rules explain refuses a malformed reference and an unknown case")
    func explainErrors() throws {
        let scratch = Scratch()
        #expect(try Binary.run(["rules", "explain", "nonsense", "--db", scratch.store]).status == 64)
        let missing = try Binary.run(["rules", "explain", "SU-7KQ4-M2XD", "--db", scratch.store])
        #expect(missing.status == 1)
    }
}
