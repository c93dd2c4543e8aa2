import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How long a write may wait for other terminals before SpeakUp gives up and says so,
/// and the way for the person at the screen to stop waiting sooner (Ctrl-C).
///
/// A store and the screen using it share one. The store starts the clock for each
/// write (`begin`), and each time it finds the store held by another terminal it asks,
/// between short sleeps, whether to go on (`keepWaiting`). The screen reads how long
/// the store has been waiting (`waitingFor`), to say so, and may `cancel`.
///
/// Nobody can hold a writer up for longer than the limit: not a slow disk, not a
/// terminal stopped (SIGSTOP) while it holds the store.
public final class StoreWait: Sendable {
    /// Seconds a write at the reporter form waits at most before the reporter is told.
    public static let formSeconds = 10.0
    /// Seconds a command (an import, a tick) waits at most.
    public static let commandSeconds = 30.0

    private let limit: Atomic<Int64>
    private let deadline = Atomic<Int64>(0)
    private let since = Atomic<Int64>(0)
    private let cancelled = Atomic<Bool>(false)

    public init(seconds: Double = StoreWait.commandSeconds) {
        limit = Atomic(Self.nanoseconds(seconds))
    }

    /// The longest a write waits, in seconds.
    public var seconds: Double { Double(limit.load(ordering: .relaxed)) / 1e9 }

    /// Changes the longest a write waits, from the next write on.
    public func setLimit(_ seconds: Double) {
        limit.store(Self.nanoseconds(seconds), ordering: .relaxed)
    }

    /// Starts one write's clock: it may wait `seconds` (the limit, if nil) from now.
    public func begin(seconds: Double? = nil) {
        let allowed = seconds.map(Self.nanoseconds) ?? limit.load(ordering: .relaxed)
        deadline.store(Self.now() + allowed, ordering: .relaxed)
        since.store(0, ordering: .relaxed)
        cancelled.store(false, ordering: .relaxed)
    }

    /// Ends one write's clock.
    public func end() {
        deadline.store(0, ordering: .relaxed)
        since.store(0, ordering: .relaxed)
    }

    /// Called by the store each time another terminal holds what it needs: whether to wait on.
    /// A wait that no write began (a read finding the store busy) gets the limit from now.
    public func keepWaiting() -> Bool {
        let now = Self.now()
        if since.load(ordering: .relaxed) == 0 { since.store(now, ordering: .relaxed) }
        if deadline.load(ordering: .relaxed) == 0 { deadline.store(now + limit.load(ordering: .relaxed), ordering: .relaxed) }
        return !cancelled.load(ordering: .relaxed) && now < deadline.load(ordering: .relaxed)
    }

    /// The store has what it needed: it is no longer waiting.
    public func stoppedWaiting() {
        since.store(0, ordering: .relaxed)
    }

    /// How long the store has been waiting for another terminal, in seconds; nil when it is not.
    public var waitingFor: Double? {
        let start = since.load(ordering: .relaxed)
        guard start != 0 else { return nil }
        return Double(Self.now() - start) / 1e9
    }

    /// Stops the current wait: the write gives up at its next look, and nothing of it is stored.
    public func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    /// Whether the person stopped the current write's wait.
    public var wasCancelled: Bool { cancelled.load(ordering: .relaxed) }

    private static func nanoseconds(_ seconds: Double) -> Int64 {
        Int64((max(0, min(seconds, 86_400)) * 1e9).rounded())
    }

    /// Nanoseconds on a clock that only goes forward (the wall clock can be set back).
    private static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
