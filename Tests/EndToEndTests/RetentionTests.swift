import Foundation
import Glibc
import Testing
import SpeakUpCore

@Suite("End to end: speakup retention (a run killed part way, bad policies, dry runs, legal holds)")
struct RetentionTests {
    /// `count` confidential cases, each with a note, closed on 2020-01-10 (so due under the standard policy).
    static func importClosed(_ count: Int, into scratch: Scratch) throws -> [String] {
        var references: [String] = []
        var records: [String] = []
        for index in 0..<count {
            let reference = CaseReference.random().text
            references.append(reference)
            records.append("""
                {"format_version": 2, "reference": "\(reference)", "way_of_raising": "confidential", "concerns": ["unsafe-practice"],
                 "subject_seniority": "senior-clinician", "subject_name": "Dr Erasable", "location": "Ward 7",
                 "account": "Account \(index): the erasable words.", "reporter": null,
                 "reporter_details": {"name": "Asha Patel", "contact": "ext 4321", "professional_group": "nursing"},
                 "submitted": "2020-01-02T10:00:00Z",
                 "events": [{"sequence": 1, "kind": "received", "at": "2020-01-02T10:00:00Z"},
                            {"sequence": 2, "kind": "note", "at": "2020-01-03T10:00:00Z", "text": "Note \(index) naming Dr Erasable.", "actor": "gita"},
                            {"sequence": 3, "kind": "closed", "at": "2020-01-10T10:00:00Z", "text": "Outcome: Upheld: action taken.", "actor": "gita"}]}
                """)
        }
        let file = scratch.path + "/closed.json"
        FileManager.default.createFile(atPath: file, contents: Data(("[" + records.joined(separator: ",\n") + "]").utf8))
        let imported = try Binary.run(["import", file, "--db", scratch.store])
        #expect(imported.status == 0, "\(imported.stderr)")
        return references
    }

    /// Every case is whole (its account and note there) or fully erased (both gone); how many are erased.
    static func wholeOrErased(_ scratch: Scratch) throws -> Int {
        var erased = 0
        for record in try ReportInTmuxTests.export(scratch.store) {
            let note = record.events.first { $0.kind == "note" }
            if record.account.isEmpty {
                #expect(note?.text == nil && record.subjectName == nil, "\(record.reference) is half erased")
                erased += 1
            } else {
                #expect(record.account.contains("the erasable words") && note?.text?.contains("Dr Erasable") == true, "\(record.reference) is half erased")
            }
        }
        return erased
    }

