import Foundation
import Glibc
import GRDBSQLite
import Synchronization

/// Takes turns to write among every process using one store.
///
/// SQLite lets one writer in at a time and tells the others "busy"; its own
/// busy handler then sleeps and retries with growing sleeps (up to 100 ms), so
/// with a few dozen terminals sending at once the unlucky ones wait seconds
/// (measured by `make bench`). Instead each writer first takes an exclusive
/// `flock` on the store's folder: the kernel queues the waiters and wakes one
/// the moment the lock is let go. No file is added, and the folder lock never
/// touches SQLite's own locks on the database file. SQLite's busy timeout stays
/// as the fallback for anything that writes without taking a turn.
final class WriterTurn: Sendable {
    private let folder: Int32

    init(storePath: String) {
        let folder = URL(fileURLWithPath: storePath).deletingLastPathComponent().path
        self.folder = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    }

    deinit {
        if folder >= 0 { close(folder) }
    }

    /// Runs `body` while holding the turn (or without it, if the folder could not be opened).
    func take<T>(_ body: () throws -> T) rethrows -> T {
        guard folder >= 0 else { return try body() }
        while flock(folder, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(folder, LOCK_UN) }
        return try body()
    }
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
