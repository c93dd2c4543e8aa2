import NIOCore

/// Runs a task's work on a connection's event loop, never on Swift's shared pool of threads: the
/// synchronous program waits for its statements on ordinary threads (`PostgresSession`), which may
/// be that pool's own (a test, say), so a task needing the pool could wait for a thread that is
/// itself waiting for the task. Used for postgres-nio's prepared statements (`NamedStatement`), whose
/// call is `async`; the event loop is never blocked by it, only resumed on.
final class EventLoopTaskExecutor: TaskExecutor {
    private let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
