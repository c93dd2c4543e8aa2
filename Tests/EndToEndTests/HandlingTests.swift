import Foundation
import Glibc
import Testing

extension SharedHostSuites {
    /// The guardian's week, with real users on an installed host: a report by one person, handled
    /// in `speakup cases` by another, with the reporter answering through follow-up by receipt.
    @Suite("End to end: a guardian handles a case to the end", .enabled(if: SharedHost.isPossible, "needs root to make users"))
    struct HandlingTests {
        /// The 16 digits of the receipt code on the confirmation screen.
        static func receipt(on screen: String) -> String? {
            guard let line = screen.split(separator: "\n").first(where: { $0.contains("Your receipt code is") }) else { return nil }
            let digits = line.filter(\.isNumber)
            return digits.count == 16 ? String(digits) : nil
        }

        static func reference(on screen: String) -> String? {
            guard let range = screen.range(of: #"SU-[0-9A-Z]{4}-[0-9A-Z]{4}"#, options: .regularExpression) else { return nil }
            return String(screen[range])
        }

        @Test("reported anonymously by one user, acknowledged, messaged, answered by receipt, closed by the guardian, and the reporter asked to speak up again (on a store that seals, too)",
              arguments: [false, true])
        func wholeCase(sealing: Bool) throws {
            let host = try SharedHost()
            if sealing {
                // The trust's recovery key, and the guardian's passphrase, so the case is sealed for them.
                #expect(try host.speakup(as: host.admin, ["store", "recovery-key"]).status == 0)
                try host.chooseKey(as: host.guardian)
            }
            // 1. The reporter speaks up anonymously.
            let report = try host.tmux(as: host.reporter, [])
            try report.waitFor("How would you like to raise this concern?")
            try report.press("Down", "Down", "Down", "Enter")  // anonymous
            try ReportInTmuxTests.quickAnswers(report)
            let saved = try ReportInTmuxTests.sendAnonymousAccount(report, "Left a confused patient alone in the bath.", thenWaitFor: "Your receipt code is")
            let code = try #require(Self.receipt(on: saved))
            let reference = try #require(Self.reference(on: saved))
            try report.press("Enter")
            #expect(try report.exitStatus() == 0)

            // A reporter cannot open the workspace, whatever $USER says.
            let sneaky = try host.speakup(as: host.reporter, ["cases"], environment: ["USER": host.guardian, "LOGNAME": host.guardian, "TERM": "xterm-256color"])
            #expect(sneaky.status == 77 && sneaky.stderr.contains("Only a handler or an administrator of SpeakUp may open the cases workspace"))

            // 2. The guardian finds it in the queue, acknowledges it and writes to the reporter.
            let desk = try host.tmux(as: host.guardian, ["cases"])
            try desk.enterPassphrase()
            try desk.waitFor("Cases for \(host.guardian)")
            try desk.waitFor(reference)
            try desk.press("Enter")
            try desk.waitFor("Raised anonymously")
            try desk.press("a")
            try desk.waitFor("Acknowledged.")
            try desk.press("m")
            try desk.waitFor("Message to the reporter")
            try desk.type("Thank you for telling us. Which day was it?")
            try desk.press("Tab")
            try desk.waitFor("Send this message to the reporter?")
            try desk.press("S")
            try desk.waitFor("Your message is saved")

            // 3. The reporter comes back with the receipt, reads the message and answers.
            let followUp = try host.tmux(as: host.reporter, ["follow-up"])
            try followUp.waitFor("Receipt code")
            try followUp.type(code)
            try followUp.press("Enter")
            try followUp.waitFor("Thank you for telling us. Which day was it?")
            try followUp.press("r")
            try followUp.type("It was Tuesday night.")
            try followUp.press("Tab")
            try followUp.waitFor("Send this reply?")
            try followUp.press("s")
            try followUp.waitFor("Your message is saved")
            try followUp.press("C-c")

            // 4. The guardian sees the answer and closes the case with what was learned.
            try desk.press("Escape")
            try desk.waitFor("Showing:")
            try desk.press("Enter")
            try desk.waitFor("Raised anonymously")
            try desk.press("End")
            try desk.waitFor("It was Tuesday night.")
            try desk.press("c")
            try desk.waitFor("Close the case: the outcome")
            try desk.press("Down", "Enter")
            try desk.waitFor("What was learned?")
            try desk.type("Bath checks added to the night routine.")
            try desk.press("Tab")
            try desk.waitFor("Close the case as")
            try desk.press("S")
            try desk.waitFor("Closed.")
            try desk.press("Escape")
            try desk.waitFor("Showing:")
            try desk.press("q")
            #expect(try desk.exitStatus() == 0)

            // 5. The reporter sees it closed and is asked whether they would speak up again.
            let last = try host.tmux(as: host.reporter, ["follow-up"])
            try last.waitFor("Receipt code")
            try last.type(code)
            try last.press("Enter")
            try last.waitFor("Status: Closed.")
            try last.waitFor("would you speak up again")
            try last.press("Down", "Enter")  // nothing is highlighted at first: Down onto "yes"
            try last.waitFor("Your answer is saved")

            // The timeline, as the administrator exports it: every step an event, with who did it.
            let exported = try #require(try host.exported().first { $0["reference"] as? String == reference })
            let events = try #require(exported["events"] as? [[String: Any]])
            #expect(events.compactMap { $0["kind"] as? String } == [
                "received", "routed", "acknowledged", "handler-message", "reporter-message", "note", "closed", "speak-up-again",
            ])
            #expect(events.map { $0["actor"] as? String } == [nil, "speakup-rules", host.guardian, host.guardian, nil, host.guardian, host.guardian, nil])
            // What was learned is the organisation's: the reporter's follow-up never showed it.
            #expect(!(try last.screen()).contains("Bath checks"))
            // Opening the case is in the audit trail (and the check holds).
            let audit = try host.speakup(as: host.admin, ["audit", "verify"])
            #expect(audit.status == 0, "\(audit.stderr)")
            let opened = try Command.run("/usr/bin/sqlite3", [host.store, "SELECT count(*) FROM audit_record WHERE action = 'opened' AND actor = '\(host.guardian)'"])
            #expect(Int(opened.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 2)
            if sealing {
                // Sealed: the account, the message, the reply and what was learned are nowhere in the store's files.
                for words in ["confused patient", "Which day was it", "Tuesday night", "Bath checks"] {
                    #expect(host.storeBytes().range(of: Data(words.utf8)) == nil, "\(words) is in the store's files")
                }
            }
        }

