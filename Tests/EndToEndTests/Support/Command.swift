import Foundation
import Glibc

/// Runs a program to completion and collects what it printed.
enum Command {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        let stdoutData: Data
    }

    /// Spawns with posix_spawn and waits with waitpid. Foundation's `Process`
    /// learns of a child's exit through a socket the child inherits, so when
    /// the child starts a daemon (the tmux server) that keeps it open,
    /// `waitUntilExit` never returns. Output goes to files, not pipes, for the
    /// same reason.
    /// `input`, when given, is the command's standard input (else /dev/null).
    static func run(_ path: String, _ arguments: [String], environment: [String: String]? = nil, input: String? = nil) throws -> Result {
        let base = NSTemporaryDirectory() + "speakup-command-" + UUID().uuidString
        defer {
            unlink(base + ".out")
            unlink(base + ".err")
            unlink(base + ".in")
        }
        if let input {
            guard FileManager.default.createFile(atPath: base + ".in", contents: Data(input.utf8), attributes: [.posixPermissions: 0o644]) else {
                throw CommandFailed(description: "could not write the command's input")
            }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input == nil ? "/dev/null" : base + ".in", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, base + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, base + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let environmentPairs = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp = environmentPairs.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // Test threads block signals; the child (and any tmux server it starts)
        // must not inherit that, or the program under test never sees SIGWINCH.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw CommandFailed(description: "could not start \(path): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let outputData = FileManager.default.contents(atPath: base + ".out") ?? Data()
        let errorData = FileManager.default.contents(atPath: base + ".err") ?? Data()
        return Result(status: exitStatus, stdout: String(decoding: outputData, as: UTF8.self),
                      stderr: String(decoding: errorData, as: UTF8.self), stdoutData: outputData)
    }
}

/// Where the built `speakup` is: $SPEAKUP_BIN (set by `make test`), else the debug build.
enum Binary {
    static let speakup: String = {
        if let path = ProcessInfo.processInfo.environment["SPEAKUP_BIN"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/speakup").path
    }()

    /// Runs `speakup ARGS` without a terminal.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Command.Result {
        var env = ["PATH": "/usr/bin:/bin"]
        env.merge(environment) { $1 }
        return try Command.run(speakup, arguments, environment: env)
    }
}

/// A fresh folder for one test, removed afterwards.
final class Scratch {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "speakup-e2e-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var store: String { path + "/speakup.sqlite" }
}
