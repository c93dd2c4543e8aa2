import Foundation
import GRDB

/// The log copied back into the file on a thread and a connection of its own, while the writer goes
/// on: what an erasure does between its batches, so that the next batch (one core) does not wait for
/// the copy of the last one's pages (the other core). One at a time; a checkpoint that finds another
/// running (the writer's own, or a terminal's) leaves it be. A PASSIVE checkpoint takes no lock a
/// writer or reader waits for: it copies what is committed, as far as readers allow.
final class CheckpointAside: @unchecked Sendable {
    private let path: String
    private let lock = NSLock()
    private var connection: DatabaseQueue?
    private var running = false
    private let finished = DispatchGroup()

    init(path: String) {
        self.path = path
    }

    /// Starts a checkpoint, unless one started here is still running.
    func start() {
        let starting: Bool = lock.withLock {
            if running { return false }
            running = true
            return true
        }
        guard starting else { return }
        finished.enter()
        Thread.detachNewThread { [self] in
            defer {
                lock.withLock { running = false }
                finished.leave()
            }
            do {
                let queue = try lock.withLock { () throws -> DatabaseQueue in
                    if let connection { return connection }
                    var configuration = Configuration()
                    configuration.label = "SpeakUp checkpoint"
                    let opened = try DatabaseQueue(path: path, configuration: configuration)
                    connection = opened
                    return opened
                }
                try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
            } catch {
                // Nothing is lost: the log stays as it is, and the next checkpoint (or the run's compaction) copies it.
            }
        }
    }

    /// Waits for a checkpoint started here to end.
    func wait() {
        finished.wait()
    }
}
