import Foundation
import Glibc
import GRDBSQLite
import Testing
import SpeakUpCore
@testable import SpeakUpStore

/// Nobody holds a writer up for longer than its limit: a terminal stopped while it holds the
/// turn (here, this test holding the folder lock and never letting go) is overtaken, and one
/// stopped inside SQLite's own write lock gets the others a clear "busy" within the limit.
@Suite("Store: every wait has a deadline, and the holder is named")
struct StoreWaitTests {
    /// Holds the store's turn (an flock on its folder) from another open file, as a stopped terminal would.
    final class HeldTurn {
        let descriptor: Int32
        init(folder: String) throws {
            descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            try #require(descriptor >= 0)
            try #require(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        }
        deinit { close(descriptor) }
    }

    /// Holds SQLite's write lock on a store from a connection of its own, as a terminal stopped mid-commit would.
    final class HeldWriteLock {
        var connection: OpaquePointer?
        init(store: String) throws {
            try #require(sqlite3_open(store, &connection) == SQLITE_OK)
            try #require(sqlite3_exec(connection, "BEGIN IMMEDIATE; DELETE FROM draft;", nil, nil, nil) == SQLITE_OK)
        }
        deinit {
            sqlite3_exec(connection, "ROLLBACK", nil, nil, nil)
            sqlite3_close(connection)
        }
    }

    static func store(_ folder: TemporaryFolder, waiting seconds: Double) throws -> SQLiteReportStore {
        try SQLiteReportStore(path: folder.file(), receiptRounds: 2, wait: StoreWait(seconds: seconds))
    }

