import Foundation
import Glibc

/// A program the suite started: its standard output and error go to files in
/// the scenario's folder (never a pipe that could fill and hold it up), its
/// standard input is /dev/null, and it leads a process group of its own, so a
/// hung child and anything it started (strace's tracee) are killed together.
final class Child {
    let pid: pid_t
    let command: [String]
    let started: Double
    private let outputPath: String
    private let errorPath: String
    private(set) var ending: Ending?

    /// How a child ended.
    struct Ending {
        enum How: Equatable {
            case exited(Int32)
            case signalled(Int32)
        }
        let how: How
        /// True when the suite had to kill it because it passed its deadline.
        let stalled: Bool
        let seconds: Double
        let output: String
        let error: String

        var succeeded: Bool { how == .exited(0) && !stalled }
        var exitCode: Int32? { if case .exited(let code) = how { code } else { nil } }
        var signal: Int32? { if case .signalled(let signal) = how { signal } else { nil } }

        /// "exit 1", "killed by signal 9", for messages.
        var said: String {
            switch how {
            case .exited(let code): "exit \(code)"
            case .signalled(let signal): "killed by signal \(signal)\(stalled ? " (stalled: killed by the suite at its deadline)" : "")"
            }
        }
    }

    /// The environment every child gets: no store or rules from the person running the suite.
    static func environment(home: String, extra: [String: String] = [:]) -> [String: String] {
        var values = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": home]
        for (key, value) in extra { values[key] = value }
        return values
    }

    /// Starts `command` (a full path first). `name` names its output files in `folder`.
    init(_ command: [String], in folder: String, name: String, environment: [String: String]) throws(TortureError) {
        self.command = command
        outputPath = "\(folder)/\(name).out"
        errorPath = "\(folder)/\(name).err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // No signal blocked or ignored in the child, whatever the suite's own state.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGTTIN, SIGTTOU, SIGTSTP, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw TortureError("could not start \(command[0]): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        started = monotonicSeconds()
    }

    /// True while the child has not ended (reaping it if it just has).
    var isRunning: Bool {
        if ending != nil { return false }
        return !reap(stalled: false)
    }

    /// Sends `signal` to the child alone (not its group).
    func send(_ signal: Int32) {
        if ending == nil { kill(pid, signal) }
    }

    /// Waits until the child ends or `deadline` (monotonic seconds) passes; a child
    /// still running then is killed with its whole group and counted as stalled.
    @discardableResult
    func wait(until deadline: Double) -> Ending {
        if let ending { return ending }
        var nap = 0.001
        while monotonicSeconds() < deadline {
            if reap(stalled: false) { return ending! }
            pause(min(nap, max(0, deadline - monotonicSeconds())))
            nap = min(nap * 1.5, 0.02)
        }
        if reap(stalled: false) { return ending! }
        killGroup()
        return ending!
    }

    /// Kills the child and its process group, then reaps it (SIGKILL cannot be refused;
    /// a stopped child is killed too). Marks it stalled.
    func killGroup() {
        guard ending == nil else { return }
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        // SIGKILL cannot be refused, but a process stuck in the kernel (uninterruptible I/O) is not
        // reaped until it returns: that wait has a deadline too.
        let deadline = monotonicSeconds() + 10
        while monotonicSeconds() < deadline {
            if reap(stalled: true) { return }
            pause(0.005)
        }
        ending = Ending(how: .signalled(SIGKILL), stalled: true, seconds: monotonicSeconds() - started,
                        output: Self.read(outputPath), error: Self.read(errorPath) + "\n(still not gone 10 s after SIGKILL)")
    }

    /// Waits for each child up to the one deadline.
    static func waitAll(_ children: [Child], until deadline: Double) -> [Ending] {
        var nap = 0.001
        while monotonicSeconds() < deadline, children.contains(where: \.isRunning) {
            pause(nap)
            nap = min(nap * 1.5, 0.02)
        }
        return children.map { $0.wait(until: deadline) }
    }

    private func reap(stalled: Bool) -> Bool {
        guard ending == nil else { return true }
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, WNOHANG) } while result == -1 && errno == EINTR
        guard result == pid else { return false }
        let how: Ending.How
        // The wait-status layout: the low 7 bits are the terminating signal, 0 for a normal exit.
        if status & 0x7f == 0 { how = .exited((status >> 8) & 0xff) } else { how = .signalled(status & 0x7f) }
        ending = Ending(
            how: how, stalled: stalled, seconds: monotonicSeconds() - started,
            output: Self.read(outputPath), error: Self.read(errorPath))
        return true
    }

    private static func read(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A problem in the suite itself (not in speakup): it stops the scenario with a sentence.
struct TortureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
