import Foundation
import Testing

/// The real `speakup` binary in a private tmux server: keys in with send-keys,
/// the screen out with capture-pane, and every wait a poll on screen text
/// against a deadline, never a fixed sleep.
final class Tmux {
    let socket: String
    let target = "speakup"

    /// Starts `speakup ARGS` in a new detached session of the given size. The
    /// environment is exactly `environment` (plus PATH): LANG and friends are
    /// unset unless given. When the program ends, the pane shows `[exited N]`.
    /// `limits` is shell run first, e.g. `ulimit -f 40; trap '' XFSZ` to make writes fail.
    convenience init(_ arguments: [String], environment: [String: String], columns: Int = 80, rows: Int = 24, limits: String = "") throws {
        try self.init(command: [Binary.speakup] + arguments, environment: environment, columns: columns, rows: rows, limits: limits)
    }

    /// Starts any command line (such as `runuser -u NAME -- speakup kiosk`) the same way.
    init(command: [String], environment: [String: String], columns: Int = 80, rows: Int = 24, limits: String = "") throws {
        socket = "speakup-e2e-\(UUID().uuidString.prefix(8))"
        var assignments = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { assignments.append("\(key)=\(value)") }
        let program = command.map(Tmux.quote).joined(separator: " ")
        let shell = "\(limits.isEmpty ? "" : limits + "; ")env -i \(assignments.map(Tmux.quote).joined(separator: " ")) \(program); echo \"[exited $?]\"; exec sleep 600"
        try run(["new-session", "-d", "-s", target, "-x", "\(columns)", "-y", "\(rows)", shell])
    }

    deinit { kill() }

    /// Ends the session and whatever runs in it, as a hang-up would (the program gets SIGHUP).
    func kill() { _ = try? run(["kill-server"]) }

    /// Sends tmux key names (Enter, Down, C-c, F1…).
    func press(_ keys: String...) throws { try run(["send-keys", "-t", target] + keys) }

    /// Types text as if at the keyboard, one key at a time.
    func type(_ text: String) throws { try run(["send-keys", "-t", target, "-l", "--", text]) }

    /// Pastes text with bracketed paste, as a terminal does when a person pastes.
    func paste(_ text: String) throws {
        let file = NSTemporaryDirectory() + "\(socket)-paste"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        try run(["load-buffer", "-b", "e2e", file])
        try run(["paste-buffer", "-p", "-d", "-b", "e2e", "-t", target])
    }

    func resize(columns: Int, rows: Int) throws {
        try run(["resize-window", "-t", target, "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// The screen as text; with `attributes`, with the SGR sequences tmux would use to redraw it.
    func screen(attributes: Bool = false) throws -> String {
        try run(["capture-pane", "-p"] + (attributes ? ["-e"] : []) + ["-t", target])
    }

    /// A tmux format value for the pane, e.g. `#{pane_title}`.
    func value(_ format: String) throws -> String {
        try run(["display-message", "-p", "-t", target, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until the screen satisfies `predicate`; fails the test with the last screen if it never does.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 20, sourceLocation: SourceLocation = #_sourceLocation,
                 _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if predicate(last) { return last }
            usleep(20_000)
        }
        Issue.record("Timed out waiting for \(what). The screen was:\n\(last)", sourceLocation: sourceLocation)
        throw TimedOut()
    }

    /// Waits until the screen has stayed the same for `quiet` seconds: the program has read and drawn
    /// every key sent. A condition, not a fixed sleep: a slow machine waits longer, a fast one less.
    @discardableResult
    func waitUntilSettled(quiet: TimeInterval = 0.5, timeout: TimeInterval = 20, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = try screen()
        var since = Date()
        while Date() < deadline {
            usleep(20_000)
            let now = try screen()
            if now != last {
                last = now
                since = Date()
            } else if Date().timeIntervalSince(since) >= quiet {
                return now
            }
        }
        Issue.record("The screen never settled. It was:\n\(last)", sourceLocation: sourceLocation)
        throw TimedOut()
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 20, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try waitFor(text.debugDescription, timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// Waits until the screen holds `sentence` however it wrapped: the screen's words, one space
    /// between each, contain the sentence's.
    @discardableResult
    func waitForWords(_ sentence: String, timeout: TimeInterval = 20, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let wanted = Tmux.words(sentence)
        return try waitFor(sentence.debugDescription, timeout: timeout, sourceLocation: sourceLocation) { Tmux.words($0).contains(wanted) }
    }

    /// The words of a screen or a sentence, one space between each.
    static func words(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    /// Waits for the program to end and returns its exit status.
    func exitStatus(sourceLocation: SourceLocation = #_sourceLocation) throws -> Int32 {
        let screen = try waitFor("the program to exit", sourceLocation: sourceLocation) { $0.contains("[exited ") }
        let tail = screen.components(separatedBy: "[exited ").last ?? ""
        return Int32(tail.prefix { $0.isNumber }) ?? -1
    }

    /// The pid of the speakup process inside the pane.
    func programPID() throws -> Int32 {
        let shell = try value("#{pane_pid}")
        let children = try Command.run("/usr/bin/pgrep", ["-P", shell]).stdout
        guard let pid = children.split(separator: "\n").compactMap({ Int32($0) }).first else { throw TimedOut() }
        return pid
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let result = try Command.run("/usr/bin/tmux", ["-L", socket, "-f", "/dev/null"] + arguments)
        guard result.status == 0 else {
            throw CommandFailed(description: "tmux \(arguments.first ?? ""): \(result.stderr)")
        }
        return result.stdout
    }

    static func quote(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    struct TimedOut: Error {}
}

struct CommandFailed: Error, CustomStringConvertible {
    let description: String
}

extension Tmux {
    /// The passphrase the end-to-end tests' handlers choose.
    static let passphrase = "blue kettle morning"

    /// Gets past the passphrase screen `speakup cases` opens on: chooses the passphrase the first
    /// time or for a forgotten one (typed twice), else types it once.
    func enterPassphrase(_ passphrase: String = Tmux.passphrase, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let screen = try waitFor("the passphrase screen", sourceLocation: sourceLocation) {
            $0.contains("Choose a passphrase") || $0.contains("Your passphrase") || $0.contains("A new key for a forgotten passphrase")
        }
        try type(passphrase)
        try press("Enter")
        if screen.contains("Choose a passphrase") || screen.contains("A new key for a forgotten passphrase") {
            try waitFor("The same passphrase again", sourceLocation: sourceLocation)
            try type(passphrase)
            try press("Enter")
        }
    }
}
