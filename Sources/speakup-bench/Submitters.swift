import Foundation
import Glibc
import SpeakUpCore

/// Many processes submitting at once, for the SQLite (SharedHostBench) and PostgreSQL
/// (PostgresBench) figures: the bench runs itself as children (`bench MODE TARGET COUNT OUT
/// START GAP`), lets them go at one moment, and gathers what each wrote.
enum Submitters {
    /// What the children wrote: each report's latency or why it failed, and the processor time the
    /// children spent from the common start to their last report (user and system, seconds, summed).
    struct Outcome {
        var latencies = Sample()
        var failures = 0
        var firstFailure: String? = nil
        var processorSeconds = 0.0
    }

    /// Starts `processes` children of `bench` in `mode` against `target` (a store file or an address),
    /// each submitting `each` reports from `lead` seconds from now (every `gap` seconds, or back to
    /// back when it is 0), and gathers their latencies; a report not accounted for counts as failed.
    /// `atStart` runs at the common start (to read a server's clock of processor time, say).
    static func atOnce(bench: String, mode: String, target: String, processes: Int, each: Int, gap: Double, lead: Double,
                       folder: String, atStart: () -> Void = {}) throws -> Outcome {
        let startAt = wallClock() + lead
        var children: [(pid_t, String)] = []
        for index in 0..<processes {
            let out = folder + "/\(mode.dropFirst(2))-\(index)-\(getpid()).txt"
            unlink(out)
            children.append((try spawn([bench, mode, target, String(each), out, String(startAt), String(gap)]), out))
        }
        wait(until: startAt)
        atStart()
        var outcome = Outcome()
        for (pid, out) in children {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            var reports = 0
            for line in ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").split(separator: "\n") {
                if line.hasPrefix(processorPrefix) {
                    outcome.processorSeconds += Double(line.dropFirst(processorPrefix.count)) ?? 0
                    continue
                }
                reports += 1
                if line.hasPrefix("failed") {
                    outcome.failures += 1
                    outcome.firstFailure = outcome.firstFailure ?? String(line.prefix(300))
                } else if let value = Double(line) { outcome.latencies.milliseconds.append(value) }
            }
            outcome.failures += max(0, each - reports)  // a process that died counts its missing reports
            unlink(out)
        }
        return outcome
    }

    /// How a child's line of processor time starts.
    private static let processorPrefix = "processor "

    /// This process's processor time so far (user and system), in seconds.
    static func processorSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// The child's side: reads its arguments (TARGET COUNT OUT START GAP), opens what it submits to
    /// (`open`, given the target, returns the timed submit of a report, CommitBench's, made before the
    /// clock starts, and what follows it untimed), waits for the
    /// common start, submits (each at `start + n * gap`, or back to back when the gap is 0), and writes
    /// each latency in milliseconds (or "failed: why") to OUT.
    static func child(_ arguments: [String], open: (String) throws -> (submit: (Report) throws -> Void, after: () -> Void)) -> Never {
        guard arguments.count == 5, let count = Int(arguments[1]), let startAt = Double(arguments[3]), let gap = Double(arguments[4])
        else { exit(64) }
        var lines: [String] = []
        do {
            let (submit, after) = try open(arguments[0])
            wait(until: startAt)
            let processorAtStart = processorSeconds()
            defer { lines.append(processorPrefix + String(processorSeconds() - processorAtStart)) }
            for round in 0..<count {
                if gap > 0 { wait(until: startAt + Double(round) * gap) }
                let report = CommitBench.report()
                let start = now()
                do {
                    try submit(report)
                    lines.append(String((now() - start) * 1000))
                    after()
                } catch {
                    lines.append("failed: \(error)".replacingOccurrences(of: "\n", with: " "))
                }
            }
        } catch {
            lines.append("failed: \(error)".replacingOccurrences(of: "\n", with: " "))
        }
        try? (lines.joined(separator: "\n") + "\n").write(toFile: arguments[2], atomically: true, encoding: .utf8)
        exit(0)
    }

    static func spawn(_ command: [String]) throws -> pid_t {
        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, command[0], nil, nil, argv, environ) == 0 else { throw BenchError("could not start \(command[0])") }
        return pid
    }

    /// Seconds since 1970 (children agree on it; the monotonic clock is per boot, but all the same).
    static func wallClock() -> Double {
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        return Double(wall.tv_sec) + Double(wall.tv_nsec) / 1e9
    }

    static func wait(until moment: Double) {
        let left = moment - wallClock()
        if left > 0 { usleep(useconds_t(left * 1_000_000)) }
    }
}

/// Times `body` and its `floor` in turn, `runs` times after three untimed runs of each (to warm the
/// caches), stopping early once `giveUpAfter` seconds have gone (after 5 runs at least). Returns both
/// samples and the rows the body's last run gave.
func measureBeside(runs: Int = 30, giveUpAfter: Double = .infinity, _ body: () throws -> Int, floor: () throws -> Int) throws
    -> (Sample, Sample, Int) {
    var ours = Sample(), raw = Sample()
    var rows = 0
    for _ in 0..<3 { _ = try body(); _ = try floor() }
    let began = now()
    for run in 0..<runs {
        if run >= 5 && now() - began > giveUpAfter { break }
        let start = now()
        rows = try body()
        ours.add(now() - start)
        let floorStart = now()
        _ = try floor()
        raw.add(now() - floorStart)
    }
    return (ours, raw, rows)
}
