import Foundation

/// Where the current time comes from. Logic takes a clock instead of calling `Date()`.
public protocol Clock: Sendable {
    /// The current moment.
    func now() -> Date
}

/// The system's wall clock.
public struct SystemClock: Clock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that shows a fixed moment until it is moved, for tests and benchmarks.
public final class FixedClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var moment: Date

    public init(_ moment: Date) { self.moment = moment }

    public func now() -> Date { lock.withLock { moment } }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) { lock.withLock { moment += seconds } }
}
