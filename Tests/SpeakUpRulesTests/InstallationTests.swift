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

    @Test("every mistake is named with its line and column", arguments: [
        ("version: 1\n", "must say where the store is"),
        ("store: relative/path.sqlite\n", "should be a full path"),
        ("store: /s.sqlite\nkiosk:\n  submissions-per-hour: 0\n", "whole number above 0"),
        ("store: /s.sqlite\nkiosk:\n  submissions-per-hour: 5000\n", "from 1 to 1000"),
        ("store: /s.sqlite\nward:\n  idle-timeout: 10s\n", "between 30s and 60m"),
        ("store: /s.sqlite\nrols:\n  handlers: everyone\n", "Did you mean \"roles\"?"),
        ("store: /s.sqlite\nnotify-command: [mail, x]\n", "full path"),
        ("store: [/s.sqlite\n", "not valid YAML"),
    ])
    func mistakes(text: String, sentence: String) {
        guard case .failure(let problems) = Installation.load(text) else {
            Issue.record("accepted: \(text)")
            return
        }
        #expect(problems.all.contains { $0.sentence.contains(sentence) && $0.line >= 1 }, "\(problems.all)")
    }
}
