import Foundation
import SpeakUpCore
import Synchronization

/// Keeps one call to the server within its `StoreWait`: once the call has taken a moment, the
/// screen is told it is waiting (`StoreWait.waitingFor`); when the person stops waiting (Ctrl-C) or
/// the wait's deadline passes, the connection is closed, so the server drops the work and the call
/// ends at once with nothing saved. The store connects again on its next call.
final class PostgresWaitWatch: Sendable {
    /// Why the watch closed the connection.
    enum GaveUp: Sendable { case cancelled, timedOut }

    /// How long a call runs before the screen says it is waiting.
    static let quiet = 0.3

    private let wait: StoreWait
    private let done = Atomic<Bool>(false)
    private let reason = Mutex<GaveUp?>(nil)

    init(wait: StoreWait) {
        self.wait = wait
    }

    /// Why the connection was closed, if the watch closed it.
    var gaveUp: GaveUp? { reason.withLock { $0 } }

    /// Watches the call now running on `session`, on a thread of its own.
    func start(on session: PostgresSession) {
        let started = Date()
        Thread.detachNewThread { [self] in
            while !done.load(ordering: .relaxed) {
                usleep(20_000)
                guard Date().timeIntervalSince(started) >= Self.quiet || wait.wasCancelled else { continue }
                if done.load(ordering: .relaxed) { return }
                if !wait.keepWaiting() {
                    reason.withLock { $0 = wait.wasCancelled ? .cancelled : .timedOut }
                    session.close()
                    return
                }
            }
        }
    }

    /// The call is over: the watch stops.
    func finish() {
        done.store(true, ordering: .relaxed)
    }
}
