import Foundation
import Glibc
import Testing

/// `speakup subject-access` through the real binary: bad input on the plain binary, the review and
/// approval in tmux, the file and its audit record; roles on a shared host.
@Suite("End to end: subject access with the source protected")
struct SubjectAccessTests {
    static let staff = """
        staff_id,name,unix_user,role,seniority,manager_id,ward
        S1,Samuel Jones,sjones,Charge Nurse,senior-practitioner,M1,Ward 9
        N7,Priya Raman,praman,Staff Nurse,practitioner,M1,Ward 7
        M1,Olu Adeyemi,oadeyemi,Ward Manager,manager,,Medicine
        """

    /// A confidential report by Priya (praman) about S1, picked from the directory; an anonymous one
    /// naming him; and one about Olu that S1 raised himself.
    static let reports = """
        [
        {"format_version":2,"reference":"SU-SAR0-0001","way_of_raising":"confidential","concerns":["rude-or-aggressive"],"subject_name":"Samuel Jones","subject_role":"charge nurse","subject_id":"S1","subject_seniority":"senior-practitioner","location":"Ward 7","account":"I, the nurse on nights in Ward 7, saw Samuel Jones shout at a student. Priya Raman (praman) reported it.","reporter":{"user":"praman","uid":1007},"submitted":"2026-10-03T03:15:00Z","events":[{"sequence":1,"kind":"received","at":"2026-10-03T03:15:00Z","text":null}],"reporter_details":{"name":"Priya Raman","contact":"","professional_group":"nursing"}},
        {"format_version":2,"reference":"SU-SAR0-0002","way_of_raising":"anonymous","concerns":["unsafe-practice"],"subject_name":"Sam Jones","subject_seniority":"unknown","location":"","account":"I am the only porter on days and he ignored the alarm on Tuesday.","reporter":null,"submitted":"2026-10-05","events":[]},
        {"format_version":2,"reference":"SU-SAR0-0003","way_of_raising":"open","concerns":["other"],"subject_name":"Olu Adeyemi","subject_seniority":"manager","location":"Medicine","account":"My own concern about the rota.","reporter":{"user":"sjones","uid":1010},"submitted":"2026-10-07T10:00:00Z","events":[]}
        ]
        """

    static func seeded() throws -> Scratch {
        let scratch = Scratch()
        let imported = try Binary.run(["import", ImportTests.write(reports, in: scratch), "--db", scratch.store])
        #expect(imported.status == 0, "\(imported.stderr)")
        let directory = try Binary.run(["directory", "import", ImportTests.write(staff, in: scratch, name: "staff.csv"), "--db", scratch.store])
        #expect(directory.status == 0, "\(directory.stderr)")
        return scratch
    }

    static func auditRows(_ store: String) throws -> [String] {
        let rows = try Command.run("/usr/bin/sqlite3", [store, "SELECT actor || '|' || action || '|' || detail FROM audit_record WHERE action LIKE 'subject-access%' ORDER BY position"])
        return rows.stdout.split(separator: "\n").map(String.init)
    }

    @Test("a staff id nobody has, a file already there, a missing folder and no terminal: a sentence, non-zero, nothing written or recorded")
    func badInput() throws {
        let scratch = try Self.seeded()
        let out = scratch.path + "/disclosure.txt"
        let nobody = try Binary.run(["subject-access", "X99", "--out", out, "--db", scratch.store])
        #expect(nobody.status == 65 && nobody.stderr.contains("Nobody in the staff directory has the staff id X99"), "\(nobody.stderr)")
        FileManager.default.createFile(atPath: out, contents: Data("keep me".utf8))
        let there = try Binary.run(["subject-access", "S1", "--out", out, "--db", scratch.store])
        #expect(there.status == 73 && there.stderr.contains("already a file"), "\(there.stderr)")
        #expect(FileManager.default.contents(atPath: out) == Data("keep me".utf8))
        let noFolder = try Binary.run(["subject-access", "S1", "--out", scratch.path + "/no/such/folder.txt", "--db", scratch.store])
        #expect(noFolder.status == 73 && noFolder.stderr.contains("is not there"), "\(noFolder.stderr)")
        let fresh = scratch.path + "/fresh.txt"
        let noTerminal = try Binary.run(["subject-access", "S1", "--out", fresh, "--db", scratch.store])
        #expect(noTerminal.status == 2 && noTerminal.stderr.contains("no terminal"), "\(noTerminal.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fresh))
        #expect(noTerminal.stdout.isEmpty && !noTerminal.stdout.contains("Samuel"))
        #expect(try Self.auditRows(scratch.store).isEmpty)
    }

