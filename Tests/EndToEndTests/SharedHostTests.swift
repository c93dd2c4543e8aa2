import Foundation
import Glibc
import Testing

/// The shared-host install, tried with real Unix users: `make install-built` into a
/// temporary prefix, then each person runs the setgid binary through runuser.
extension SharedHostSuites {
    @Suite("End to end: a shared host with real users", .enabled(if: SharedHost.isPossible, "needs root to make users"))
    struct SharedHostTests {
        @Test("make install lays out a setgid binary, a 2770 root:speakup store folder and root-owned settings")
        func layout() throws {
            let host = try SharedHost()
            let binary = SharedHost.mode(host.binary)
            #expect(binary.mode == 0o2755 && binary.user == 0 && binary.group == "speakup")
            let folder = SharedHost.mode(host.storeFolder)
            #expect(folder.mode == 0o2770 && folder.user == 0 && folder.group == "speakup")
            let settings = SharedHost.mode(host.settings)
            #expect(settings.mode == 0o644 && settings.user == 0)
            // The secret that lets a sealing store seal subjects' names: readable by root and the setgid binary only.
            let secretPath = URL(fileURLWithPath: host.settings).deletingLastPathComponent().appendingPathComponent("subject-key").path
            let secret = SharedHost.mode(secretPath)
            #expect(secret.mode == 0o640 && secret.user == 0 && secret.group == "speakup")
            let text = try String(contentsOfFile: secretPath, encoding: .utf8)
            #expect(text.count == 65 && text.dropLast().allSatisfy(\.isHexDigit) && text.last == "\n")
            #expect(try host.run(as: host.reporter, "/bin/cat", [secretPath]).status != 0, "a reporter cannot read it")
        }

        @Test("identity is the real uid: $USER, $LOGNAME and $HOME saying 'guardian' give a reporter no handler or administrator access")
        func environmentIgnored() throws {
            let host = try SharedHost()
            let pretend = ["USER": host.guardian, "LOGNAME": host.guardian, "HOME": "/home/\(host.guardian)"]
            let whoami = try host.speakup(as: host.reporter, ["whoami"], environment: pretend)
            #expect(whoami.status == 0)
            #expect(whoami.stdout.contains("You are \(host.reporter) (uid"))
            #expect(whoami.stdout.contains("- reporter"))
            #expect(!whoami.stdout.contains("- handler") && !whoami.stdout.contains("- administrator"))
            let export = try host.speakup(as: host.reporter, ["export", "json"], environment: pretend)
            #expect(export.status == 77)
            #expect(export.stderr.contains("Only an administrator of SpeakUp may export the store, and your account (\(host.reporter)) is not one here."))
            #expect(export.stdout.isEmpty)
            // The real guardian and administrator do hold their roles.
            #expect(try host.speakup(as: host.guardian, ["whoami"]).stdout.contains("- handler"))
            #expect(try host.speakup(as: host.admin, ["whoami"]).stdout.contains("- administrator"))
            // $SPEAKUP_DB is not read by an installed SpeakUp: the administrator's export is still the shared store's.
            let elsewhere = try host.speakup(as: host.admin, ["audit", "verify"], environment: ["SPEAKUP_DB": "/tmp/speakup-not-there.sqlite"])
            #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
            #expect(FileManager.default.fileExists(atPath: host.store))
            #expect(!FileManager.default.fileExists(atPath: "/tmp/speakup-not-there.sqlite"))
        }

