import Foundation

/// How many reports one kiosk takes in an hour, so a flood cannot bury the
/// genuine ones. The times are kept in memory only, never on disk: they would
/// date anonymous reports.
public struct SubmissionLimit: Hashable, Sendable {
    /// The most reports in any hour.
    public let perHour: Int
    private var taken: [Date] = []

    public init(perHour: Int) {
        self.perHour = perHour
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

    /// The sentence for a reporter whose report must wait, with their words kept.
    public func sentence(at now: Date) -> String? {
        guard let next = nextAllowed(at: now) else { return nil }
        let minutes = max(1, Int((next.timeIntervalSince(now) / 60).rounded(.up)))
        return "This kiosk has taken \(perHour) report\(perHour == 1 ? "" : "s") in the last hour, the most it takes, to keep it from being flooded. Your report has not been sent, and your answers are still here: it can be sent in \(minutes) minute\(minutes == 1 ? "" : "s"). You can also speak to a Freedom to Speak Up guardian in person."
    }
}
