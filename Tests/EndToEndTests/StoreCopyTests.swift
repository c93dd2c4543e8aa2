import Foundation
import Glibc
import Testing

/// `speakup store copy` through the real binary: a whole store into a new one, checked; bad input.
@Suite("End to end: copying a whole store")
struct StoreCopyTests {
    @Test("a copy holds the same reports (export json is byte for byte the same) and says what it checked; a second copy into it is refused")
    func copy() throws {
        let scratch = try BoardTests.seeded()
        let copy = scratch.path + "/copy.sqlite"
        let result = try Binary.run(["store", "copy", "--from", scratch.store, "--to", copy])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Copied 8 reports from \(scratch.store) to \(copy), and checked"), "\(result.stderr)")
        #expect(result.stderr.contains("the audit trail verifies on both sides"))
        #expect(result.stdout.hasPrefix("digest "))
        let before = try Binary.run(["export", "json", "--db", scratch.store])
        let after = try Binary.run(["export", "json", "--db", copy])
        #expect(before.status == 0 && after.status == 0)
        #expect(before.stdout == after.stdout && before.stdout.contains("SU-BRD0-0008"))
        let verified = try Binary.run(["audit", "verify", "--db", copy])
        #expect(verified.status == 0, "\(verified.stderr)")
        let again = try Binary.run(["store", "copy", "--from", scratch.store, "--to", copy])
        #expect(again.status == 1)
        #expect(again.stderr.contains("is not empty"), "\(again.stderr)")
        #expect(Tmux.words(again.stderr).contains("check it with `speakup store copy --check`"), "\(again.stderr)")
        #expect(try Binary.run(["export", "json", "--db", copy]).stdout == before.stdout, "the refused copy changed nothing")
        // The copy said when it was committed, before its check.
        #expect(Tmux.words(result.stderr).contains("in one transaction; now checking it against"), "\(result.stderr)")
    }

    @Test("--check checks an earlier copy without copying: the same digest for a whole copy; a copy that differs, the same store twice or a missing copy refused with a sentence")
    func checkOnly() throws {
        let scratch = try BoardTests.seeded()
        let copy = scratch.path + "/copy.sqlite"
        let made = try Binary.run(["store", "copy", "--from", scratch.store, "--to", copy])
        #expect(made.status == 0, "\(made.stderr)")
        let checked = try Binary.run(["store", "copy", "--check", "--from", scratch.store, "--to", copy])
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(Tmux.words(checked.stderr).contains("Checked the copy at \(copy) against \(scratch.store) (8 reports): every table has the same rows"), "\(checked.stderr)")
        #expect(!checked.stderr.contains("now checking"), "nothing was copied, so nothing is said of a copy")
        #expect(checked.stdout == made.stdout, "the same digest and last hash as the copy's own check")
        // The source moves on (a case imported): the copy no longer matches it, and the check says so.
        _ = try RetentionTests.importClosed(1, into: scratch)
        let differs = try Binary.run(["store", "copy", "--check", "--from", scratch.store, "--to", copy])
        #expect(differs.status != 0)
        #expect(differs.stderr.contains("The copy does not match its source"), "\(differs.stderr)")
        let same = try Binary.run(["store", "copy", "--check", "--from", scratch.store, "--to", scratch.store])
        #expect(same.status == 64 && same.stderr.contains("name the store and its copy"), "\(same.stderr)")
        // A missing copy is refused, and not made.
        let missing = try Binary.run(["store", "copy", "--check", "--from", scratch.store, "--to", scratch.path + "/none.sqlite"])
        #expect(missing.status != 0 && missing.stderr.contains("There is no SpeakUp store at"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/none.sqlite"), "checking makes no store")
    }

    @Test("bad input: no store at --from, the same store twice, a device, a missing option: a sentence and a non-zero exit")
    func badInput() throws {
        let scratch = Scratch()
        let missing = try Binary.run(["store", "copy", "--from", scratch.path + "/none.sqlite", "--to", scratch.path + "/new.sqlite"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("There is no SpeakUp store at"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/new.sqlite"), "nothing is made when the source is missing")
        let same = try Binary.run(["store", "copy", "--from", scratch.store, "--to", scratch.store])
        #expect(same.status == 64)
        #expect(same.stderr.contains("name the same store"))
        let device = try Binary.run(["store", "copy", "--from", "/dev/null", "--to", scratch.path + "/new.sqlite"])
        #expect(device.status == 64)
        #expect(device.stderr.contains("is a device"))
        let noTo = try Binary.run(["store", "copy", "--from", scratch.store])
        #expect(noTo.status == 64)
        #expect(noTo.stderr.contains("--to"), "\(noTo.stderr)")
    }
}
