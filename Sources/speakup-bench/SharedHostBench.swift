import CPseudoTerminal
import Foundation
import GRDBSQLite
import Glibc
import SpeakUpCore
import SpeakUpStore

/// What one shared host costs: the memory of idle form sessions, and many
/// processes submitting to one store at once, beside raw SQLite doing the same.
struct SharedHostBench {
    let speakup: String
    let bench: String
    let scratch: String
    let sessions: Int
    let submitters: Int
    let submissionsEach: Int

    func run() throws -> [String] {
        var summary: [String] = []
        let store = scratch + "/host.sqlite"
        _ = try SQLiteReportStore(path: store)  // created before the sessions start

        // 1. One idle form session, five times (memory settles once the first screen is drawn).
        var single: [Memory] = []
        for _ in 0..<5 {
            let session = try FormSession(command: [speakup, "--db", store], scratch: scratch)
            usleep(300_000)
            single.append(Memory(pid: session.pid))
            session.stop()
        }
        let rss = single.map(\.rssKiB).sorted()[single.count / 2]
        let peak = single.map(\.peakKiB).sorted()[single.count / 2]
        let floorRSS = try floorMemory()
        print("## Memory of an idle form session (release build, pseudo-terminal 80x24, median of 5)")
        print("| program | RSS MiB | peak RSS MiB |")
        print("|---|---|---|")
        print("| speakup, first page of the form | \(mib(rss)) | \(mib(peak)) |")
        print("| minimal C ncurses program (floor) | \(mib(floorRSS.rssKiB)) | \(mib(floorRSS.peakKiB)) |")
        print("goal: under 16 MiB")
        summary.append("idle form session: RSS \(mib(rss)) MiB, peak \(mib(peak)) MiB (goal < 16 MiB); C ncurses floor \(mib(floorRSS.rssKiB)) MiB")
        print("")

        // 2. Many idle sessions at once on one host.
        var many: [FormSession] = []
        for _ in 0..<sessions { many.append(try FormSession(command: [speakup, "--db", store], scratch: scratch)) }
        usleep(500_000)
        let memories = many.map { Memory(pid: $0.pid) }
        for session in many { session.stop() }
        let totalRSS = memories.map(\.rssKiB).reduce(0, +)
        let totalPSS = memories.map(\.pssKiB).reduce(0, +)
        print("## \(sessions) idle form sessions at once, one store")
        print("| measure | total MiB | per session MiB |")
        print("|---|---|---|")
        print("| RSS (shared pages counted in every process) | \(mib(totalRSS)) | \(mib(totalRSS / sessions)) |")
        print("| PSS (shared pages shared out) | \(mib(totalPSS)) | \(mib(totalPSS / sessions)) |")
        summary.append("\(sessions) idle sessions: RSS \(mib(totalRSS)) MiB in all (\(mib(totalRSS / sessions)) each), PSS \(mib(totalPSS)) MiB in all")
        print("")

        // 3. Separate processes submitting: all at the same moment, in rounds (32 people pressing
        // Enter together, 20 times over), then back to back with no pause at all (a stress test).
        print("## \(submitters) processes submitting at once (WAL, synchronous=FULL, one store file, \(submissionsEach) reports each)")
        print("| path | how | submitted | failed | median ms | p99 ms | max ms |")
        print("|---|---|---|---|---|---|---|")
        var atOnce: (Sample, Int, Sample, Int)? = nil
        for (how, gap) in [("all at the same moment, \(submissionsEach) rounds 150 ms apart", 0.15), ("back to back, no pause", 0.0)] {
            let ours = try submitAtOnce(mode: "--submitter", path: scratch + "/concurrent-\(gap).sqlite", gap: gap)
            let raw = try submitAtOnce(mode: "--raw-submitter", path: scratch + "/concurrent-raw-\(gap).sqlite", gap: gap)
            for (name, result) in [("SQLiteReportStore.submit", ours), ("raw SQLite single-row insert (floor)", raw)] {
                print("| \(name) | \(how) | \(result.latencies.milliseconds.count) | \(result.failures) | \(format(result.latencies.median)) | \(format(result.latencies.p99)) | \(format(result.latencies.percentile(100))) |")
            }
            if atOnce == nil { atOnce = (ours.latencies, ours.failures, raw.latencies, raw.failures) }
        }
        print("goal: no failures, p99 under 50 ms (the same-moment rounds)")
        if let (ours, failed, raw, rawFailed) = atOnce {
            summary.append("\(submitters) sessions submitting at the same moment x \(submissionsEach) rounds: \(failed) failed, p99 \(format(ours.p99)) ms (raw SQLite p99 \(format(raw.p99)) ms, \(rawFailed) failed; goal 0 failed, p99 < 50 ms)")
        }
        return summary
    }

