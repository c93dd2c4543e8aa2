import Foundation
import Glibc
import SpeakUpStore
import SpeakUpCore
import Testing

extension SharedHostSuites {
    /// Handlers' passphrases and the trust recovery key on an installed host, with real users.
    @Suite("End to end: sealing keys (a passphrase chosen, refused, changed; the recovery key made once)",
           .enabled(if: SharedHost.isPossible, "needs root to make users"))
    struct SealingKeyTests {
        @Test("the administrator makes the recovery key once, printed and never shown again; nobody else may")
        func recoveryKey() throws {
            let host = try SharedHost()
            let refused = try host.speakup(as: host.guardian, ["store", "recovery-key"])
            #expect(refused.status == 77)
            let made = try host.speakup(as: host.admin, ["store", "recovery-key"])
            #expect(made.status == 0, "\(made.stderr)")
            #expect(made.stdout.range(of: #"SPEAKUP RECOVERY [0-9A-Z]{5}(-[0-9A-Z]{5}){10}"#, options: .regularExpression) != nil)
            #expect(Tmux.words(made.stdout).contains("will not show this key again"))
            let again = try host.speakup(as: host.admin, ["store", "recovery-key"])
            #expect(again.status == 1)
            #expect(again.stderr.contains("already has a trust recovery key"))
            #expect(!again.stdout.contains("SPEAKUP RECOVERY"))
            let trail = try host.speakup(as: host.admin, ["audit", "verify"])
            #expect(trail.status == 0, "\(trail.stdout)\(trail.stderr)")
        }

        @Test("a guardian chooses a passphrase on first opening; later a wrong one is refused and recorded, the right one opens; it can be changed")
        func passphrase() throws {
            let host = try SharedHost()
            _ = try host.fileOpenReport("Shouted at a healthcare assistant.")
            let first = try host.tmux(as: host.guardian, ["cases"])
            try first.waitFor("Choose a passphrase for your cases")
            try first.type("kettle")
            try first.press("Enter")
            try first.waitFor("at least 12 characters")
            try first.enterPassphrase()
            try first.waitFor("Cases for \(host.guardian)", timeout: 30)
            try first.press("q")
            #expect(try first.exitStatus() == 0)

            let second = try host.tmux(as: host.guardian, ["cases"])
            try second.waitFor("Your passphrase")
            try second.type("blue kettle evening")
            try second.press("Enter")
            let refusal = try second.waitFor("does not open your key")
            #expect(!refusal.contains("blue kettle"), "nothing typed is shown")
            try second.enterPassphrase()
            try second.waitFor("Cases for \(host.guardian)", timeout: 30)
            try second.press("q")
            #expect(try second.exitStatus() == 0)

            let change = try host.tmux(as: host.guardian, ["cases", "--change-passphrase"])
            try change.waitFor("Change your passphrase")
            try change.type(Tmux.passphrase)
            try change.press("Enter")
            try change.waitFor("Your new passphrase")
            try change.type("green teapot evening")
            try change.press("Enter")
            try change.waitFor("The same passphrase again")
            try change.type("green teapot evening")
            try change.press("Enter")
            try change.waitFor("Cases for \(host.guardian)", timeout: 30)
            try change.press("q")
            #expect(try change.exitStatus() == 0)

            let trail = try host.speakup(as: host.admin, ["audit", "verify"])
            #expect(trail.status == 0, "\(trail.stdout)\(trail.stderr)")
            let actions = try SQLiteReportStore(path: host.store).auditRecords().filter { $0.entry.actor == host.guardian }.map(\.entry.action)
            #expect(actions == ["sealing-key-made", "passphrase-refused", "passphrase-changed"])
        }
    

