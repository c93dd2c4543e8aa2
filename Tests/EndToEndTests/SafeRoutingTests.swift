import Foundation
import Testing
import SpeakUpCore

/// Where a report goes when the reporter does not write a name from the directory, and what
/// everyone is told when nobody can take it: the real binary, in tmux at 80x24, LANG unset.
@Suite("End to end: safe routing whatever the reporter types")
struct SafeRoutingTests {
    /// Rules whose roles are accounts every Debian system has, so no group need be made.
    static let rules = """
        version: 1
        roles:
          guardian: { users: [daemon, bin] }
          independent: { users: [sys] }
        fallback: [guardian, independent]
        routes:
          - name: independent-for-senior-subjects
            match: { seniority: ">= executive" }
            notify: [independent]
          - name: everything-else
            notify: [guardian]
        """

    /// Both guardians report to the chief executive; the non-executive director reports to nobody.
    static let staff = """
        staff_id,name,unix_user,role,seniority,manager_id,ward
        CE1,Helen Okafor,,Chief Executive,chief-executive,,
        G1,Dan Guardian,daemon,Freedom to Speak Up Guardian,manager,CE1,
        G2,Bea Guardian,bin,Freedom to Speak Up Guardian,manager,CE1,
        N1,Sid Nonexec,sys,Non-Executive Director,board,,
        """

    /// An anonymous report about `role` (no name), seniority "Not sure", up to its confirmation.
    static func fileAboutRole(_ role: String, store: String, rules: String) throws -> (Tmux, String) {
        let tmux = try Tmux(["--db", store, "--rules", rules], environment: ["TERM": "xterm-256color"])
        try tmux.waitFor("How would you like to raise this concern?")
        try tmux.press("Down", "Down", "Down", "Enter")  // anonymous
        try tmux.waitFor("Who is the concern about?")
        try tmux.press("Tab", "Tab")
        try tmux.type(role)
        try tmux.press("Tab")
        try tmux.waitFor("How senior is the person involved?")
        try tmux.press("End", "Enter")  // "Not sure", whatever band the role suggests
        try tmux.waitFor("What was it about?")
        try tmux.press("Down", "Space", "Enter")
        try tmux.waitFor("When and where did it happen?")
        try tmux.press("Down", "Enter", "Enter", "Enter")
        try tmux.waitFor("Was anyone harmed?")
        try tmux.press("Down", "Enter", "Tab")
        try tmux.waitFor("What happened?")
        let saved = try ReportInTmuxTests.sendAnonymousAccount(tmux, "Shouted at the whole team in the morning meeting.", thenWaitFor: "Your receipt code is")
        let reference = try #require(saved.firstMatch(of: /Your case reference is\s+(SU-[0-9A-Z]{4}-[0-9A-Z]{4})/)).output.1
        return (tmux, String(reference))
    }

