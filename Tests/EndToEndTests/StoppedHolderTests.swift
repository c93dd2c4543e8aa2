import Foundation
import Glibc
import Testing
import SpeakUpCore

/// A member of staff stops their own speakup (`kill -STOP`) while it holds the store. Before,
/// every other writer waited on the turn with no limit: imports hung, and a reporter's screen
/// froze with Ctrl-C doing nothing. Now each of 32 others finishes, or is told "busy" within
/// its wait, and the stuck holder is named by `speakup check`.
@Suite("End to end: a stopped holder stops nobody for longer than the wait", .serialized)
struct StoppedHolderTests {
    static func record(_ reference: CaseReference, account: String) -> String {
        """
        {"format_version": 2, "reference": "\(reference.text)", "way_of_raising": "anonymous", "concerns": ["unsafe-practice"],
         "subject_seniority": "unknown", "location": "Ward 7", "account": "\(account)", "reporter": null,
         "submitted": "2026-11-20", "events": []}
        """
    }

    static func file(_ count: Int, in scratch: Scratch, name: String) throws -> String {
        let path = scratch.path + "/" + name
        let records = (0..<count).map { record(.random(), account: "Report \($0) of \(name).") }
        try ("[" + records.joined(separator: ",\n") + "]").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs one import per file, all at once, each on its own thread; returns the results in order.
    static func importAtOnce(_ files: [String], store: String, wait: String) -> [Command.Result?] {
        let results = Results(count: files.count)
        let group = DispatchGroup()
        for (index, file) in files.enumerated() {
            group.enter()
            Thread.detachNewThread {
                results.set(index, try? Binary.run(["import", file, "--db", store, "--wait", wait]))
                group.leave()
            }
        }
        group.wait()
        return results.all
    }

    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Command.Result?]
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: Command.Result?) { lock.withLock { values[index] = value } }
        var all: [Command.Result?] { lock.withLock { values } }
    }

    /// Whether `pid` holds an flock on the folder (the store's turn), from /proc/locks.
    static func holdsTurn(_ pid: pid_t, folder: String) -> Bool {
        var info = stat()
        guard stat(folder, &info) == 0, let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return false }
        let inode = ":\(info.st_ino) "
        return locks.split(separator: "\n").contains { line in
            line.contains("FLOCK") && line.contains(" WRITE \(pid) ") && line.contains(inode) && !line.contains("->")
        }
    }

    /// Whether `pid` holds SQLite's WAL write lock (byte 120 of the -shm file), from /proc/locks.
    static func holdsWriteLock(_ pid: pid_t, store: String) -> Bool {
        var info = stat()
        guard stat(store + "-shm", &info) == 0, let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return false }
        return locks.split(separator: "\n").contains { line in
            line.contains("POSIX") && line.contains(" WRITE \(pid) ") && line.contains(":\(info.st_ino) 120 ") && !line.contains("->")
        }
    }

    @Test("an import stopped (SIGSTOP) while it holds the store: 32 other imports each end within their wait, told busy, exit 75")
    func stoppedImport() throws {
        let scratch = Scratch()
        let seed = try Binary.run(["import", try Self.file(1, in: scratch, name: "seed.json"), "--db", scratch.store])
        try #require(seed.status == 0, "\(seed.stderr)")
        let big = try Self.file(20_000, in: scratch, name: "big.json")
        let small = try (0..<32).map { try Self.file(1, in: scratch, name: "one-\($0).json") }

        // Start the big import, and stop it the moment it holds the turn.
        let holder = try Spawned(Binary.speakup, ["import", big, "--db", scratch.store])
        defer { holder.kill() }
        var caught = false
        let deadline = Date().addingTimeInterval(120)
        while !caught && Date() < deadline && holder.isRunning {
            if Self.holdsTurn(holder.pid, folder: scratch.path) {
                Glibc.kill(holder.pid, SIGSTOP)
                // It may have let go between the look and the stop: look again, now that it cannot move.
                usleep(20_000)
                caught = Self.holdsTurn(holder.pid, folder: scratch.path)
                if !caught { Glibc.kill(holder.pid, SIGCONT) }
            } else {
                usleep(200)
            }
        }
        try #require(caught, "the big import was never seen holding the store's turn")

        let check = try Binary.run(["check", "--db", scratch.store])
        #expect(check.stdout.contains("Process \(holder.pid)"))
        #expect(check.stdout.contains("It is stopped (suspended)"))

        let started = Date()
        let results = Self.importAtOnce(small, store: scratch.store, wait: "2")
        let took = Date().timeIntervalSince(started)
        // Nobody hung: every one of the 32 ended, on a machine running 32 of them on two cores.
        #expect(took < 60, "the 32 imports took \(took) s")
        let insideSQLite = Self.holdsWriteLock(holder.pid, store: scratch.store)
        for (index, result) in results.enumerated() {
            let result = try #require(result, "import \(index) did not run")
            if result.status == 0 && !insideSQLite { continue }  // stopped between the turn and SQLite's lock: overtaken
            // Stopped inside SQLite's own write lock: nobody can overtake it, so each is told.
            #expect(result.status == 75, "import \(index): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("Another terminal kept the store busy for longer than SpeakUp waits."))
            #expect(result.stderr.contains("Nothing was imported."))
        }

        // Once the holder is ended, the store is whole and everything can be imported.
        holder.kill()
        let again = Self.importAtOnce(Array(small.prefix(4)), store: scratch.store, wait: "30")
        #expect(again.allSatisfy { $0?.status == 0 })
        let verify = try Binary.run(["audit", "verify", "--db", scratch.store])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test("a terminal holding only the turn (not SQLite's lock) is overtaken: 32 imports at once all succeed")
    func turnOnlyOvertaken() throws {
        let scratch = Scratch()
        let seed = try Binary.run(["import", try Self.file(1, in: scratch, name: "seed.json"), "--db", scratch.store])
        try #require(seed.status == 0, "\(seed.stderr)")
        let small = try (0..<32).map { try Self.file(1, in: scratch, name: "one-\($0).json") }
        let folder = open(scratch.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        try #require(folder >= 0 && flock(folder, LOCK_EX) == 0)
        defer { close(folder) }
        let results = Self.importAtOnce(small, store: scratch.store, wait: "30")
        for (index, result) in results.enumerated() {
            #expect(result?.status == 0, "import \(index): \(result?.stderr ?? "did not run")")
        }
    }
}

/// A child process left running while the test looks at it.
final class Spawned {
    let pid: pid_t
    private var reaped = false

    init(_ path: String, _ arguments: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin"), nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw CommandFailed(description: "could not start \(path)") }
        self.pid = pid
    }

    var isRunning: Bool {
        guard !reaped else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { reaped = true }
        return !reaped
    }

    /// Kills it (stopped or not) and reaps it.
    func kill() {
        guard !reaped else { return }
        Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        reaped = true
    }
}

/// The form, in tmux, while another process holds SQLite's write lock: the screen says the report is
/// waiting its turn, Ctrl-C stops the wait with every word kept, and once the holder lets go, S sends.
@Suite("End to end: the form while the store is held")
struct HeldStoreFormTests {
    @Test("waiting is said on screen, Ctrl-C stops it with the words kept, and S sends once the store is free")
    func waitingScreen() throws {
        let scratch = Scratch()
        let seed = try Binary.run(["import", try StoppedHolderTests.file(1, in: scratch, name: "seed.json"), "--db", scratch.store])
        try #require(seed.status == 0, "\(seed.stderr)")
        let tmux = try Tmux(["--db", scratch.store], environment: ["TERM": "xterm-256color"])
        try tmux.waitFor("How would you like to raise this concern?")
        try tmux.press("Down", "Down", "Down", "Enter")  // anonymously: no draft is written, so nothing else needs the store
        try ReportInTmuxTests.quickAnswers(tmux)
        try tmux.type("Shouted at a porter while the store was held.")
        try tmux.press("Tab", "Tab")
        try tmux.waitFor("What would you like to happen?")
        try tmux.press("Down", "Enter", "Enter", "Enter")
        try tmux.waitFor("Please check your report")

        // Another process takes SQLite's write lock and keeps it (as a terminal stopped mid-commit would).
        let marker = scratch.path + "/holding"
        let holder = try Spawned("/usr/bin/sqlite3", [scratch.store, "BEGIN IMMEDIATE;", "DELETE FROM draft;", ".shell touch \(marker); sleep 120", "ROLLBACK;"])
        defer { holder.kill() }
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: marker) && Date() < deadline { usleep(20_000) }
        try #require(FileManager.default.fileExists(atPath: marker), "sqlite3 never held the store")

        try tmux.press("s")
        try tmux.waitFor("Another terminal is saving, so yours waits its turn")
        #expect(try tmux.screen().contains("Ctrl-C stop waiting (your words stay here)"))
        try tmux.press("C-c")
        try tmux.waitFor("You stopped waiting for the store, so nothing was written.")
        // Waited for whole: on a loaded machine the screen was once read while that notice was half drawn.
        try tmux.waitForWords("Everything you wrote is still here. Press S to try again.")
        #expect(try tmux.screen().contains("Shouted at a porter while the store was held."))
        #expect(try ReportInTmuxTests.export(scratch.store).count == 1)

        holder.kill()
        try tmux.press("s")
        try tmux.waitFor("Your receipt code is")
        let stored = try ReportInTmuxTests.export(scratch.store)
        #expect(stored.count == 2 && stored.contains { $0.account == "Shouted at a porter while the store was held." })
    }
}