    private func mib(_ kib: Int) -> String { String(format: "%.1f", Double(kib) / 1024) }

    private func floorMemory() throws -> Memory {
        let source = scratch + "/floor.c"
        let binary = scratch + "/floor-memory"
        try StartupBench.floorSource.write(toFile: source, atomically: true, encoding: .utf8)
        guard try spawnAndWait(["/usr/bin/cc", "-O2", "-o", binary, source, "-lncursesw", "-ltinfo"]) == 0 else {
            throw BenchError("could not compile the C ncurses floor")
        }
        let session = try FormSession(command: [binary], scratch: scratch)
        usleep(300_000)
        defer { session.stop() }
        return Memory(pid: session.pid)
    }

    /// Starts the submitting processes, lets them go at one moment, and gathers their timings.
    private func submitAtOnce(mode: String, path: String, gap: Double) throws -> (latencies: Sample, failures: Int) {
        if mode == "--submitter" { _ = try SQLiteReportStore(path: path) } else { _ = try RawSQLite(path: path) }
        let result = try Submitters.atOnce(bench: bench, mode: mode, target: path, processes: submitters, each: submissionsEach, gap: gap,
                                           lead: 1.5, folder: scratch)
        return (result.latencies, result.failures)
    }

    /// The child's side of `--submitter` / `--raw-submitter` (`Submitters.child`): the store, or
    /// raw SQLite, at the path it is given.
    static func submitter(raw: Bool, arguments: [String]) -> Never {
        Submitters.child(arguments) { path in
            if raw {
                let rawStore = try RawSQLite(path: path)
                let payload = String(repeating: "x", count: CommitBench.account.utf8.count + 120)
                return ({ _ in try rawStore.insert(payload) }, {})
            }
            let store = try SQLiteReportStore(path: path)
            // Tidied as the form does, once the confirmation is drawn (untimed).
            return ({ report in _ = try store.submit(report, receipt: nil) }, { store.tidy() })
        }
    }
}

/// A program running on its own pseudo-terminal, from spawn until its first screen
/// is drawn (`marker`, the last word on the key bar, has been written).
final class FormSession {
    let pid: pid_t
    /// Seconds from spawn to the first screen drawn.
    let drawnAfter: Double
    private let master: Int32

    init(command: [String], scratch: String, marker: String = "leave") throws {
        var name = [CChar](repeating: 0, count: 128)
        master = speakup_open_pseudo_terminal(&name, name.count, 80, 24)
        guard master >= 0 else { throw BenchError("could not open a pseudo-terminal") }
        let slavePath = String(cString: name)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in Int32(0)...2 { posix_spawn_file_actions_addopen(&actions, fd, slavePath, O_RDWR, 0) }
        posix_spawn_file_actions_addclose(&actions, master)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let environment = ["TERM=xterm-256color", "PATH=/usr/bin:/bin", "HOME=\(scratch)"]
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let start = now()
        guard posix_spawn(&pid, command[0], &actions, &attributes, argv, envp) == 0 else {
            close(master)
            throw BenchError("could not start \(command[0])")
        }
        self.pid = pid
        var seen = [UInt8]()
        let needle = Array(marker.utf8)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var drawn: Double? = nil
        while now() < start + 10 {
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            let count = read(master, &buffer, buffer.count)
            if count <= 0 { break }
            seen += buffer[0..<count]
            if seen.suffix(count + needle.count).firstRange(of: needle) != nil {
                drawn = now() - start
                break
            }
        }
        guard let drawn else {
            Self.stop(pid, master)
            throw BenchError("\(command[0]) never drew its first screen; it printed: \(String(decoding: seen.prefix(400), as: UTF8.self))")
        }
        drawnAfter = drawn
    }

    func stop() { Self.stop(pid, master) }

    /// Ends the program, reading what it still writes so it can finish its goodbye.
    private static func stop(_ pid: pid_t, _ master: Int32) {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if poll(&descriptor, 1, 10) > 0 { _ = read(master, &buffer, buffer.count) }
        }
        close(master)
    }
}

/// A process's memory from /proc: resident, peak resident, and proportional (shared pages shared out).
struct Memory {
    var rssKiB = 0
    var peakKiB = 0
    var pssKiB = 0

    init(pid: pid_t) {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        rssKiB = Self.field("VmRSS:", in: status)
        peakKiB = Self.field("VmHWM:", in: status)
        let rollup = (try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)) ?? ""
        pssKiB = Self.field("Pss:", in: rollup)
    }

    private static func field(_ name: String, in text: String) -> Int {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "0") ?? 0
    }
}
