import Foundation

/// How many reports one kiosk takes in an hour, so a flood cannot bury the
/// genuine ones. The times are kept in memory only, never on disk: they would
/// date anonymous reports.
///
/// A restart (a hang-up, a crash, `kill`) must not reset the count. The store knows
/// how many reports the kiosk took today, by day only; not knowing when in the day,
/// the limit counts them all as taken the moment it starts. So no hour ever takes
/// more than the limit, whatever restarts; the cost is that, after a restart on a
/// busy day, the kiosk may hold reports back for up to an hour.
public struct SubmissionLimit: Hashable, Sendable {
    /// The most reports in any hour.
    public let perHour: Int
    private var taken: [Date] = []

    /// `earlierToday`: the reports this kiosk took today before `start`, counted as taken at `start`.
    public init(perHour: Int, earlierToday: Int = 0, start: Date = .distantPast) {
        self.perHour = perHour
        taken = Array(repeating: start, count: min(max(0, earlierToday), perHour))
    }

    /// When the next report may be sent, or nil if it may be sent now.
    public func nextAllowed(at now: Date) -> Date? {
        let recent = taken.filter { now.timeIntervalSince($0) < 3600 }
        guard recent.count >= perHour else { return nil }
        return recent.sorted()[recent.count - perHour].addingTimeInterval(3600)
    }

    /// Counts a report sent at `now`.
    public mutating func took(at now: Date) {
        taken = taken.filter { now.timeIntervalSince($0) < 3600 } + [now]
    }

    /// The sentence for a reporter whose report must wait. It says truly how long their words
    /// stay: a kiosk clears its screen after `clearedAfter` seconds without a key, wait or not.
    public func sentence(at now: Date, clearedAfter idleSeconds: Int? = nil) -> String? {
        guard let next = nextAllowed(at: now) else { return nil }
        let minutes = max(1, Int((next.timeIntervalSince(now) / 60).rounded(.up)))
        let wait = "This kiosk takes at most \(perHour) report\(perHour == 1 ? "" : "s") an hour, to keep it from being flooded, so yours cannot be sent for another \(minutes) minute\(minutes == 1 ? "" : "s")."
        let kept: String
        if let idleSeconds {
            let idle = idleSeconds >= 120 && idleSeconds % 60 == 0 ? "\(idleSeconds / 60) minutes" : "\(idleSeconds) second\(idleSeconds == 1 ? "" : "s")"
            kept = " Your answers stay on this screen only while you use it: after \(idle) without a key it is cleared for the next person, and they are not kept anywhere."
        } else {
            kept = " Your answers are still here."
        }
        return wait + kept + " You can also speak to a Freedom to Speak Up guardian in person."
    }
}
