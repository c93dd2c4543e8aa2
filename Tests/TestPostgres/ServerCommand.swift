import CProcessHardening
import Foundation

/// Runs the PostgreSQL programs a throwaway cluster needs, as root through `runuser -u postgres`.
///
/// posix_spawn and waitpid, not Foundation's `Process`: `Process` learns of a child's exit
/// through a socket the child inherits, and the server `pg_ctl start` leaves running keeps it
/// open, so `waitUntilExit` would never return. Output goes to a file for the same reason.
public enum ServerCommand {
    /// Runs `arguments` (the first found on PATH) to its end and returns what it printed; throws
    /// with that output when it fails. `asServer`: as root, run it as the `postgres` user.
    @discardableResult
    static func run(_ arguments: [String], asServer: Bool, in directory: String? = nil) throws(ThrowawayCluster.Unavailable) -> String {
        let command = asServer && getuid() == 0 ? ["runuser", "-u", "postgres", "--"] + arguments : arguments
        let output = NSTemporaryDirectory() + "speakup-pg-output-" + UUID().uuidString
        defer { unlink(output) }
        let pid = try spawn(command, output: output, in: directory)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self)
        guard status == 0 else {
            throw ThrowawayCluster.Unavailable(description: "\(command.joined(separator: " ")) failed (status \(status)): \(text)")
        }
        return text
    }

    /// Starts `arguments` with no terminal and its output going to `output` (its errors too, unless
    /// `errors` names another file), and does not wait for it. `environment`: the whole environment
    /// it gets (else this process's); `newGroup`: in a process group of its own, whose id is its pid.
    @discardableResult
    public static func spawn(_ arguments: [String], output: String = "/dev/null", errors: String? = nil, in directory: String? = nil,
                             environment: [String: String]? = nil, newGroup: Bool = false) throws(ThrowawayCluster.Unavailable) -> pid_t {
        // Glibc's module has no posix_spawn_file_actions_addchdir_np: a shell changes folder first.
        let arguments = directory.map { ["sh", "-c", "cd \"$0\" && exec \"$@\"", $0] + arguments } ?? arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let errors {
            posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        // The server keeps nothing of the test process open: a test's connection closed by SpeakUp must
        // reach its server as closed (swift-nio's sockets are not close-on-exec, and a server started
        // meanwhile by another suite would otherwise hold it open for as long as it runs).
        let closing = speakup_spawn_close_from(&actions, 3)
        guard closing == 0 else {
            throw ThrowawayCluster.Unavailable(description: "Could not keep the test process's files from \(arguments[0]): \(String(cString: strerror(closing))).")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Test threads block signals; the server must not inherit that.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK)
        if newGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let argv = arguments.map { strdup($0) } + [nil]
        var envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = envp == nil ? posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
            : posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, &envp!)
        guard spawned == 0 else {
            throw ThrowawayCluster.Unavailable(description: "Could not run \(arguments[0]): \(String(cString: strerror(spawned))).")
        }
        return pid
    }
}
