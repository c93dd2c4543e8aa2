import Testing
@testable import SpeakUpCore

@Suite("Untrusted text is made safe to draw")
struct SafeTextTests {
    /// Real attack strings: each must come out with no character a terminal obeys.
    static let attacks: [(name: String, text: String)] = [
        ("OSC 52 clipboard write", "copy \u{1B}]52;c;ZWNobyBwd25lZA==\u{07} done"),
        ("OSC 8 hyperlink", "\u{1B}]8;;https://evil.example/\u{1B}\\click me\u{1B}]8;;\u{1B}\\"),
        ("CSI cursor moves and clear", "\u{1B}[2J\u{1B}[H\u{1B}[31mred\u{1B}[0m\u{1B}[10;20H"),
        ("8-bit C1 CSI 0x9B", "\u{9B}2J and \u{9D}0;title\u{9C}"),
        ("RLO bidi override", "invoice\u{202E}fdp.exe"),
        ("bidi isolates and marks", "\u{2066}a\u{2067}b\u{2068}c\u{2069}\u{200E}\u{200F}\u{061C}"),
        ("DEL and NUL", "a\u{7F}b\u{00}c"),
        ("line separators", "one\u{2028}two\u{2029}three\u{85}four"),
    ]

    @Test("every dangerous character becomes a visible placeholder", arguments: attacks.map(\.text))
    func attackStringsAreNeutralised(_ attack: String) {
        let shown = SafeText.displayable(attack)
        for scalar in shown.unicodeScalars {
            #expect(scalar.value >= 0x20, "C0 control left in \(shown.debugDescription)")
            #expect(!(0x7F...0x9F).contains(scalar.value), "DEL or C1 left in \(shown.debugDescription)")
            #expect(!(0x202A...0x202E).contains(scalar.value) && !(0x2066...0x2069).contains(scalar.value))
            #expect(![0x200E, 0x200F, 0x061C, 0x2028, 0x2029].contains(scalar.value))
        }
        // One placeholder for each character: nothing typed disappears from view.
        #expect(shown.count == attack.count)
    }

    @Test("ESC shows as the control picture ␛, DEL as ␡, C1 and bidi as �")
    func placeholdersAreRecognisable() {
        #expect(SafeText.displayable("a\u{1B}b") == "a␛b")
        #expect(SafeText.displayable("\u{7F}") == "␡")
        #expect(SafeText.displayable("\u{9B}") == "\u{FFFD}")
        #expect(SafeText.displayable("x\u{202E}y") == "x\u{FFFD}y")
        #expect(SafeText.displayable("tab\there") == "tab␉here")
    }

    @Test("ordinary text, accents, CJK, emoji and joiners pass unchanged")
    func ordinaryTextIsUntouched() {
        for text in ["Ward 7 — Zoë said \"患者\" was fine", "e\u{301}", "👩‍⚕️ 👍🏽", "مرحبا", "ñ ß ø", "🇬🇧"] {
            #expect(SafeText.displayable(text) == text)
            #expect(text.allSatisfy(SafeText.isSafe))
        }
    }
}
