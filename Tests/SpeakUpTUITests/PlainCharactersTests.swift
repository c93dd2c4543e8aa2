import Testing
import SpeakUpCore
@testable import SpeakUpTUI

@Suite("Terminals that are not UTF-8: plain characters, and when they are used")
struct PlainCharactersTests {
    @Test("every stand-in is ASCII and as wide as what it stands for", arguments: ["›", "·", "…", "↑", "Zoë", "é", "患", "👩‍⚕️", "\u{202E}", "ß", "Ω", "a"])
    func standInsAreASCII(text: String) {
        for character in text {
            let cells = CellWidth.of(character)
            let standIn = PlainCharacters.standIn(for: character, cells: cells)
            #expect(standIn.unicodeScalars.allSatisfy { $0.isASCII })
            #expect(standIn.count == cells)
        }
    }

    @Test("letters keep their base letter, SpeakUp's symbols their usual ASCII, anything else a question mark")
    func readable() {
        #expect(String("Zoë Brontë, café".map { PlainCharacters.standIn(for: $0, cells: 1) }.joined()) == "Zoe Bronte, cafe")
        #expect(PlainCharacters.standIn(for: "›", cells: 1) == ">")
        #expect(PlainCharacters.standIn(for: "·", cells: 1) == "-")
        #expect(PlainCharacters.standIn(for: "患", cells: 2) == "??")
    }

    @Test("LANG unset, C or POSIX keep the UTF-8 fallback; a UTF-8 locale is UTF-8; any other character set is not",
          arguments: [
              ([:], TerminalLocale.Reading.unset), (["LANG": "C"], .unset), (["LANG": "POSIX"], .unset), (["LANG": ""], .unset),
              (["LANG": "en_GB.UTF-8"], .utf8), (["LANG": "C.utf8"], .utf8), (["LC_ALL": "de_DE.utf-8@euro"], .utf8),
              (["LANG": "en_GB.ISO-8859-1"], .other("en_GB.ISO-8859-1")), (["LANG": "en_GB"], .other("en_GB")),
              (["LANG": "en_GB.UTF-8", "LC_CTYPE": "en_GB.ISO-8859-15"], .other("en_GB.ISO-8859-15")),
              (["LC_ALL": "en_GB.UTF-8", "LC_CTYPE": "en_GB.ISO-8859-15"], .utf8),
          ] as [([String: String], TerminalLocale.Reading)])
    func localeReading(environment: [String: String], expected: TerminalLocale.Reading) {
        #expect(TerminalLocale.reading(environment) == expected)
    }

    @Test("the form's pages drawn plain at 80x24 and 120x40 (what TERM=vt100 --ascii shows)")
    func snapshots() {
        var form = FormDriver()
        form.press(.down, .down)
        assertPlainSnapshot(form.screen, named: "ascii-01-way-of-raising")
        form = ReporterFormSnapshotTests.form(way: 1, ReporterFormSnapshotTests.toAccount)
        form.press(.paste("Zoë said \"患者\" was fine — then walked off… 👩‍⚕️"))
        assertPlainSnapshot(form.screen, named: "ascii-07-account")
        form = FormDriver()
        form.fillIn(way: 1, account: "Shouted at a patient in bay 3.")
        assertPlainSnapshot(form.screen, named: "ascii-12-review")
        form.press(.character("0"), .tab, .tab, .tab, .right)  // "You" from the check page: name, contact, group, then the descriptions
        assertPlainSnapshot(form.screen, named: "ascii-11b-characteristics")
        var large = FormDriver(size: Size(columns: 120, rows: 40))
        large.fillIn(way: 1, account: "Shouted at a patient in bay 3.")
        assertPlainSnapshot(large.screen, named: "ascii-12-review-120x40")
    }
}
