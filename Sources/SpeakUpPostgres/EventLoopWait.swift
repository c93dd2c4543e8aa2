import Dispatch
import PostgresNIO
import Synchronization

/// The one place the synchronous program waits for the event loop: an ordinary thread
/// blocks on a semaphore until a future completes or its deadline passes.
///
/// postgres-nio completes the future on its event loop; the result crosses to the waiting
/// thread through a `Mutex` (Sendable), so nothing is shared unguarded.
enum EventLoopWait {
    /// The future's result, or nil when `seconds` passed first (the future is left to finish or
    /// fail on its own; the caller decides what to do about the work still pending).
    static func result<Value: Sendable>(of future: EventLoopFuture<Value>, within seconds: Double) -> Result<Value, any Error>? {
        // Waiting on the event loop's own thread would wait for itself.
        precondition(MultiThreadedEventLoopGroup.currentEventLoop == nil, "PostgresSession is synchronous: never call it from an event loop")
        let semaphore = DispatchSemaphore(value: 0)
        let box = ResultBox<Value>()
        future.whenComplete { result in
            box.result.withLock { $0 = result }
            semaphore.signal()
        }
        guard semaphore.wait(timeout: .now() + .nanoseconds(Int(max(0, seconds) * 1_000_000_000))) == .success else { return nil }
        return box.result.withLock { $0 }
    }
}

/// Where the event loop leaves a result for the waiting thread.
private final class ResultBox<Value: Sendable>: Sendable {
    let result = Mutex<Result<Value, any Error>?>(nil)
}