        @Test("once the trust has a recovery key, a report's words are sealed on disk; the guardian's workspace opens them with their key")
        func sealedJourney() throws {
            let host = try SharedHost()
            #expect(try host.speakup(as: host.admin, ["check"]).stdout.contains("PROBLEM  This store has no trust recovery key"))
            #expect(try host.speakup(as: host.admin, ["store", "recovery-key"]).status == 0)
            let sealing = try host.speakup(as: host.admin, ["check"]).stdout
            #expect(sealing.contains("ok       Sealing: on.") && sealing.contains("Not yet") && sealing.contains(host.guardian))
            // The guardian chooses a passphrase first, so the report can be sealed for them.
            try host.chooseKey(as: host.guardian)

            let words = "Quarrelsome\(host.tag) shouted at the student nurse by the sluice."
            #expect(sealing.contains("ok       The names of the people reports are about are sealed too"), "make install made the subject-key secret")
            let saved = try host.fileOpenReport(words, about: "Dr Quibble\(host.tag)")
            let reference = try #require(HandlingTests.reference(on: saved))
            #expect(host.storeBytes().range(of: Data("Quarrelsome\(host.tag)".utf8)) == nil, "the words are nowhere in the store's files")
            #expect(host.storeBytes().range(of: Data("Rita Reporter".utf8)) == nil, "nor the reporter's name")
            #expect(host.storeBytes().range(of: Data("Quibble\(host.tag)".utf8)) == nil, "nor the name of the person it is about")

            let desk = try host.tmux(as: host.guardian, ["cases"])
            try desk.enterPassphrase()
            try desk.waitFor(reference, timeout: 30)
            // The unlocked workspace refuses core dumps and is not dumpable: the files of its /proc directory belong to root,
            // not to the guardian, so nobody but root can read its memory (ptrace, /proc/PID/mem) or get a core.
            let pids = try Command.run("/usr/bin/pgrep", ["-u", host.guardian, "-x", "speakup"]).stdout
            let pid = try #require(pids.split(separator: "\n").compactMap { Int32($0) }.first, "the workspace's process")
            let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
            let core = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") })
            #expect(core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"], "\(core)")
            let owner = try FileManager.default.attributesOfItem(atPath: "/proc/\(pid)/environ")[.ownerAccountID] as? Int
            #expect(owner == 0, "a dumpable process's /proc files belong to its user")
            try desk.press("Enter")
            try desk.waitForWords("Quarrelsome\(host.tag) shouted at the student nurse")
            try desk.waitForWords("About: Dr Quibble\(host.tag)")
            // A message to this open reporter is sealed for the reply code they were given.
            try desk.press("m")
            try desk.waitFor("Message to the reporter")
            try desk.type("Could we talk on Thursday\(host.tag)?")
            try desk.press("Tab")
            try desk.waitFor("Send this message to the reporter?")
            try desk.press("S")
            try desk.waitFor("Your message is saved")
            try desk.press("Escape")
            try desk.press("q")
            #expect(host.storeBytes().range(of: Data("Thursday\(host.tag)".utf8)) == nil, "the message is sealed")
            let code = try #require(saved.split(separator: "\n").first { $0.contains("Your reply code is") }.map { String($0.filter(\.isNumber)) })
            #expect(code.count == 16, "\(saved)")
            let followUp = try host.tmux(as: host.reporter, ["follow-up"])
            try followUp.waitFor("Your reports")
            try followUp.press("Enter")
            try followUp.waitForWords("press K and type your reply code")
            try followUp.press("k")
            try followUp.waitFor("Reply code")
            try followUp.type(code)
            try followUp.press("Enter")
            try followUp.waitForWords("Could we talk on Thursday\(host.tag)?")
            try followUp.press("C-c")

            let export = try host.speakup(as: host.admin, ["export", "json"])
            #expect(export.status == 0)
            #expect(export.stderr.contains("sealed for"))
            #expect(!export.stdout.contains("Quarrelsome"))
            #expect(export.stdout.contains("\"sealed\" : true") || export.stdout.contains("\"sealed\":true"))
        }
    