    @Test("A terminal holding the turn and never letting go does not stop a submit: it goes ahead within the wait")
    func turnHolderOvertaken() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder, waiting: 10)
        let held = try HeldTurn(folder: folder.path)
        let started = Date()
        let report = try store.submit(Reports.make(), receipt: nil, discardingDraftOf: nil, router: nil)
        let took = Date().timeIntervalSince(started)
        #expect(try store.allReports().map(\.reference) == [report.reference])
        // It queued for the turn for `longestQueue`, then went ahead on SQLite's own lock.
        #expect(took >= WriterTurn.longestQueue * 0.9 && took < 10)
        withExtendedLifetime(held) {}
    }

    @Test("A terminal holding SQLite's write lock: the submit says busy within its wait, and stores nothing")
    func writeLockHolderGivesBusy() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder, waiting: 0.5)
        var held: HeldWriteLock? = try HeldWriteLock(store: folder.file())
        let started = Date()
        #expect {
            _ = try store.submit(Reports.make(), receipt: nil, discardingDraftOf: nil, router: nil)
        } throws: { error in
            (error as? StoreError)?.kind == .busy
                && (error as? StoreError)?.sentence.contains("Your report has not been saved, and nothing on this screen is lost.") == true
        }
        #expect(Date().timeIntervalSince(started) < 5)
        held = nil
        #expect(try store.allReports().isEmpty)
        // Once the holder lets go, the same store saves.
        _ = try store.submit(Reports.make(), receipt: nil, discardingDraftOf: nil, router: nil)
        #expect(try store.allReports().count == 1)
        withExtendedLifetime(held) {}
    }

    @Test("the form finds the store's wait through the ReportStore protocol (a default of nil would leave it waiting blind)")
    func waitSeenThroughTheProtocol() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder, waiting: 3)
        let seen: any ReportStore = store
        #expect(seen.writeWait === store.wait)
    }

    @Test("opening a store does not need its write lock: a terminal stopped inside a commit does not hold up every opening too")
    func openingDoesNotWait() throws {
        let folder = TemporaryFolder()
        _ = try Self.store(folder, waiting: 1)
        let held = try HeldWriteLock(store: folder.file())
        let wait = StoreWait(seconds: 30)
        let started = Date()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 2, wait: wait)
        // Had the opening waited on the lock, it would have waited out its 30 s and failed.
        #expect(Date().timeIntervalSince(started) < 15)
        #expect(try store.allReports().isEmpty)
        withExtendedLifetime(held) {}
    }

    @Test("Ctrl-C at the screen (cancel) stops the wait at once, long before the limit")
    func cancelStopsTheWait() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder, waiting: 60)
        let held = try HeldWriteLock(store: folder.file())
        let wait = store.wait
        Thread.detachNewThread {
            while wait.waitingFor == nil { usleep(5_000) }
            wait.cancel()
        }
        let started = Date()
        #expect {
            _ = try store.submit(Reports.make(), receipt: nil, discardingDraftOf: nil, router: nil)
        } throws: { error in
            (error as? StoreError)?.sentence.hasPrefix("You stopped waiting for the store, so nothing was written.") == true
        }
        #expect(Date().timeIntervalSince(started) < 30)
        withExtendedLifetime(held) {}
    }

    @Test("A draft save never holds the reporter up for more than its short wait")
    func draftSaveIsShort() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder, waiting: 60)
        let held = try HeldWriteLock(store: folder.file())
        let started = Date()
        #expect(throws: StoreError.self) {
            try store.saveDraft(ReportDraft(), owner: Reporter(userName: "asha", uid: 1001), at: Reports.moment)
        }
        #expect(Date().timeIntervalSince(started) < SQLiteReportStore.draftWait + 10)
        withExtendedLifetime(held) {}
    }

    @Test("The kernel's lock list names who holds the turn and SQLite's write lock; the turn record says since when")
    func holdersNamed() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder, waiting: 1)
        _ = try store.submit(Reports.make(.anonymous), receipt: .random(), discardingDraftOf: nil, router: nil)
        // Once the turn is let go the record is wiped: nothing says who wrote last, or when (it may
        // have been an anonymous report).
        let recordPath = TurnHolder.recordPath(forStore: store.path)
        #expect(TurnRecord.read(path: recordPath) == nil)
        #expect(try String(contentsOfFile: recordPath, encoding: .utf8).allSatisfy(\.isWhitespace))
        #expect(TurnHolder.current(storePath: store.path).isEmpty)

        // While a writer holds the turn, check sees the process, who runs it, and since when.
        let writer = WriterTurn(storePath: store.path, clock: FixedClock(Reports.moment))
        try writer.take(waiting: StoreWait(seconds: 1)) {
            let holders = TurnHolder.current(storePath: store.path)
            #expect(holders.map(\.hold) == [.turn])
            #expect(holders.first?.pid == getpid() && holders.first?.uid == getuid() && holders.first?.stopped == false)
            #expect(holders.first?.since == Reports.moment)
            #expect(TurnRecord.read(path: recordPath) == TurnRecord(pid: getpid(), since: Reports.moment))
        }

        let turn = try HeldTurn(folder: folder.path)
        #expect(TurnHolder.current(storePath: store.path).map(\.pid) == [getpid()])
        withExtendedLifetime(turn) {}

        let lock = try HeldWriteLock(store: store.path)
        #expect(TurnHolder.current(storePath: store.path).map(\.hold).contains(.sqliteWrite))
        withExtendedLifetime(lock) {}
    }

    @Test("Lines of /proc/locks: holders read, waiters (->) and strangers skipped, devices decoded as glibc does")
    func kernelLockLines() {
        let held = KernelLock("1: FLOCK  ADVISORY  WRITE 4242 fe:01:16285829 0 EOF")
        #expect(held?.pid == 4242 && held?.kind == "FLOCK" && held?.write == true && held?.inode == 16_285_829)
        #expect(held?.isOn((device: 0xfe01, inode: 16_285_829)) == true)
        #expect(held?.isOn((device: 0xfe02, inode: 16_285_829)) == false)
        #expect(KernelLock("1: -> FLOCK  ADVISORY  WRITE 4243 fe:01:16285829 0 EOF") == nil)
        #expect(KernelLock("garbage") == nil)
        let posix = KernelLock("7: POSIX  ADVISORY  WRITE 99 08:11:123 120 120")
        #expect(posix?.start == 120 && posix?.major == 8 && posix?.minor == 0x11)
        #expect(TurnRecord(line: TurnRecord(pid: 77, since: Reports.moment).line) == TurnRecord(pid: 77, since: Reports.moment))
        #expect(TurnRecord(pid: 2, since: Reports.moment).line.utf8.count == TurnRecord.length)
        #expect(TurnRecord(line: "pid=x since=3") == nil)
        #expect(TurnRecord(line: String(repeating: " ", count: 63) + "\n") == nil)
    }
}

