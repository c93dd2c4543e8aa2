import Testing
@testable import SpeakUpTUI

@Suite("Bracketed paste: kept exactly, and never holding the keyboard")
struct PasteCollectorTests {
    static func collect(_ text: String) -> (String, PasteCollector.Step?) {
        var collector = PasteCollector()
        for scalar in text.unicodeScalars {
            let step = collector.take(scalar)
            if step != .more { return (collector.text, step) }
        }
        return (collector.text, nil)
    }

    @Test("escape sequences inside a paste are kept as the characters pasted, up to the end marker")
    func exactCharacters() {
        let (text, step) = Self.collect("a\u{1B}[Hb\u{1B}OH\u{1B}[1;5Dc\r\nZoë 患者\u{1B}[201~after")
        #expect(text == "a\u{1B}[Hb\u{1B}OH\u{1B}[1;5Dc\r\nZoë 患者")
        #expect(step == .ended)
    }

    @Test("a Ctrl-C ends a paste at once, so it always acts")
    func ctrlCInterrupts() {
        let (text, step) = Self.collect("half a paste\u{03}more")
        #expect(text == "half a paste")
        #expect(step == .interrupted)
    }

    @Test("something that only looks like the end marker is kept")
    func nearMisses() {
        let (text, step) = Self.collect("\u{1B}[200~ \u{1B}[2O1~ ~~")
        #expect(text == "\u{1B}[200~ \u{1B}[2O1~ ~~")
        #expect(step == nil)
    }
}
