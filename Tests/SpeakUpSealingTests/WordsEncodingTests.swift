import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpSealing

@Suite("Sealed words: laid out and read back exactly, anything else refused")
struct WordsEncodingTests {
    @Test("every field round trips, absent ones stay absent, any text survives")
    func roundTrip() {
        let words = ReportWords(account: "Zoë said \"患者\" was fine \u{1b}]0;x\u{7} 👩🏽‍⚕️", witnesses: "", staffImpact: "tears\nat home",
                                reporterName: nil, reporterContact: "ext 4321")
        #expect(WordsEncoding.words(from: WordsEncoding.bytes(of: words)) == words)
        let empty = ReportWords(account: "", witnesses: "", staffImpact: "", reporterName: "", reporterContact: nil)
        #expect(WordsEncoding.words(from: WordsEncoding.bytes(of: empty)) == empty)
    }

    @Test("bytes cut short, lengthened, of another version or not UTF-8 are refused, never half read")
    func refused() {
        let bytes = WordsEncoding.bytes(of: ReportWords(account: "shouted", witnesses: "Ann", staffImpact: "", reporterName: "Ben", reporterContact: ""))
        for cut in 0..<bytes.count { #expect(WordsEncoding.words(from: Array(bytes[0..<cut])) == nil) }
        #expect(WordsEncoding.words(from: bytes + [0]) == nil)
        #expect(WordsEncoding.words(from: [2] + bytes.dropFirst()) == nil)
        var broken = bytes
        broken[6] = 0xFF  // inside "shouted"
        #expect(WordsEncoding.words(from: broken) == nil)
        var flag = bytes
        flag[1] = 7
        #expect(WordsEncoding.words(from: flag) == nil)
    }
}
