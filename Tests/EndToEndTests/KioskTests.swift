import Foundation
import Glibc
import Testing
import SpeakUpCore

/// `speakup kiosk` and `speakup ward` on an installed shared host, run as their own Unix logins.
extension SharedHostSuites {
    @Suite("End to end: kiosks and ward terminals", .enabled(if: SharedHost.isPossible, "needs root to make users"))
    struct KioskTests {
        /// From the welcome screen to the check page of an anonymous kiosk report.
        static func fillKioskReport(_ tmux: Tmux, account: String) throws {
            try tmux.waitFor("Report a concern")
            try tmux.press("Enter")
            try tmux.waitFor("Reports made at this kiosk are anonymous")
            try tmux.press("Enter")  // the only way, anonymous, is already chosen
            try ReportInTmuxTests.quickAnswers(tmux)
            try tmux.type(account)
            try tmux.press("Tab", "Tab")
            try tmux.waitFor("What would you like to happen?")
            try tmux.press("Down", "Enter", "Enter", "Enter")
            try tmux.waitFor("Please check your report")
        }

        func isRunning(_ tmux: Tmux) throws -> Bool {
            !(try tmux.screen().contains("[exited "))
        }

        @Test("no control key leaves the kiosk or reaches a shell, on the welcome screen or in the form")
        func controlKeys() throws {
            let host = try SharedHost()
            let tmux = try host.tmux(as: host.kioskLogin, ["kiosk"])
            try tmux.waitFor("Speak-up kiosk")
            let keys = (UInt8(ascii: "a")...UInt8(ascii: "z")).map { "C-" + String(UnicodeScalar($0)) } + ["C-\\", "C-]", "C-^", "C-_", "Escape", "F10", "F12"]
            for key in keys { try tmux.press(key) }
            // Whatever those keys did (Enter is C-m, so a form may have opened), the kiosk is still here.
            try tmux.waitFor("the kiosk, still running") { $0.contains("SpeakUp") && !$0.contains("[exited ") }
            try tmux.press("C-c")
            try tmux.waitFor("the welcome screen again") { $0.contains("Speak-up kiosk") || $0.contains("leave without sending") }
            for key in keys where key != "C-m" && key != "C-j" { try tmux.press(key) }
            // Bytes that are not UTF-8 (a stray 0xFF, a meta key) are refused, not taken as a hang-up.
            try tmux.run(["send-keys", "-t", tmux.target, "-H", "ff", "c3", "28", "fe"])
            try tmux.press("M-x", "Up", "Down")
            try tmux.waitUntilSettled()
            #expect(try isRunning(tmux))
            let pid = try tmux.programPID()
            #expect(kill(pid, 0) == 0)
            // The administrator's SIGTERM stops it, and the terminal is given back.
            let speakupPID = try Command.run("/usr/bin/pgrep", ["-u", host.kioskLogin, "-x", "speakup"]).stdout
                .split(separator: "\n").compactMap { Int32($0) }.first
            #expect(speakupPID != nil)
            kill(speakupPID ?? 0, SIGTERM)
            #expect(try tmux.exitStatus() == 143)
        }

        @Test("a 200-character terminal title escape typed into a kiosk field changes no title and is kept as harmless text")
        func titleEscape() throws {
            let host = try SharedHost()
            let tmux = try host.tmux(as: host.kioskLogin, ["kiosk"])
            try tmux.waitFor("Speak-up kiosk")
            let titleBefore = try tmux.value("#{pane_title}")
            try tmux.press("Enter")
            try tmux.waitFor("Reports made at this kiosk are anonymous")
            try tmux.press("Enter")
            try ReportInTmuxTests.quickAnswers(tmux)
            let escape = "\u{1B}]0;" + String(repeating: "P", count: 200) + "\u{07}"
            try tmux.type("Before " + escape + " after")
            try tmux.waitFor("the typed text") { $0.contains("after") }
            #expect(try tmux.value("#{pane_title}") == titleBefore)
            #expect(try isRunning(tmux))
            #expect(!(try tmux.screen()).contains("\u{1B}"))
            try tmux.press("Tab", "Tab")
            try tmux.waitFor("What would you like to happen?")
            try tmux.press("Down", "Enter", "Enter", "Enter")
            try tmux.waitFor("Please check your report")
            try tmux.press("s")
            try tmux.waitFor("Your receipt code is")
            #expect(try tmux.value("#{pane_title}") == titleBefore)
            let reports = try host.exported()
            let account = try #require(reports.first?["account"] as? String)
            #expect(account.hasPrefix("Before") && account.hasSuffix("after"))
        }