    @Test("a report that names the chief executive by role alone, seniority 'Not sure', goes to the independent route")
    func chiefExecutiveByRole() throws {
        let scratch = Scratch()
        let rules = scratch.path + "/rules.yaml"
        let staff = scratch.path + "/staff.csv"
        try Self.rules.write(toFile: rules, atomically: true, encoding: .utf8)
        try Self.staff.write(toFile: staff, atomically: true, encoding: .utf8)
        let imported = try Binary.run(["directory", "import", staff, "--db", scratch.store])
        #expect(imported.status == 0, "\(imported.stderr)")

        let (tmux, reference) = try Self.fileAboutRole("CEO", store: scratch.store, rules: rules)
        let saved = try tmux.screen()
        #expect(saved.contains("Who will see it: the independent team."))
        try tmux.press("Enter")
        #expect(try tmux.exitStatus() == 0)

        let explained = try Binary.run(["rules", "explain", reference, "--db", scratch.store, "--rules", rules])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.contains("handlers sys (roles independent)"))
        #expect(explained.stdout.contains("recognised in the directory: CE1"))
        #expect(explained.stdout.contains("Seniority taken as chief-executive"))
        #expect(!explained.stdout.contains("Handlers: daemon") && !explained.stdout.contains("bin,"))
    }

    @Test("a --db store whose roles have no members: the reporter is told the truth, and cases, check and whoami all say it waits")
    func nobodyToTakeIt() throws {
        let scratch = Scratch()
        let rules = scratch.path + "/rules.yaml"
        try """
            version: 1
            roles:
              guardian: { groups: [speakup-e2e-no-such-group] }
            fallback: [guardian]
            routes:
              - name: everything-else
                notify: [guardian]
            """.write(toFile: rules, atomically: true, encoding: .utf8)

        let (tmux, reference) = try Self.fileAboutRole("porter", store: scratch.store, rules: rules)
        let saved = try tmux.screen()
        #expect(saved.contains("Nobody on this system is set up to receive it yet"))
        #expect(!saved.contains("Who will see it"))
        #expect(!saved.contains("tell a"))  // an anonymous reporter is never asked to go and tell anyone
        try tmux.press("Enter")
        #expect(try tmux.exitStatus() == 0)

        let desk = try Tmux(["cases", "--db", scratch.store, "--rules", rules], environment: ["TERM": "xterm-256color"])
        try desk.enterPassphrase()
        let first = try desk.waitFor("waiting with nobody to handle it")
        #expect(first.contains("1 report is waiting with nobody to handle it"))
        #expect(first.contains("\(reference)  sent"))
        #expect(first.contains("speakup check"))
        try desk.press("Space")
        try desk.waitFor("No cases are waiting for you")
        try desk.press("q")
        #expect(try desk.exitStatus() == 0)

        let check = try Binary.run(["check", "--db", scratch.store, "--rules", rules])
        #expect(check.status == 1)
        #expect(check.stdout.contains("PROBLEM  The role guardian (groups speakup-e2e-no-such-group) has no members on this system"))
        #expect(check.stdout.contains("PROBLEM  The report \(reference)"))
        let whoami = try Binary.run(["whoami", "--db", scratch.store, "--rules", rules])
        #expect(whoami.status == 0, "\(whoami.stderr)")
        #expect(whoami.stdout.contains("guardian: nobody"))
        #expect(whoami.stdout.contains("1 report waits with nobody to handle it"))
    }

    @Test("an administrator whom the subject manages cannot export that report: it is left out, named, and the exit says so")
    func exportKeepsThePolicy() throws {
        let scratch = Scratch()
        let me = ReportInTmuxTests.realUserName
        let staff = scratch.path + "/staff.csv"
        try """
            staff_id,name,unix_user,role,seniority,manager_id,ward
            CE1,Helen Okafor,,Chief Executive,chief-executive,,
            A1,Alex Admin,\(me),Administrator,manager,CE1,
            """.write(toFile: staff, atomically: true, encoding: .utf8)
        #expect(try Binary.run(["directory", "import", staff, "--db", scratch.store]).status == 0)
        // With rules of its own the store is not a personal one, so the administrator is their login
        // (in a personal store its owner handles everything, as `store-owner`).
        let rules = scratch.path + "/rules.yaml"
        try Self.rules.write(toFile: rules, atomically: true, encoding: .utf8)
        let (tmux, reference) = try Self.fileAboutRole("Chief Executive", store: scratch.store, rules: rules)
        try tmux.press("Enter")
        #expect(try tmux.exitStatus() == 0)
        let export = try Binary.run(["export", "json", "--db", scratch.store, "--rules", rules])
        #expect(export.status == 3)
        #expect(export.stderr.contains("1 report was left out of the export (\(reference))"))
        #expect(!export.stdout.contains(reference))
    }

    @Test("when the memory for the receipt's protection cannot be had, the form says so and keeps every word (it used to crash)")
    func receiptWithoutMemory() throws {
        let scratch = Scratch()
        // About 150 MB of address space: enough to run, not enough for scrypt's 64 MiB on top.
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"], limits: "ulimit -v 150000")
        try tmux.waitFor("How would you like to raise this concern?")
        try tmux.press("Down", "Down", "Down", "Enter")  // anonymous
        try ReportInTmuxTests.quickAnswers(tmux)
        let screen = try ReportInTmuxTests.sendAnonymousAccount(tmux, "Words that must not be lost.", thenWaitFor: "could not protect the receipt code")
        let words = screen.split(whereSeparator: \.isWhitespace).joined(separator: " ")  // the sentence wraps on screen
        #expect(words.contains("Nothing has been saved and nothing on this screen is lost"))
        #expect(screen.contains("Words that must not be lost."))
        #expect(!screen.contains("Your receipt code is"))
        try tmux.press("C-c")
        try tmux.waitFor("leave")
    }
}