    @Test("a run killed with SIGKILL part way leaves every case whole or fully erased, and whole batches erased; the next run finishes, and the audit trail verifies")
    func killedPartWay() throws {
        let scratch = Scratch()
        let references = try Self.importClosed(400, into: scratch)
        // Start the run with its output in a file, and kill it as soon as it says it erased its first case.
        let output = scratch.path + "/run.out"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let words: [String] = [Binary.speakup, "retention", "run", "--db", scratch.store]
        let environment: [String] = ["PATH=/usr/bin:/bin"]
        let argv = words.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        #expect(posix_spawn(&pid, Binary.speakup, &actions, nil, argv, envp) == 0)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: output, encoding: .utf8), text.contains(": erased (") { break }
            usleep(500)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        #expect((status & 0x7F) == SIGKILL, "the run was killed, not finished")
        let erasedSoFar = try Self.wholeOrErased(scratch)
        #expect(erasedSoFar >= 1 && erasedSoFar < references.count, "killed part way: \(erasedSoFar) of \(references.count) erased")
        // Cases go a batch per transaction: the kill left whole batches erased, at least those it said it erased.
        let said = ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").components(separatedBy: ": erased (").count - 1
        #expect(erasedSoFar % RetentionRun.batchSize == 0 && erasedSoFar >= said, "\(erasedSoFar) erased, \(said) said so")

        let again = try Binary.run(["retention", "run", "--db", scratch.store])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Self.wholeOrErased(scratch) == references.count)
        let verified = try Binary.run(["audit", "verify", "--db", scratch.store])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("of \(references.count) cases were erased under the retention policy"), "\(verified.stdout)")
        // And again: nothing left to do.
        let third = try Binary.run(["retention", "run", "--db", scratch.store])
        #expect(third.status == 0 && third.stdout.contains("Erased 0 cases"), "\(third.stdout)\(third.stderr)")
    }

    @Test("a dry run lists what would go and changes nothing")
    func dryRun() throws {
        let scratch = Scratch()
        let references = try Self.importClosed(3, into: scratch)
        let before = try ReportInTmuxTests.export(scratch.store)
        let storeBytes = try Data(contentsOf: URL(fileURLWithPath: scratch.store))
        let dry = try Binary.run(["retention", "run", "--dry-run", "--db", scratch.store])
        #expect(dry.status == 0, "\(dry.stderr)")
        for reference in references { #expect(dry.stdout.contains("\(reference): would be erased")) }
        #expect(dry.stdout.contains("nothing was changed"))
        #expect(try ReportInTmuxTests.export(scratch.store) == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.store)) == storeBytes)
    }

    @Test("a policy file with mistakes is refused with each mistake's line and column, and nothing is erased")
    func badPolicy() throws {
        let scratch = Scratch()
        _ = try Self.importClosed(2, into: scratch)
        let file = scratch.path + "/policy.yaml"
        FileManager.default.createFile(atPath: file, contents: Data("""
            format: 1
            closed-cases: 6 yeers
            outcomes:
              upheld: 0 years
              resolved: 2 years
            receipts: forever
            drafts: 200 years
            """.utf8))
        let result = try Binary.run(["retention", "run", "--db", scratch.store, "--policy", file])
        #expect(result.status == 65)
        #expect(result.stderr.contains("policy.yaml:2:15: closed-cases should be a time such as 30 days"), "\(result.stderr)")
        #expect(result.stderr.contains("policy.yaml:4:11: outcomes upheld should be at least 1 year"), "\(result.stderr)")
        #expect(result.stderr.contains("policy.yaml:5:3: Unknown key \"resolved\""), "\(result.stderr)")
        #expect(result.stderr.contains("policy.yaml:6:11: receipts should be"), "\(result.stderr)")
        #expect(result.stderr.contains("policy.yaml:7:9: drafts is longer than 100 years"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was erased"))
        #expect(try Self.wholeOrErased(scratch) == 0)
        // A good one: closed cases kept for ever (these imported closings name no outcome).
        FileManager.default.createFile(atPath: file, contents: Data("format: 1\nclosed-cases: never\noutcomes:\n  upheld: 10 years\n".utf8))
        let kept = try Binary.run(["retention", "run", "--db", scratch.store, "--policy", file, "--dry-run"])
        #expect(kept.status == 0 && kept.stdout.contains("0 cases would be erased"), "\(kept.stdout)\(kept.stderr)")
    }

    @Test("a legal hold needs a reason, keeps the case from a run, and lifting one that is not set is refused")
    func legalHold() throws {
        let scratch = Scratch()
        let references = try Self.importClosed(2, into: scratch)
        let noReason = try Binary.run(["retention", "hold", references[0], "--db", scratch.store])
        #expect(noReason.status == 64 && noReason.stderr.contains("Please give the reason with --reason"), "\(noReason.stderr)")
        let notSet = try Binary.run(["retention", "lift-hold", references[0], "--reason", "Settled", "--db", scratch.store])
        #expect(notSet.status != 0 && notSet.stderr.contains("is not under legal hold"), "\(notSet.stdout)\(notSet.stderr)")
        let held = try Binary.run(["retention", "hold", references[0], "--reason", "Tribunal claim 2026/1234", "--db", scratch.store])
        #expect(held.status == 0, "\(held.stdout)\(held.stderr)")
        let run = try Binary.run(["retention", "run", "--db", scratch.store])
        #expect(run.status == 0 && run.stdout.contains("\(references[0]): under legal hold, kept."), "\(run.stdout)\(run.stderr)")
        #expect(try Self.wholeOrErased(scratch) == 1)
        let lifted = try Binary.run(["retention", "lift-hold", references[0], "--reason", "Claim settled", "--db", scratch.store])
        #expect(lifted.status == 0, "\(lifted.stdout)\(lifted.stderr)")
        #expect(try Binary.run(["retention", "run", "--db", scratch.store]).status == 0)
        #expect(try Self.wholeOrErased(scratch) == 2)
    }
}