        @Test("a report filed by a reporter is in the store, which the reporter cannot open with sqlite3 or cat")
        func storeClosedToStaff() throws {
            let host = try SharedHost()
            let tmux = try host.tmux(as: host.reporter, [])
            try tmux.waitFor("How would you like to raise this concern?")
            try tmux.press("Down", "Down", "Down", "Enter")  // anonymous
            try ReportInTmuxTests.quickAnswers(tmux)
            try ReportInTmuxTests.sendAnonymousAccount(tmux, "Threw a chart at the student nurse.", thenWaitFor: "Your receipt code is")
            try tmux.press("Enter")
            #expect(try tmux.exitStatus() == 0)
            let reports = try host.exported()
            #expect(reports.count == 1)
            #expect(reports.first?["account"] as? String == "Threw a chart at the student nurse.")
            let sqlite = try host.run(as: host.reporter, "/usr/bin/sqlite3", [host.store, "SELECT account FROM report"])
            #expect(sqlite.status != 0)
            #expect(sqlite.stdout.isEmpty)
            #expect(sqlite.stderr.contains("unable to open database"))
            let cat = try host.run(as: host.reporter, "/bin/cat", [host.store])
            #expect(cat.status != 0 && cat.stderr.contains("Permission denied"))
            // Even --db at the real path is opened without the group privilege.
            let direct = try host.speakup(as: host.reporter, ["export", "json", "--db", host.store])
            #expect(direct.status != 0 && direct.stdout.isEmpty)
        }

        @Test("a store file or folder opened to everyone makes SpeakUp refuse to start, with the command to fix it")
        func widePermissionsRefused() throws {
            let host = try SharedHost()
            let seed = try host.speakup(as: host.admin, ["audit", "verify"])
            #expect(seed.status == 0, "\(seed.stderr)")  // creates the store
            chmod(host.store, 0o666)
            let refused = try host.speakup(as: host.admin, ["audit", "verify"])
            #expect(refused.status == 78)
            #expect(refused.stderr.contains("can be opened by everyone (mode 0666)"))
            #expect(refused.stderr.contains("chmod 660 \(host.store)"))
            let tmux = try host.tmux(as: host.reporter, [])
            #expect(try tmux.exitStatus() == 78)
            #expect(try tmux.screen().contains("SpeakUp will not start"))
            chmod(host.store, 0o660)
            if FileManager.default.fileExists(atPath: host.store + "-wal") {
                chmod(host.store + "-wal", 0o666)
                let wal = try host.speakup(as: host.admin, ["audit", "verify"])
                #expect(wal.status == 78 && wal.stderr.contains("\(host.store)-wal"))
                chmod(host.store + "-wal", 0o660)
            }
            chmod(host.storeFolder, 0o2777)
            let folder = try host.speakup(as: host.admin, ["audit", "verify"])
            #expect(folder.status == 78 && folder.stderr.contains("chmod 2770 \(host.storeFolder)"))
            chmod(host.storeFolder, 0o2770)
            #expect(try host.speakup(as: host.admin, ["audit", "verify"]).status == 0)
        }

        @Test("settings anyone could change are refused: they decide who holds which role")
        func writableSettingsRefused() throws {
            let host = try SharedHost()
            chmod(host.settings, 0o666)
            let result = try host.speakup(as: host.reporter, ["whoami"])
            #expect(result.status == 78)
            #expect(result.stderr.contains("can be changed by someone other than root"))
        }

        @Test("audit verify: the whole chain holds; one changed byte in a record is found and named")
        func auditTampering() throws {
            let host = try SharedHost()
            for account in ["Mocked a patient's accent.", "Left a confused patient alone."] { try host.fileOpenReport(account) }
            let good = try host.speakup(as: host.admin, ["audit", "verify"])
            #expect(good.status == 0, "\(good.stderr)")
            #expect(good.stdout.contains("every one is as it was written"))
            #expect(good.stdout.contains("--anchor "))
            // Reporters may not even run the check.
            #expect(try host.speakup(as: host.reporter, ["audit", "verify"]).status == 77)
            // Root changes one byte of record 2's actor behind the program's back.
            let tamper = try Command.run("/usr/bin/sqlite3", [host.store, """
                DROP TRIGGER audit_record_no_update;
                UPDATE audit_record SET actor = 'X' || substr(actor, 2) WHERE position = 2;
                """])
            #expect(tamper.status == 0, "\(tamper.stderr)")
            let bad = try host.speakup(as: host.admin, ["audit", "verify"])
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("The audit trail is broken at record 2 of"))
            #expect(bad.stderr.contains("its contents were changed after it was written"))
        }
    }
}
