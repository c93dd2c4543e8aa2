import Foundation
import Synchronization
import SpeakUpCore

/// Runs a store write while the screen stays alive.
///
/// The write runs on a thread of its own. If another terminal holds the store, the
/// screen is told how long it has waited (to say so), and Ctrl-C stops the wait: the
/// write then gives up without storing anything. The write's own deadline
/// (`StoreWait`) ends the wait in any case, so this never waits without a limit.
/// Keys are read only while the store is waiting, so a quick write never takes any.
enum WaitingForStore {
    /// Returns what `write` returned. `showWaiting` is called with the seconds waited so
    /// far, while the store is waiting for another terminal.
    static func run<T: Sendable>(
        _ wait: StoreWait?, on terminal: some Terminal, showWaiting: (Double) -> Void,
        _ write: @escaping @Sendable () -> T
    ) -> T {
        guard let wait else { return write() }
        let outcome = Outcome<T>()
        Thread.detachNewThread {
            outcome.finish(write())
        }
        var terminalOpen = true
        while true {
            if let result = outcome.result(waitingAtMost: 0.05) { return result }
            guard let waited = wait.waitingFor else { continue }
            showWaiting(waited)
            guard terminalOpen else { continue }
            guard let keys = terminal.nextKeys(waitingAtMost: 0.1) else {
                // The terminal went away: the write carries on to its end or its deadline.
                terminalOpen = false
                continue
            }
            if keys.contains(.control("c")) { wait.cancel() }
        }
    }
}

/// What a write on another thread returned, once it has.
private final class Outcome<T: Sendable>: Sendable {
    private let value = Mutex<T?>(nil)
    private let done = DispatchSemaphore(value: 0)

    func finish(_ result: T) {
        value.withLock { $0 = result }
        done.signal()
    }

    func result(waitingAtMost seconds: Double) -> T? {
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        done.signal()  // a later look finds it too
        return value.withLock { $0 }
    }
}
