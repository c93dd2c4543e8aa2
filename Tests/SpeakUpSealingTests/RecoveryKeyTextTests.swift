import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpSealing

@Suite("The trust recovery key, printed once and typed back")
struct RecoveryKeyTextTests {
    @Test("Printed text reads back as the same key")
    func roundTrip() throws {
        for _ in 0..<50 {
            let pair = SealingKeyPair.generate()
            let text = RecoveryKeyText.text(for: pair)
            #expect(text.hasPrefix("SPEAKUP RECOVERY "))
            #expect(text.split(separator: "-").count == 11)
            #expect(try RecoveryKeyText.keyPair(from: text).publicKey == pair.publicKey)
        }
    }

    @Test("Case, spaces, missing words and look-alike letters are forgiven")
    func forgiving() throws {
        let pair = SealingKeyPair.generate()
        let text = RecoveryKeyText.text(for: pair)
        let body = String(text.dropFirst("SPEAKUP RECOVERY ".count))
        let typed = body.lowercased().replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "0", with: "o").replacingOccurrences(of: "1", with: "l")
        #expect(try RecoveryKeyText.keyPair(from: typed).publicKey == pair.publicKey)
    }

    @Test("A mistyped character, a missing one or a stray one is caught with a sentence")
    func mistyped() throws {
        let pair = SealingKeyPair.generate()
        let text = RecoveryKeyText.text(for: pair)
        var symbols = Array(text)
        let position = "SPEAKUP RECOVERY ".count + 7
        symbols[position] = symbols[position] == "7" ? "8" : "7"
        #expect(throws: SealingFailure.self) { try RecoveryKeyText.keyPair(from: String(symbols)) }
        #expect(throws: SealingFailure.recoveryKeyMistyped("it has 54 characters, and a recovery key has 55.")) {
            try RecoveryKeyText.keyPair(from: String(text.dropLast()))
        }
        do {
            _ = try RecoveryKeyText.keyPair(from: text.replacingOccurrences(of: "-", with: "-U", options: [], range: text.range(of: "-")))
            Issue.record("a U was accepted")
        } catch {
            #expect(error.sentence.contains("group 2"))
        }
        do {
            _ = try RecoveryKeyText.keyPair(from: "\u{1B}[31m" + text)
            Issue.record("an escape was accepted")
        } catch {
            #expect(!error.sentence.contains("\u{1B}"))
        }
    }

    @Test("A well-formed key that is not the trust's is refused as such")
    func notTheTrusts() throws {
        let trust = SealingKeyPair.generate()
        let other = SealingKeyPair.generate()
        #expect(throws: SealingFailure.recoveryKeyDoesNotMatch) {
            try RecoveryKeyText.keyPair(from: RecoveryKeyText.text(for: other), matching: trust.publicKey)
        }
        #expect(try RecoveryKeyText.keyPair(from: RecoveryKeyText.text(for: trust), matching: trust.publicKey).publicKey == trust.publicKey)
    }
}
