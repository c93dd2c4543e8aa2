import Foundation
import Testing
import SpeakUpCore

@Suite("Passphrases: what may be chosen, and the wait after wrong ones")
struct UnlockPacingTests {
    @Test("three wrong tries are free; from the fourth, each waits twice as long, from 5 seconds up to 15 minutes")
    func waits() {
        #expect((0...3).map(UnlockPacing.wait(afterFailures:)) == [0, 0, 0, 0])
        #expect((4...8).map(UnlockPacing.wait(afterFailures:)) == [5, 10, 20, 40, 80])
        #expect(UnlockPacing.wait(afterFailures: 12) == 900)
        #expect(UnlockPacing.wait(afterFailures: 10_000) == 900)
    }

    @Test("the wait is counted from the last wrong try, and a last try dated in the future owes no more than the whole wait")
    func secondsToWait() {
        let last = Date(timeIntervalSince1970: 1_000_000)
        #expect(UnlockPacing.secondsToWait(failures: 4, lastFailure: last, now: last) == 5)
        #expect(UnlockPacing.secondsToWait(failures: 4, lastFailure: last, now: last.addingTimeInterval(4.2)) == 1)
        #expect(UnlockPacing.secondsToWait(failures: 4, lastFailure: last, now: last.addingTimeInterval(5)) == 0)
        #expect(UnlockPacing.secondsToWait(failures: 2, lastFailure: last, now: last) == 0)
        #expect(UnlockPacing.secondsToWait(failures: 4, lastFailure: nil, now: last) == 0)
        #expect(UnlockPacing.secondsToWait(failures: 5, lastFailure: last.addingTimeInterval(86_400), now: last) == 10)
        #expect(UnlockPacing.describe(seconds: 1) == "1 second")
        #expect(UnlockPacing.describe(seconds: 40) == "40 seconds")
        #expect(UnlockPacing.describe(seconds: 61) == "2 minutes")
    }

    @Test("a passphrase is long, not one character repeated, free of the login and of control characters")
    func rule() {
        #expect(PassphraseRule.problem(with: "blue kettle morning", login: "gita") == nil)
        #expect(PassphraseRule.problem(with: "kettle", login: "gita")?.contains("at least 12") == true)
        #expect(PassphraseRule.problem(with: "ababababababab", login: "gita")?.contains("too few") == true)
        #expect(PassphraseRule.problem(with: "my name is GITA ok", login: "gita")?.contains("login") == true)
        // A login found only inside a longer word is not the login: "mo" in "morning".
        #expect(PassphraseRule.problem(with: "blue kettle morning", login: "mo") == nil)
        #expect(PassphraseRule.problem(with: "blue kettle\nmorning", login: "gita")?.contains("control") == true)
        #expect(PassphraseRule.problem(with: String(repeating: "abcd ", count: 60), login: "gita")?.contains("at most 256") == true)
        // Counted in characters a person sees, not bytes: twelve accented letters are enough.
        #expect(PassphraseRule.problem(with: "éàüöçñ ßøåæœ", login: "gita") == nil)
    }
}