        @Test("export ngo on a seeded quarter matches the figures counted by hand; bad quarters get a sentence")
        func ngoReturn() throws {
            let host = try SharedHost()
            let seed = host.prefix + "/seed.json"
            try """
                [
                 {"format_version":2,"reference":"SU-AAAA-0001","way_of_raising":"anonymous","concerns":["unsafe-practice","rude-or-aggressive"],"subject_seniority":"manager","location":"Ward 7","account":"One.","reporter":null,"submitted":"2026-10-01","events":[]},
                 {"format_version":2,"reference":"SU-AAAA-0002","way_of_raising":"open","concerns":["bullying-or-harassment"],"subject_seniority":"staff","location":"","account":"Two.","reporter":{"user":"ben","uid":1002},"submitted":"2026-11-15T10:00:00Z","events":[],"reporter_details":{"name":"Ben","contact":"","professional_group":"nursing"}},
                 {"format_version":2,"reference":"SU-AAAA-0003","way_of_raising":"confidential","concerns":["discrimination","detriment"],"subject_seniority":"staff","location":"","account":"Three.","reporter":{"user":"cara","uid":1003},"submitted":"2026-09-30T10:00:00Z","events":[{"sequence":1,"kind":"received","at":"2026-09-30T10:00:00Z","text":null},{"sequence":2,"kind":"speak-up-again","at":"2026-10-02T10:00:00Z","text":"no"}],"reporter_details":{"name":"Cara","contact":"","professional_group":"medical-dental"}}
                ]
                """.write(toFile: seed, atomically: true, encoding: .utf8)
            chmod(seed, 0o644)
            let imported = try host.speakup(as: host.admin, ["import", seed])
            #expect(imported.status == 0, "\(imported.stderr)")
            let csv = try host.speakup(as: host.admin, ["export", "ngo", "--quarter", "2026Q3", "--format", "csv"])
            #expect(csv.status == 0, "\(csv.stderr)")
            let figures = Dictionary(uniqueKeysWithValues: csv.stdout.split(separator: "\n").dropFirst().map { line -> (String, Int) in
                let parts = line.split(separator: ",")
                return (String(parts[1]), Int(parts[2]) ?? -1)
            })
            #expect(figures["cases raised"] == 2)
            #expect(figures["cases raised anonymously"] == 1)
            #expect(figures["cases with an element of patient safety or quality"] == 1)
            #expect(figures["cases with an element of bullying or harassment"] == 1)
            #expect(figures["cases with an element of inappropriate attitudes or behaviours"] == 1)
            #expect(figures["cases with an element of detriment for speaking up"] == 0)
            #expect(figures["cases raised by professional group: nursing"] == 1)
            #expect(figures["feedback: would speak up again: no"] == 1)
            #expect(!csv.stdout.contains("One.") && !csv.stdout.contains("Two."))  // no free text
            for bad in ["2026Q5", "Q3", "2026-Q3"] {
                let refused = try host.speakup(as: host.admin, ["export", "ngo", "--quarter", bad])
                #expect(refused.status == 64 && refused.stderr.contains("is not a quarter"))
            }
            let future = try host.speakup(as: host.admin, ["export", "ngo", "--quarter", "2031Q1"])
            #expect(future.status == 64 && future.stderr.contains("has not started yet"))
            // Reporters get neither the return nor the statistics.
            #expect(try host.speakup(as: host.reporter, ["export", "ngo", "--quarter", "2026Q3"]).status == 77)
            #expect(try host.speakup(as: host.reporter, ["stats"]).status == 77)
            let stats = try host.speakup(as: host.guardian, ["stats"])
            #expect(stats.status == 0 && stats.stdout.contains("<5"))
        }