        @Test("a guardian who forgot their passphrase makes a new key; the administrator seals their cases again with the recovery key")
        func forgottenPassphrase() throws {
            let host = try SharedHost()
            let made = try host.speakup(as: host.admin, ["store", "recovery-key"])
            let keyLine = try #require(made.stdout.split(separator: "\n").first { $0.contains("SPEAKUP RECOVERY") })
            try host.chooseKey(as: host.guardian)
            let saved = try host.fileOpenReport("Forgotten\(host.tag) words about the handover.")
            let reference = try #require(HandlingTests.reference(on: saved))

            let fresh = try host.tmux(as: host.guardian, ["cases", "--forgotten-passphrase"])
            try fresh.waitFor("A new key for a forgotten passphrase")
            try fresh.enterPassphrase("green teapot evening")
            try fresh.waitFor(reference, timeout: 30)
            try fresh.press("Enter")
            try fresh.waitForWords("sealed for an earlier key of yours")
            try fresh.press("Escape")
            try fresh.press("q")

            // Ctrl-C while the key is typed (echo off) gives the terminal its echo back and changes nothing.
            // (The shell ignores SIGINT so that it goes on to show the terminal's settings afterwards.)
            let typing = try Tmux(command: ["/bin/sh", "-c", "trap '' INT; /usr/sbin/runuser -u \(host.admin) -- \(host.binary) recover --for \(host.guardian); "
                                          + "echo STATUS=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e echo -e -echo | sed 's/^/ECHO:/'; sleep 20"],
                                  environment: ["TERM": "xterm-256color"])
            try typing.waitFor("Type the trust's recovery key")
            try typing.type("SPEAKUP RECOV")
            try typing.press("C-c")
            let after = try typing.waitFor("ECHO:")
            #expect(after.contains("Stopped: nothing was changed.") && after.contains("ECHO:echo") && !after.contains("ECHO:-echo"), "\(after)")
            #expect(!after.contains("SPEAKUP RECOV"), "what was typed with echo off was never shown")

            // A wrong key, then none, are refused and change nothing.
            let wrong = try host.speakup(as: host.admin, ["recover", "--for", host.guardian], input: "SPEAKUP RECOVERY 00000-00000-00000-00000-00000-00000-00000-00000-00000-00000-00000\n")
            #expect(wrong.status == 1, "\(wrong.stderr)")
            #expect(wrong.stderr.contains("Nothing was changed"))
            #expect(try host.speakup(as: host.admin, ["recover", "--for", host.guardian], input: "\n").status == 64)
            #expect(try host.speakup(as: host.guardian, ["recover", "--for", host.guardian], input: String(keyLine) + "\n").status == 77)

            let recovered = try host.speakup(as: host.admin, ["recover", "--for", host.guardian], input: String(keyLine) + "\n")
            #expect(recovered.status == 0, "\(recovered.stderr)")
            #expect(recovered.stdout.contains("Sealed 1 case again for \(host.guardian)'s key"))

            let desk = try host.tmux(as: host.guardian, ["cases"])
            try desk.enterPassphrase("green teapot evening")
            try desk.waitFor(reference, timeout: 30)
            try desk.press("Enter")
            try desk.waitForWords("Forgotten\(host.tag) words about the handover.")
            try desk.press("Escape")
            try desk.press("q")
            let actions = try SQLiteReportStore(path: host.store).auditRecords().map(\.entry.action)
            #expect(actions.contains("sealing-key-replaced") && actions.contains("case-key-wrapped"))
            let trail = try host.speakup(as: host.admin, ["audit", "verify"])
            #expect(trail.status == 0, "\(trail.stdout)\(trail.stderr)")
        }
    

        @Test("a guardian who joins later is checked against older sealed names by recover: a case about someone else is sealed for them, a case whose name fits them is left out")
        func newcomerCheckedAgainstSealedNames() throws {
            let host = try SharedHost()
            let made = try host.speakup(as: host.admin, ["store", "recovery-key"])
            let keyLine = try #require(made.stdout.split(separator: "\n").first { $0.contains("SPEAKUP RECOVERY") })
            try host.chooseKey(as: host.guardian)
            // Two reports while the newcomer is not yet a handler: about someone else, and about the newcomer by name.
            let other = try #require(HandlingTests.reference(on: try host.fileOpenReport("Brusque\(host.tag) words at handover.", about: "Dr Quibble\(host.tag)")))
            let aboutThem = try #require(HandlingTests.reference(on: try host.fileOpenReport("Curt\(host.tag) words at handover.", about: "Nadia Newcomer")))
            #expect(host.storeBytes().range(of: Data("Newcomer".utf8)) == nil, "the name is sealed")

            let newcomer = "su\(host.tag)new"
            try host.addUser(newcomer, fullName: "Nadia Newcomer", groups: ["speakup-guardians"])
            try host.chooseKey(as: newcomer)

            let recovered = try host.speakup(as: host.admin, ["recover", "--for", newcomer, "--cases-of", host.guardian], input: String(keyLine) + "\n")
            #expect(recovered.status == 3, "one case is left out: \(recovered.stdout)\(recovered.stderr)")
            #expect(recovered.stdout.contains("Checked \(newcomer) against the sealed name of 2 cases"), "\(recovered.stdout)")
            #expect(recovered.stdout.contains("Sealed 1 case again for \(newcomer)'s key"), "\(recovered.stdout)")
            #expect(recovered.stderr.contains(aboutThem) && recovered.stderr.contains("possibly the person the report is about"), "\(recovered.stderr)")
            #expect(!recovered.stderr.contains(other), "\(recovered.stderr)")
            #expect(!(recovered.stdout + recovered.stderr).contains("Newcomer") && !(recovered.stdout + recovered.stderr).contains("Quibble"),
                    "the names opened with the recovery key are never shown")
            let store = try SQLiteReportStore(path: host.store)
            #expect(try store.caseKeys(try #require(CaseReference(other)))[newcomer] != nil)
            #expect(try store.caseKeys(try #require(CaseReference(aboutThem)))[newcomer] == nil)
            #expect(try store.auditRecords().filter { $0.entry.action == "subject-checked" }.count == 2)
            let trail = try host.speakup(as: host.admin, ["audit", "verify"])
            #expect(trail.status == 0, "\(trail.stdout)\(trail.stderr)")
            // Run again: nothing more to check, the same case left out.
            let again = try host.speakup(as: host.admin, ["recover", "--for", newcomer, "--cases-of", host.guardian], input: String(keyLine) + "\n")
            #expect(again.status == 3 && !again.stdout.contains("Checked"), "\(again.stdout)\(again.stderr)")
        }

