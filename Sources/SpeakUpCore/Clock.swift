import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the current time comes from. Logic takes a clock instead of calling `Date()`.
public protocol Clock: Sendable {
    /// The current moment.
    func now() -> Date
    /// Today's date where the person at the terminal is.
    func today() -> CalendarDay
    /// Seconds on a clock that only goes forward (for timeouts: the wall clock can be set back).
    func elapsed() -> TimeInterval
}

extension Clock {
    /// Test clocks move only when told, so their own time serves.
    public func elapsed() -> TimeInterval { now().timeIntervalSince1970 }
}

/// The system's wall clock.
public struct SystemClock: Clock {
    public init() {}
    public func now() -> Date { Date() }

    /// The local date from the C library (the TZ variable, else /etc/localtime).
    /// Foundation's `TimeZone.current` would load ICU's time-zone data first,
    /// which measured about a fifth of SpeakUp's start-up.
    public func today() -> CalendarDay { CalendarDay.local(now()) }

    public func elapsed() -> TimeInterval {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return TimeInterval(time.tv_sec) + TimeInterval(time.tv_nsec) / 1e9
    }
}

/// A clock that shows a fixed moment until it is moved, for tests and benchmarks.
public final class FixedClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var moment: Date

    public init(_ moment: Date) { self.moment = moment }

    public func now() -> Date { lock.withLock { moment } }

    /// The local day of the fixed moment.
    public func today() -> CalendarDay { CalendarDay.local(now()) }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) { lock.withLock { moment += seconds } }
}