        @Test("escalate tick makes reminders once, and runs the notify-command with no report content in it and none of its open files")
        func remindersNotify() throws {
            let host = try SharedHost()
            // The notifier runs as the administrator, without the speakup group: it writes where they may.
            try FileManager.default.createDirectory(atPath: host.prefix + "/out", withIntermediateDirectories: true)
            chmod(host.prefix + "/out", 0o777)
            let notified = host.prefix + "/out/notified"
            var settings = try String(contentsOfFile: host.settings, encoding: .utf8)
            // Through a shell that first lists the descriptors it was given: only standard input, output and error.
            settings += "\nnotify-command: [/bin/sh, -c, 'ls /proc/$$/fd > \"$0-descriptors\"; exec /usr/bin/tee -a \"$0\"', \"\(notified)-{handler}\"]\n"
            try settings.write(toFile: host.settings, atomically: true, encoding: .utf8)
            chmod(host.settings, 0o644)
            try host.fileOpenReport("Threw the handover sheet in the bin.")
            // Six and a half days on, the acknowledgement is due within a day.
            let soon = Date().addingTimeInterval(6.5 * 86_400).formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
            let tick = try host.speakup(as: host.admin, ["escalate", "tick", "--now", soon])
            #expect(tick.status == 0, "\(tick.stderr)")
            #expect(tick.stdout.contains("reminder for \(host.guardian): acknowledge is due by"))
            let sent = try String(contentsOfFile: notified + "-" + host.guardian, encoding: .utf8)
            #expect(sent.contains("SpeakUp: please acknowledge case SU-"))
            #expect(!sent.contains("handover sheet") && !sent.contains("Rita"))
            // None of the tick's own files or connections went with it.
            let descriptors = try String(contentsOfFile: notified + "-" + host.guardian + "-descriptors", encoding: .utf8)
            // (10 is the shell's own: dash keeps its standard output there while `ls` writes to the file.)
            #expect(Set(descriptors.split(separator: "\n")).subtracting(["0", "1", "2", "10"]).isEmpty, "the notifier inherited: \(descriptors)")
            // Once only.
            let again = try host.speakup(as: host.admin, ["escalate", "tick", "--now", soon])
            #expect(!again.stdout.contains("reminder for"))
            // The workspace opens on it.
            let desk = try host.tmux(as: host.guardian, ["cases"])
            try desk.enterPassphrase()
            try desk.waitFor("Deadlines that need you")
        }

        @Test("a guardian passes a case to an eligible handler of another role, then that handler steps away: each loses it, and it never returns")
        func reassignAndStepAway() throws {
            let host = try SharedHost()
            let independent = "su\(host.tag)ind"
            // Only a group this test made is removed afterwards: one the host already had is left alone.
            let made = try Command.run("/usr/bin/getent", ["group", "speakup-independent"]).status != 0
            if made { _ = try Command.run("/usr/sbin/groupadd", ["speakup-independent"]) }
            defer { if made { _ = try? Command.run("/usr/sbin/groupdel", ["speakup-independent"]) } }
            try host.addUser(independent, fullName: "Ina Independent", groups: ["speakup-independent"])
            let reference = try #require(Self.reference(on: try host.fileOpenReport("Shouted at a healthcare assistant.")))

            let desk = try host.tmux(as: host.guardian, ["cases"])
            try desk.enterPassphrase()
            try desk.waitFor(reference)
            try desk.press("Enter")
            try desk.waitFor("Raised openly")
            try desk.press("r")
            try desk.waitFor("Pass the case to")
            try desk.waitFor(independent)
            try desk.press("Enter")
            try desk.waitFor("is no longer with you")
            #expect(!(try desk.screen()).split(separator: "\n").contains { $0.hasPrefix("› \(reference)") || $0.hasPrefix("  \(reference)") })

            let other = try host.tmux(as: independent, ["cases"])
            try other.enterPassphrase()
            try other.waitFor(reference)
            try other.press("Enter")
            try other.waitFor("Raised openly")
            try other.press("x")
            try other.waitFor("Step away from this case")
            try other.press("y")
            // Nobody else held it, so it went to the eligible handlers (passing a case on is not a conflict,
            // so the guardian may have it back); the one who stepped away never sees it again.
            try other.waitFor("is no longer with you")
            let exported = try #require(try host.exported().first { $0["reference"] as? String == reference })
            let kinds = (exported["events"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds.suffix(2) == ["reassigned", "recused"])
            let holders = try Command.run("/usr/bin/sqlite3", [host.store, "SELECT handler FROM case_handler WHERE reference = '\(reference)'"])
            #expect(!holders.stdout.contains(independent))
            #expect(!holders.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        }
    }
}