@Suite("Store: one turn for a store however it is reached")
struct SymlinkedStoreTests {
    @Test("a store reached through a symbolic link in another folder takes its turn on the real file's folder")
    func linkSharesTheTurn() throws {
        let real = TemporaryFolder(), elsewhere = TemporaryFolder()
        _ = try SQLiteReportStore(path: real.file(), receiptRounds: 2)
        try FileManager.default.createSymbolicLink(atPath: elsewhere.file("linked.sqlite"), withDestinationPath: real.file())
        let linked = try SQLiteReportStore(path: elsewhere.file("linked.sqlite"), receiptRounds: 2)
        _ = try linked.submit(Reports.make(), receipt: nil, discardingDraftOf: nil, router: nil)
        // The turn record is beside the real file, and a hold on the real folder is the linked store's holder too.
        #expect(FileManager.default.fileExists(atPath: TurnHolder.recordPath(forStore: real.file())))
        #expect(!FileManager.default.fileExists(atPath: TurnHolder.recordPath(forStore: elsewhere.file("linked.sqlite"))))
        let held = try StoreWaitTests.HeldTurn(folder: real.path)
        #expect(TurnHolder.current(storePath: elsewhere.file("linked.sqlite")).map(\.hold) == [.turn])
        withExtendedLifetime(held) {}
    }
}

@Suite("Store: a terminal stopped while rebuilding SQLite's shared index holds an opening up no longer than its wait")
struct StoppedRebuildTests {
    @Test("another process holding only SQLite's write lock over an index to rebuild: the opening says busy at its deadline, not after SQLite's ten seconds of retries with 'locking protocol'")
    func stoppedRebuild() throws {
        let folder = TemporaryFolder()
        let path = folder.file()
        do {
            let store = try SQLiteReportStore(path: path, receiptRounds: 1 << 10)
            _ = try store.submit(RoutingStoreTests.report(.open))
        }
        // What a terminal stopped (SIGSTOP) just as it began to rebuild leaves: the index not in order, and SQLite's
        // write lock (byte 120 of the -shm file) held by another process.
        let shm = path + "-shm"
        FileManager.default.createFile(atPath: shm, contents: Data(repeating: 0, count: 32_768))
        let descriptor = open(shm, O_RDWR)
        try #require(descriptor >= 0)
        let child = fork()
        if child == 0 {
            var lock = flock()
            lock.l_type = Int16(F_WRLCK)
            lock.l_whence = Int16(SEEK_SET)
            lock.l_start = 120
            lock.l_len = 1
            if fcntl(descriptor, F_SETLK, &lock) != 0 { _exit(1) }
            while true { pause() }
        }
        // Let go once, here or (if an expectation throws first) on the way out.
        var holding = true
        func letGo() {
            guard holding else { return }
            holding = false
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
        }
        defer {
            letGo()
            close(descriptor)
        }
        usleep(300_000)
        let started = Date()
        do {
            _ = try SQLiteReportStore(path: path, receiptRounds: 1 << 10, wait: StoreWait(seconds: 2))
            Issue.record("the store opened while another process held SQLite's write lock over an index to rebuild")
        } catch {
            #expect(error.kind == .busy, "\(error.sentence)")
        }
        #expect(Date().timeIntervalSince(started) < 4.5, "the wait was 2 s")
        // Let go, the store opens and reads as ever.
        letGo()
        #expect(try SQLiteReportStore(path: path, receiptRounds: 1 << 10).allReports().count == 1)
    }
}