        @Test("a guardian who opens older sealed-name cases checks a handler who joined since against each name, in their own session: the case about someone else is shared with the newcomer, the one naming them is not")
        func newcomerCheckedInAHandlersSession() throws {
            let host = try SharedHost()
            _ = try host.speakup(as: host.admin, ["store", "recovery-key"])
            try host.chooseKey(as: host.guardian)
            let other = try #require(HandlingTests.reference(on: try host.fileOpenReport("Brusque\(host.tag) words at handover.", about: "Dr Quibble\(host.tag)")))
            let aboutThem = try #require(HandlingTests.reference(on: try host.fileOpenReport("Curt\(host.tag) words at handover.", about: "Nadia Newcomer")))
            let newcomer = "su\(host.tag)new"
            try host.addUser(newcomer, fullName: "Nadia Newcomer", groups: ["speakup-guardians"])
            try host.chooseKey(as: newcomer)
            let store = try SQLiteReportStore(path: host.store)
            #expect(try store.caseKeys(try #require(CaseReference(other)))[newcomer] == nil, "not shared before anyone checked them")

            // The guardian opens both cases in the workspace.
            let desk = try host.tmux(as: host.guardian, ["cases"])
            try desk.enterPassphrase()
            try desk.waitFor(other)
            try desk.waitFor(aboutThem)
            try desk.press("Enter")
            let opened = try desk.waitFor("Raised openly")
            let first = opened.contains("Case \(other)") ? other : aboutThem
            let second = first == other ? aboutThem : other
            // Back in the queue both show again (an open case shows only its own reference).
            try desk.press("Escape")
            try desk.waitFor(second)
            try desk.press("Down")
            try desk.press("Enter")
            try desk.waitFor("Case \(second)")
            try desk.press("Escape")
            try desk.waitFor(first)
            try desk.press("q")
            #expect(try desk.exitStatus() == 0)

            let checked = try store.auditRecords().filter { $0.entry.action == "subject-checked" }
            #expect(checked.count == 2 && checked.allSatisfy { $0.entry.actor == host.guardian }, "\(checked.map(\.entry))")
            #expect(!checked.contains { ($0.entry.detail ?? "").contains("Newcomer") || ($0.entry.detail ?? "").contains("Quibble") })
            #expect(try store.caseKeys(try #require(CaseReference(other)))[newcomer] != nil, "shared with the newcomer the name does not fit")
            #expect(try store.caseKeys(try #require(CaseReference(aboutThem)))[newcomer] == nil, "never with the one it names")
            let trail = try host.speakup(as: host.admin, ["audit", "verify"])
            #expect(trail.status == 0, "\(trail.stdout)\(trail.stderr)")
        }

        @Test("left idle, the workspace counts down, locks and asks for the passphrase again; a bad --lock-after is refused")
        func idleLock() throws {
            let host = try SharedHost()
            let refused = try host.speakup(as: host.guardian, ["cases", "--lock-after", "5"], environment: ["TERM": "xterm-256color"])
            #expect(refused.status == 64 && refused.stderr.contains("from 20 to 600"))
            let desk = try host.tmux(as: host.guardian, ["cases", "--lock-after", "20"])
            try desk.enterPassphrase()
            try desk.waitFor("Cases for \(host.guardian)", timeout: 30)
            try desk.waitForWords("the workspace will lock in", timeout: 30)
            try desk.waitFor("Your passphrase", timeout: 30)
            #expect(!(try desk.screen()).contains("Cases for"), "nothing of the workspace is left on screen")
            try desk.enterPassphrase()
            try desk.waitFor("Cases for \(host.guardian)", timeout: 30)
            try desk.press("q")
            #expect(try desk.exitStatus() == 0)
        }
    }
}
