import Foundation

/// How long a handler waits before trying their passphrase again after wrong ones.
///
/// Each try already costs a deliberate scrypt derivation (about a tenth to a fifth of a second).
/// The first three wrong passphrases cost nothing more: people mistype. From the fourth, each
/// waits twice as long as the one before, from 5 seconds up to 15 minutes, counted from the last
/// wrong try. The count is kept in the store, so starting SpeakUp again does not reset it; a right
/// passphrase does. (Against someone who has copied the store this is no defence: there the
/// derivation's cost is what counts, docs/security.md.)
public enum UnlockPacing {
    /// Wrong tries allowed before any wait.
    public static let freeTries = 3
    /// The longest wait.
    public static let longestWait: TimeInterval = 15 * 60

    /// The wait owed after `failures` wrong tries in a row.
    public static func wait(afterFailures failures: Int) -> TimeInterval {
        guard failures > freeTries else { return 0 }
        let doublings = min(failures - freeTries - 1, 20)
        return min(5 * pow(2, Double(doublings)), longestWait)
    }

    /// Whole seconds still to wait at `now`, or 0 when a try may be made.
    public static func secondsToWait(failures: Int, lastFailure: Date?, now: Date) -> Int {
        guard let lastFailure else { return 0 }
        let until = lastFailure.addingTimeInterval(wait(afterFailures: failures))
        let left = until.timeIntervalSince(now)
        // A last failure in the future (a clock set back) still owes at most the whole wait.
        return left <= 0 ? 0 : Int(min(left, wait(afterFailures: failures)).rounded(.up))
    }

    /// "5 seconds", "2 minutes", for the screen.
    public static func describe(seconds: Int) -> String {
        if seconds < 60 { return seconds == 1 ? "1 second" : "\(seconds) seconds" }
        let minutes = (seconds + 59) / 60
        return minutes == 1 ? "1 minute" : "\(minutes) minutes"
    }
}
