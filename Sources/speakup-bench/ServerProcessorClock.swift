import Foundation
import Glibc

/// The processor time (user and system, seconds) a PostgreSQL server has spent: its postmaster's, its
/// live processes' (backends, the WAL writer, the checkpointer...), and the ended processes' the
/// postmaster has reaped (a backend's, once its client has gone). Read from /proc, for the bench's
/// "processor time a submit costs the server" beside what it costs the client.
struct ServerProcessorClock {
    let postmaster: pid_t
    private let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// The server whose data folder is `data` (its `postmaster.pid` names the postmaster).
    init(data: String) throws {
        guard let text = try? String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8),
              let first = text.split(separator: "\n").first, let pid = pid_t(first) else {
            throw BenchError("could not read the server's postmaster.pid in \(data)")
        }
        postmaster = pid
    }

    /// Seconds so far, for the differences between two readings.
    func seconds() -> Double {
        var ticks = 0
        if let own = Self.stat(postmaster) { ticks += own.ownTicks + own.reapedTicks }
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for name in processes {
            guard let pid = pid_t(name), pid != postmaster, let stat = Self.stat(pid), stat.parent == postmaster else { continue }
            ticks += stat.ownTicks
        }
        return Double(ticks) / ticksPerSecond
    }

    /// Waits until the server has no process left but those it keeps whatever the clients do (at
    /// most `seconds`): the backends of clients that have gone are reaped, so their time is counted.
    func settle(backgroundProcesses: Int, within seconds: Double = 5) {
        let giveUp = now() + seconds
        while now() < giveUp && children() > backgroundProcesses {
            usleep(20_000)
        }
    }

    /// How many processes the server has now (its background processes, when no client is connected).
    func children() -> Int {
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return processes.compactMap(pid_t.init).filter { Self.stat($0)?.parent == postmaster }.count
    }

    /// The parent, own ticks (utime + stime) and reaped children's ticks (cutime + cstime) of a process,
    /// from /proc/PID/stat (fields 4, 14-17; the name in parentheses may hold spaces, so counted from its end).
    private static func stat(_ pid: pid_t) -> (parent: pid_t, ownTicks: Int, reapedTicks: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 14, let parent = pid_t(fields[1]), let utime = Int(fields[11]), let stime = Int(fields[12]),
              let cutime = Int(fields[13]), let cstime = Int(fields[14]) else { return nil }
        return (parent, utime + stime, cutime + cstime)
    }
}
