import Foundation
import Glibc

/// The reporter form on a pseudo-terminal, as a person would use it: `speakup`
/// runs in a private tmux server (its own socket) at 80x24, keys go in with
/// send-keys and the screen comes out with capture-pane. tmux keeps the pane
/// after the program dies, so the last screen can still be read after a kill -9.
/// Every tmux call and every wait for the screen has a deadline.
final class FormTerminal {
    static let tmux = "/usr/bin/tmux"
    private let socket: String
    private let folder: String
    private let environment: [String: String]
    /// The speakup process (tmux runs it with exec, so the pane's pid is speakup's).
    private(set) var pid: pid_t = 0

    init(_ command: [String], in folder: String, name: String) throws(TortureError) {
        self.folder = folder
        socket = "\(folder)/\(name).tmux"
        environment = Child.environment(home: folder)
        let config = folder + "/tmux.conf"
        _ = FileManager.default.createFile(atPath: config, contents: Data("set -g remain-on-exit on\n".utf8))
        let program = (["exec", "env", "-i", "PATH=/usr/bin:/bin", "TERM=xterm-256color", "HOME=\(folder)"] + command)
            .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        try run(["-f", config, "new-session", "-d", "-x", "80", "-y", "24", program])
        guard let text = try? run(["display-message", "-p", "#{pane_pid}"]), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TortureError("tmux did not say which process runs the form")
        }
        self.pid = pid
    }

    deinit { close() }

    /// Ends the tmux server (and the form, if it still runs).
    func close() {
        _ = try? run(["kill-server"])
    }

    /// tmux key names: Enter, Tab, Down, Space…
    func press(_ keys: String...) throws(TortureError) { try run(["send-keys", "-t", "0"] + keys) }

    /// Types text as at the keyboard.
    func type(_ text: String) throws(TortureError) { try run(["send-keys", "-t", "0", "-l", "--", text]) }

    /// The screen as text.
    func screen() -> String { (try? run(["capture-pane", "-p", "-t", "0"])) ?? "" }

    /// Waits until the screen shows one of `texts`; the screen, or nil if `seconds` pass first.
    func waitFor(_ texts: [String], seconds: Double = 20) -> String? {
        let deadline = monotonicSeconds() + seconds
        while monotonicSeconds() < deadline {
            let shown = screen()
            if texts.contains(where: shown.contains) { return shown }
            pause(0.02)
        }
        return nil
    }

    /// Kills the form with SIGKILL and waits (up to 5 s) until the process is gone.
    func kill9() {
        kill(pid, SIGKILL)
        let deadline = monotonicSeconds() + 5
        while monotonicSeconds() < deadline && kill(pid, 0) == 0 && !isZombie { pause(0.005) }
    }

    private var isZombie: Bool {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true
    }

    @discardableResult
    private func run(_ arguments: [String]) throws(TortureError) -> String {
        let child = try Child([Self.tmux, "-S", socket] + arguments, in: folder, name: "tmux", environment: environment)
        let ending = child.wait(until: monotonicSeconds() + 10)
        guard ending.succeeded else {
            throw TortureError("tmux \(arguments.first == "-f" ? "new-session" : arguments[0]) ended with \(ending.said): \(ErrorKind.firstSentence(of: ending.error))")
        }
        return ending.output
    }
}