        @Test("two kiosks sending at the same second both land; neither report holds anything that leads to a person")
        func twoKiosksAndAnonymityOnDisk() throws {
            let host = try SharedHost()
            let first = try host.tmux(as: host.kioskLogin, ["kiosk", "--location", "Main entrance"])
            let second = try host.tmux(as: host.kioskLogin, ["kiosk", "--location", "Main entrance"])
            try Self.fillKioskReport(first, account: "Shouted at a porter in the lift.")
            try Self.fillKioskReport(second, account: "Refused to wash hands before a dressing.")
            let sending = Date()
            try first.press("s")
            try second.press("s")
            try first.waitFor("Your receipt code is")
            try second.waitFor("Your receipt code is")
            let sentAt = Date()
            try first.press("Enter")
            try first.waitFor("Thank you for speaking up. Your report is saved")
            #expect(!(try first.screen()).contains("Shouted at a porter"))

            let reports = try host.exported()
            #expect(reports.count == 2)
            for report in reports {
                #expect(report["way_of_raising"] as? String == "anonymous")
                #expect(report["reporter"] is NSNull)
                #expect((report["submitted"] as? String)?.count == 10)
                let station = report["station"] as? [String: Any]
                #expect(station?["kind"] as? String == "kiosk")
                #expect(station?["location"] as? String == "Main entrance")
            }
            #expect(Set(reports.compactMap { $0["reference"] as? String }).count == 2)

            // Nothing in the database, its log or its shared memory (the audit trail included) names
            // the kiosk's login, its home, its terminal, or the minute the reports were sent.
            let bytes = host.storeBytes()
            let uid = try #require(getpwnam(host.kioskLogin).map { $0.pointee.pw_uid })
            var forbidden = [host.kioskLogin, "/home/\(host.kioskLogin)", "pts/"]
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            // Every minute the reports could have been stamped with, from before the sends to after the receipts,
            // so a minute that turns over meanwhile is searched for too.
            var minute = sending.addingTimeInterval(-60)
            while minute <= sentAt.addingTimeInterval(60) {
                let parts = utc.dateComponents([.hour, .minute], from: minute)
                forbidden.append("T" + parts.hour!.zeroPadded(2) + ":" + parts.minute!.zeroPadded(2))
                minute = minute.addingTimeInterval(60)
            }
            for text in forbidden {
                #expect(bytes.range(of: Data(text.utf8)) == nil, "the store holds \(text.debugDescription)")
            }
            // The kiosk login's uid, as a number standing on its own (not inside a longer one).
            #expect(!Self.holdsNumber(bytes, String(uid)), "the store holds the kiosk's uid \(uid)")
            // The kiosk writes no logs or other files of its own.
            let home = try Command.run("/usr/bin/find", ["/home/\(host.kioskLogin)", "-newer", host.settings, "-type", "f"])
            #expect(home.stdout.isEmpty, "files written: \(home.stdout)")
        }

        /// Whether `number` appears in `bytes` with no digit either side.
        static func holdsNumber(_ bytes: Data, _ number: String) -> Bool {
            let needle = Data(number.utf8)
            var start = bytes.startIndex
            while let found = bytes.range(of: needle, in: start..<bytes.endIndex) {
                let before = found.lowerBound > bytes.startIndex ? bytes[found.lowerBound - 1] : nil
                let after = found.upperBound < bytes.endIndex ? bytes[found.upperBound] : nil
                let isDigit = { (byte: UInt8?) in byte.map { (0x30...0x39).contains($0) } ?? false }
                if !isDigit(before) && !isDigit(after) { return true }
                start = found.lowerBound + 1
            }
            return false
        }

        @Test("a kiosk's hourly limit holds the next report back with its words kept, and says so")
        func hourlyLimit() throws {
            let host = try SharedHost()
            let tmux = try host.tmux(as: host.kioskLogin, ["kiosk", "--submissions-per-hour", "1"])
            try Self.fillKioskReport(tmux, account: "First report.")
            try tmux.press("s")
            try tmux.waitFor("Your receipt code is")
            try tmux.press("Enter")
            try Self.fillKioskReport(tmux, account: "Second report.")
            try tmux.press("s")
            try tmux.waitFor("This kiosk takes at most 1 report an hour")
            #expect(try tmux.screen().contains("Please check your report"))
            #expect(try host.exported().count == 1)

            // A hang-up (the kiosk's process ended, as getty would restart it) does not reset the count.
            tmux.kill()
            let again = try host.tmux(as: host.kioskLogin, ["kiosk", "--submissions-per-hour", "1"])
            try Self.fillKioskReport(again, account: "Third report, after a restart.")
            try again.press("s")
            try again.waitFor("This kiosk takes at most 1 report an hour")
            #expect(try host.exported().count == 1)
        }

