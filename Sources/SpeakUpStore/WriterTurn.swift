import Foundation
import Glibc
import GRDBSQLite
import Synchronization
import SpeakUpCore

/// Takes turns to write among every process using one store.
///
/// SQLite lets one writer in at a time and tells the others "busy"; its own
/// busy handler then sleeps and retries with growing sleeps (up to 100 ms), so
/// with a few dozen terminals sending at once the unlucky ones wait seconds
/// (measured by `make bench`). Instead each writer first takes an exclusive
/// `flock` on the store's folder: the kernel queues the waiters and wakes one
/// the moment the lock is let go. The folder lock never touches SQLite's own
/// locks on the database file.
///
/// The turn is only ever held around one write, and nobody waits for it without a
/// limit: a writer that cannot have it at once queues for it on a thread of its own
/// while it watches the clock (`StoreWait`) and the person at the screen (Ctrl-C).
/// After `longestQueue` it goes ahead without the turn, to SQLite's own lock and its
/// busy handler, under the same deadline: so a terminal stopped (SIGSTOP) while
/// holding the turn slows the others by seconds, never stops them. One stopped
/// inside SQLite's own write lock cannot be overtaken by anybody; the others are
/// told, within the deadline, and keep their words (docs/deployment.md).
///
/// Each writer notes itself in the turn record as it takes the turn (see `TurnHolder`).
final class WriterTurn: Sendable {
    private let folderPath: String
    private let folder: Int32
    private let recordPath: String
    private let record = Mutex<Int32?>(nil)
    private let clock: any Clock

    /// How long a writer queues for the turn before it goes ahead without it.
    static let longestQueue = 2.0

    init(storePath: String, clock: any Clock) {
        self.clock = clock
        // The folder of the file itself, symbolic links followed (as SQLite follows them to place its
        // log): a store reached by a link and by its real path takes one turn, not two.
        let resolved = URL(fileURLWithPath: storePath).resolvingSymlinksInPath()
        folderPath = resolved.deletingLastPathComponent().path
        folder = open(folderPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        recordPath = TurnHolder.recordPath(forStore: resolved.path)
    }

    deinit {
        if folder >= 0 { close(folder) }
        record.withLock { descriptor in if let descriptor, descriptor >= 0 { close(descriptor) } }
    }

    /// Runs `body` while holding the turn, or without it once the queue has taken
    /// `longestQueue` (SQLite's lock then decides, under the same deadline).
    /// Throws `StoreWaitEnded` if the deadline passes, or the person stops waiting, first.
    func take<T>(waiting wait: StoreWait, _ body: () throws -> T) throws -> T {
        guard folder >= 0 else { return try body() }
        if flock(folder, LOCK_EX | LOCK_NB) == 0 {
            defer { flock(folder, LOCK_UN) }
            noteHolder()
            defer { wipeHolder() }
            return try body()
        }
        switch try queue(waiting: wait) {
        case .some(let descriptor):
            // Closing the descriptor lets the turn go.
            defer { close(descriptor) }
            noteHolder()
            defer { wipeHolder() }
            return try body()
        case .none:
            return try body()
        }
    }

    /// Queues for the turn on a thread of its own, so this one can keep an eye on the
    /// clock. Returns the descriptor that holds the turn, or nil to go ahead without it.
    private func queue(waiting wait: StoreWait) throws -> Int32? {
        let place = PlaceInQueue()
        let folderPath = folderPath
        Thread.detachNewThread {
            let descriptor = open(folderPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if descriptor >= 0 {
                while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
            }
            place.granted(descriptor)
        }
        let started = SystemClock().elapsed()  // a timeout: the clock that only goes forward
        defer { wait.stoppedWaiting() }
        while true {
            if place.turn.wait(timeout: .now() + .milliseconds(20)) == .success {
                let descriptor = place.leave() ?? -1
                return descriptor >= 0 ? descriptor : nil
            }
            if !wait.keepWaiting() {
                if let descriptor = place.leave() { return descriptor >= 0 ? descriptor : nil }
                throw StoreWaitEnded(cancelled: wait.wasCancelled)
            }
            if SystemClock().elapsed() - started >= Self.longestQueue {
                if let descriptor = place.leave() { return descriptor >= 0 ? descriptor : nil }
                return nil
            }
        }
    }

    /// Notes this process in the turn record while it holds the turn. The record only informs
    /// `speakup check`: if it cannot be written, the write goes on. It names a process and a
    /// moment, never a user (`check` asks the kernel who runs the process, while it runs), and it
    /// is wiped when the turn is let go: left behind, it would say who wrote last and when, and
    /// the last write may be an anonymous report.
    private func noteHolder() {
        write(TurnRecord(pid: getpid(), since: clock.now()).line)
    }

    private func wipeHolder() {
        write(String(repeating: " ", count: TurnRecord.length - 1) + "\n")
    }

    private func write(_ line: String) {
        record.withLock { descriptor in
            if descriptor == nil {
                descriptor = open(recordPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o660)
            }
            guard let descriptor, descriptor >= 0 else { return }
            var bytes = Array(line.utf8)
            _ = pwrite(descriptor, &bytes, bytes.count, 0)
        }
    }
}

/// A writer's place in the queue for the turn, shared with the thread queueing for it.
private final class PlaceInQueue: Sendable {
    private enum State { case queueing, granted(Int32), left }
    private let state = Mutex<State>(.queueing)
    /// Signalled once the turn (or a failure to queue, as -1) is granted.
    let turn = DispatchSemaphore(value: 0)

    /// Called by the queueing thread with the descriptor that now holds the turn (-1 if
    /// the folder could not be opened). If the writer has left, the turn is let go at once.
    func granted(_ descriptor: Int32) {
        let stayed = state.withLock { state -> Bool in
            if case .left = state { return false }
            state = .granted(descriptor)
            return true
        }
        if stayed { turn.signal() } else if descriptor >= 0 { close(descriptor) }
    }

    /// Leaves the queue: returns the descriptor if the turn was granted meanwhile.
    func leave() -> Int32? {
        state.withLock { state -> Int32? in
            if case .granted(let descriptor) = state { return descriptor }
            state = .left
            return nil
        }
    }
}

/// A write gave up waiting for other terminals: its deadline passed, or the person stopped it.
struct StoreWaitEnded: Error {
    var cancelled: Bool
}

/// How many pages the store's log (the -wal file) holds past its last checkpoint,
/// as SQLite reports after each commit (its WAL hook).
final class LogSize: Sendable {
    private let pages = Atomic<Int>(0)

    /// A checkpoint is worth running once the log holds this many pages (SQLite's own default).
    static let checkpointAt = 1000

    var needsCheckpoint: Bool { pages.load(ordering: .relaxed) >= Self.checkpointAt }

    func record(_ count: Int) { pages.store(count, ordering: .relaxed) }

    /// Listens to `connection`'s commits. SQLite's own automatic checkpoint (itself
    /// a WAL hook) is replaced: checkpoints are run after the writer's turn instead.
    func watch(_ connection: OpaquePointer?) {
        sqlite3_wal_hook(connection, { context, _, _, pages in
            Unmanaged<LogSize>.fromOpaque(context!).takeUnretainedValue().record(Int(pages))
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }
}
