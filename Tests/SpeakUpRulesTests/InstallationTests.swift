import Testing
@testable import SpeakUpRules

@Suite("The installed settings file")
struct InstallationTests {
    @Test("the shipped example reads, with its store, rules, roles and stations")
    func example() throws {
        let text = """
            version: 1
            store: /var/lib/speakup/speakup.sqlite
            rules: /usr/local/etc/speakup/rules.yaml
            roles:
              reporters: everyone
              handlers:
                groups: [speakup-guardians]
              administrators:
                users: [root]
            ward:
              idle-timeout: 90s
            kiosk:
              idle-timeout: 2m
              submissions-per-hour: 5
              location: Main entrance
            notify-command: [/usr/bin/mail, -s, SpeakUp reminder, "{handler}"]
            """
        let settings = try Installation.load(text).get()
        #expect(settings.store == "/var/lib/speakup/speakup.sqlite")
        #expect(settings.handlers.groups == ["speakup-guardians"] && settings.reporters.everyone)
        #expect(settings.ward.idleTimeout == 90 && settings.kiosk.idleTimeout == 120 && settings.kiosk.location == "Main entrance")
        #expect(settings.notifyCommand?.last == "{handler}")
    }

    @Test("every mistake is named with its line", arguments: [
        ("version: 1\n", "must say where the store is", 1),
        ("store: relative/path.sqlite\n", "should be a full path", 1),
        ("store: /s.sqlite\nkiosk:\n  submissions-per-hour: 0\n", "whole number above 0", 3),
        ("store: /s.sqlite\nkiosk:\n  submissions-per-hour: 5000\n", "from 1 to 1000", 3),
        ("store: /s.sqlite\nward:\n  idle-timeout: 10s\n", "between 30s and 60m", 3),
        ("store: /s.sqlite\nrols:\n  handlers: everyone\n", "Did you mean \"roles\"?", 2),
        ("store: /s.sqlite\nnotify-command: [mail, x]\n", "full path", 2),
        ("store: /s.sqlite\nkiosks: [kiosk]\n", "should list the accounts that run as kiosks", 2),
        ("store: /s.sqlite\nkiosks:\n  kiosk:\n    terminals: [tty1]\n", "device paths, such as [/dev/tty1]", 4),
        ("store: /s.sqlite\nwards:\n  ward7:\n    ascii: maybe\n", "ascii should be true or false", 4),
        ("store: /s.sqlite\nwards:\n  ward7:\n    submissions-per-hour: 3\n", "submissions-per-hour", 4),
    ])
    func mistakes(text: String, sentence: String, line: Int) {
        guard case .failure(let problems) = Installation.load(text) else {
            Issue.record("accepted: \(text)")
            return
        }
        #expect(problems.all.contains { $0.sentence.contains(sentence) && $0.line == line }, "\(problems.all)")
    }

    @Test("a file that is not YAML is named at the line where it stops making sense")
    func notYAML() {
        guard case .failure(let problems) = Installation.load("store: /s.sqlite\nroles: [a\nward:\n") else {
            Issue.record("accepted")
            return
        }
        #expect(problems.all.count == 1 && problems.all[0].sentence.contains("not valid YAML") && problems.all[0].line == 3, "\(problems.all)")
    }

    @Test("kiosks and wards are listed by login, each with the section's defaults under its own settings")
    func stations() throws {
        let text = """
            store: /var/lib/speakup/speakup.sqlite
            kiosk:
              idle-timeout: 3m
              submissions-per-hour: 4
            kiosks:
              kiosk-entrance:
                location: Main entrance
                terminals: [/dev/tty1]
              kiosk-outpatients:
                location: Outpatients
                submissions-per-hour: 2
            wards:
              ward7:
                location: Ward 7
                ascii: true
              ward8:
            """
        let settings = try Installation.load(text).get()
        #expect(settings.kiosks["kiosk-entrance"]?.location == "Main entrance")
        #expect(settings.kiosks["kiosk-entrance"]?.terminals == ["/dev/tty1"])
        #expect(settings.kiosks["kiosk-entrance"]?.submissionsPerHour == 4 && settings.kiosks["kiosk-entrance"]?.idleTimeout == 180)
        #expect(settings.kiosks["kiosk-outpatients"]?.submissionsPerHour == 2)
        #expect(settings.wards["ward7"]?.location == "Ward 7" && settings.wards["ward8"]?.location == nil)
        #expect(settings.wards.count == 2 && settings.kiosks.count == 2)
        #expect(settings.wards["ward7"]?.ascii == true && settings.wards["ward8"]?.ascii == false)
    }
}