    @Test("reviewed on its screen to the end and approved: the file (0600) names the subject and none of the reporter; the audit records who, which id and the digest")
    func approved() throws {
        let scratch = try Self.seeded()
        let out = scratch.path + "/disclosure.txt"
        let tmux = try Tmux(["subject-access", "S1", "--out", out, "--db", scratch.store], environment: ["TERM": "xterm-256color"])
        let first = try tmux.waitFor("more below")
        #expect(first.contains("Subject access for staff id S1") && first.contains("Nothing has been written yet"))
        #expect(!first.contains("Priya"))
        #expect(!FileManager.default.fileExists(atPath: out))
        // Approving waits until the end has been read.
        try tmux.type("a")
        try tmux.waitFor("Please read the draft to the end")
        try tmux.press("End")
        try tmux.waitFor("the end of the draft")
        try tmux.type("a")
        try tmux.waitFor("Approve this disclosure and write it to")
        #expect(!FileManager.default.fileExists(atPath: out))
        try tmux.type("y")
        let screen = try tmux.waitFor("[exited 0]")
        #expect(screen.contains("Written to "))
        let text = try #require(FileManager.default.contents(atPath: out).flatMap { String(data: $0, encoding: .utf8) })
        #expect(text.contains("What SpeakUp holds about Samuel Jones (staff id S1)"))
        #expect(text.contains("saw Samuel Jones shout at a student"))
        #expect(text.contains("Concerns raised about you: 2") && text.contains("Concerns you raised: 1") && text.contains("My own concern about the rota."))
        for secret in ["Priya", "Raman", "praman", "Ward 7", "nurse on nights", "only porter", "Tuesday", "SU-SAR0-0001", "SU-SAR0-0002", "03:15", "1007"] {
            #expect(!text.contains(secret), "\(secret) should not be in the disclosure")
        }
        var status = stat()
        #expect(stat(out, &status) == 0 && status.st_mode & 0o777 == 0o600)
        let digest = try Command.run("/usr/bin/sha256sum", [out]).stdout.split(separator: " ").first.map(String.init) ?? ""
        let rows = try Self.auditRows(scratch.store)
        let me = String(cString: getpwuid(getuid())!.pointee.pw_name)
        #expect(rows == ["\(me)|subject-access-disclosed|staff id S1; 2 about them, 1 raised by them, 0 possibly naming them; file sha256 \(digest)"], "\(rows)")
        let verified = try Binary.run(["audit", "verify", "--db", scratch.store])
        #expect(verified.status == 0, "\(verified.stderr)")
        // A second run cannot write over the approved file.
        let again = try Binary.run(["subject-access", "S1", "--out", out, "--db", scratch.store])
        #expect(again.status == 73)
    }

    @Test("declined with Esc and Y (on a vt100): nothing is written, and the decline is recorded")
    func declined() throws {
        let scratch = try Self.seeded()
        let out = scratch.path + "/disclosure.txt"
        let tmux = try Tmux(["subject-access", "S1", "--out", out, "--db", scratch.store], environment: ["TERM": "vt100"])
        try tmux.waitFor("more below")
        try tmux.press("Escape")
        try tmux.waitFor("Decline this disclosure?")
        try tmux.type("y")
        let screen = try tmux.waitFor("[exited 0]")
        #expect(screen.contains("Declined: nothing was written."))
        #expect(!FileManager.default.fileExists(atPath: out))
        let me = String(cString: getpwuid(getuid())!.pointee.pw_name)
        #expect(try Self.auditRows(scratch.store) == ["\(me)|subject-access-declined|staff id S1; 2 about them, 1 raised by them, 0 possibly naming them"])
    }
}

extension SharedHostSuites {
    @Suite("End to end: only handlers answer subject access requests", .enabled(if: SharedHost.isPossible, "needs root to make users"))
    struct SubjectAccessRoleTests {
        @Test("a reporter and an administrator are refused (77) with a sentence, and nothing is written")
        func roles() throws {
            let host = try SharedHost()
            for person in [host.reporter, host.admin] {
                let out = "/tmp/speakup-sar-\(host.tag)-\(person).txt"
                let refused = try host.speakup(as: person, ["subject-access", "S1", "--out", out])
                #expect(refused.status == 77 && refused.stderr.contains("Only a handler of SpeakUp may answer a subject access request"), "\(refused.stderr)")
                #expect(refused.stdout.isEmpty && !FileManager.default.fileExists(atPath: out))
            }
            // The guardian gets past the role check (and here finds nobody with that id: no directory was imported).
            let guardian = try host.speakup(as: host.guardian, ["subject-access", "S1", "--out", "/tmp/speakup-sar-\(host.tag)-g.txt"])
            #expect(guardian.status == 65 && guardian.stderr.contains("Nobody in the staff directory"), "\(guardian.stderr)")
        }
    }
}