        @Test("only an account the settings name runs as a kiosk or ward terminal; its place and limit come from the settings")
        func configuredNotClaimed() throws {
            let host = try SharedHost()
            // A member of staff claiming to be the main entrance's kiosk, with a limit of their own.
            for command in [["kiosk", "--location", "Main entrance", "--submissions-per-hour", "1000"], ["kiosk"], ["ward"]] {
                let claimed = try host.speakup(as: host.reporter, command, environment: ["TERM": "xterm-256color"])
                #expect(claimed.status == 77, "\(command): \(claimed.stderr)")
                #expect(claimed.stderr.contains("This account (\(host.reporter)) is not set up as a"))
                #expect(claimed.stderr.contains("IT can add it under"))
            }
            // The kiosk's own login may not relabel its reports or raise its limit.
            let relabelled = try host.speakup(as: host.kioskLogin, ["kiosk", "--location", "Ward 9"], environment: ["TERM": "xterm-256color"])
            #expect(relabelled.status == 64)
            #expect(relabelled.stderr.contains("--location cannot change where this kiosk's reports say they were made"))
            let raised = try host.speakup(as: host.kioskLogin, ["kiosk", "--submissions-per-hour", "1000"], environment: ["TERM": "xterm-256color"])
            #expect(raised.status == 64)
            #expect(raised.stderr.contains("--submissions-per-hour can only be lower than the settings' 5"))
            #expect(try host.exported().isEmpty)
        }

        @Test("a ward terminal on the login's own store is refused: its login could read the reports back")
        func wardNeedsSharedStore() throws {
            let result = try Command.run(Binary.speakup, ["ward"], environment: ["PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "HOME": "/tmp"])
            #expect(result.status == 78)
            #expect(result.stderr.contains("needs SpeakUp installed for a shared host"))
        }

        @Test("a kiosk with TERM unset says so in a sentence and stops")
        func termUnset() throws {
            let host = try SharedHost()
            let tmux = try host.tmux(as: host.kioskLogin, ["kiosk"], environment: [:])
            #expect(try tmux.exitStatus() == 2)
            #expect(try tmux.screen().contains("TERM"))
        }

        @Test("a ward terminal: a given name is kept as given (the shared login is not), and an idle form is cleared")
        func ward() throws {
            let host = try SharedHost()
            let tmux = try host.tmux(as: host.wardLogin, ["ward", "--location", "Ward 7", "--idle-timeout", "6s"])
            try tmux.waitFor("Shared ward terminal · Ward 7")
            try tmux.press("Enter")
            try tmux.waitFor("How would you like to raise this concern?")
            try tmux.press("Down", "Down", "Enter")  // confidential
            try ReportInTmuxTests.quickAnswers(tmux)
            try tmux.type("Locked the sluice room with a patient inside.")
            try tmux.press("Tab", "Tab")
            try tmux.waitFor("What would you like to happen?")
            try tmux.press("Down", "Enter", "Enter", "Enter")
            try tmux.waitFor("About you")
            #expect(!(try tmux.screen()).contains("Ward 7 terminal"))  // the login's name is not offered
            try tmux.type("Sam Okafor")
            try tmux.press("Enter", "Enter")
            try tmux.waitFor("Your professional group")
            try tmux.press("Tab")
            try tmux.waitFor("About you, for the figures")
            for _ in Characteristic.allCases { try tmux.press("Tab") }
            try tmux.waitFor("Please check your report")
            try tmux.press("s")
            try tmux.waitFor("Your receipt code is")
            try tmux.press("Enter")
            try tmux.waitFor("Your report is saved")
            let report = try #require(try host.exported().first)
            #expect(report["reporter"] is NSNull)
            #expect((report["reporter_details"] as? [String: Any])?["name"] as? String == "Sam Okafor")
            #expect((report["station"] as? [String: Any])?["kind"] as? String == "ward")
            #expect(report["location"] as? String == "Ward 7")
            // Someone starts a form and walks away: the countdown, then the welcome again.
            try tmux.press("Enter")
            try tmux.waitFor("How would you like to raise this concern?")
            try tmux.press("Down")
            try tmux.type("x")  // chooses the first way, as x on a list does: a started form
            try tmux.waitFor("this screen will be cleared in", timeout: 10)
            try tmux.waitFor("The last form was cleared after 6 seconds without a key", timeout: 15)
            #expect(try host.exported().count == 1)
            // No draft was ever written, for the shared login or anyone.
            let drafts = try Command.run("/usr/bin/sqlite3", [host.store, "SELECT count(*) FROM draft"])
            #expect(drafts.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(drafts.stderr)")
            try tmux.press("C-q")
            #expect(try tmux.exitStatus() == 0)
        }
    }
}
