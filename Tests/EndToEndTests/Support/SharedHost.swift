import Foundation
import Glibc
import Testing

/// A shared-host installation made for one test: `make install-built` into a
/// fresh prefix with its store folder, real Unix users and groups (a reporter,
/// a guardian, an administrator, a ward login, a kiosk login), all removed
/// afterwards. Needs root, as CI runs.
final class SharedHost {
    /// True where real users can be made (root, with useradd and runuser).
    static var isPossible: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd")
            && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    let prefix: String
    let storeFolder: String
    let tag: String
    private(set) var createdGroups: [String] = []
    private(set) var createdUsers: [String] = []

    var binary: String { prefix + "/bin/speakup" }
    var store: String { storeFolder + "/speakup.sqlite" }
    var settings: String { prefix + "/etc/speakup/config.yaml" }
    var reporter: String { "su\(tag)rep" }
    var guardian: String { "su\(tag)grd" }
    var admin: String { "su\(tag)adm" }
    var wardLogin: String { "su\(tag)ward" }
    var kioskLogin: String { "su\(tag)kiosk" }

    init() throws {
        tag = String(UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(6))
        prefix = "/tmp/speakup-host-\(tag)"
        storeFolder = prefix + "/var/speakup"
        try FileManager.default.createDirectory(atPath: prefix, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        if try Command.run("/usr/bin/getent", ["group", "speakup"]).status != 0 { createdGroups.append("speakup") }
        let install = try Command.run("/usr/bin/make", [
            "-s", "-C", Self.repository, "install-built", "BIN=\(Binary.speakup)", "PREFIX=\(prefix)", "STORE=\(storeFolder)",
        ])
        guard install.status == 0 else { throw CommandFailed(description: "make install-built: \(install.stdout)\(install.stderr)") }
        for group in ["speakup-guardians", "speakup-admins"] where try Command.run("/usr/bin/getent", ["group", group]).status != 0 {
            try sh("/usr/sbin/groupadd", [group])
            createdGroups.append(group)
        }
        try addUser(reporter, fullName: "Rita Reporter")
        try addUser(guardian, fullName: "Gita Guardian", groups: ["speakup-guardians"])
        try addUser(admin, fullName: "Adam Admin", groups: ["speakup-admins"])
        try addUser(wardLogin, fullName: "Ward 7 terminal")
        try addUser(kioskLogin, fullName: "Kiosk")
        // The ward and kiosk logins are stations because the settings say so, not because they claim it.
        try configure("\nwards:\n  \(wardLogin):\n    location: Ward 7\nkiosks:\n  \(kioskLogin):\n    location: Main entrance\n")
    }

    /// Adds lines to the installed settings file (kept root-owned, as SpeakUp requires).
    func configure(_ lines: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: settings))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(lines.utf8))
    }

    deinit {
        for user in createdUsers { _ = try? Command.run("/usr/sbin/userdel", ["-r", "-f", user]) }
        for group in createdGroups.reversed() { _ = try? Command.run("/usr/sbin/groupdel", [group]) }
        try? FileManager.default.removeItem(atPath: prefix)
    }

    func addUser(_ name: String, fullName: String, groups: [String] = []) throws {
        // Password "*": no password works, but the account is not locked (sshd refuses locked ones).
        var arguments = ["-m", "-s", "/bin/sh", "-p", "*", "-c", fullName]
        if !groups.isEmpty { arguments += ["-G", groups.joined(separator: ",")] }
        try sh("/usr/sbin/useradd", arguments + [name])
        createdUsers.append(name)
    }

    /// Runs `speakup ARGS` as `user` (through runuser, so the real uid is theirs).
    func speakup(as user: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Command.Result {
        var env = ["PATH": "/usr/bin:/bin"]
        env.merge(environment) { $1 }
        return try Command.run("/usr/sbin/runuser", ["-u", user, "--", binary] + arguments, environment: env, input: input)
    }

    /// Runs any program as `user`.
    func run(as user: String, _ program: String, _ arguments: [String]) throws -> Command.Result {
        try Command.run("/usr/sbin/runuser", ["-u", user, "--", program] + arguments, environment: ["PATH": "/usr/bin:/bin"])
    }

    /// The installed binary in tmux, run as `user`.
    func tmux(as user: String, _ arguments: [String], environment: [String: String] = ["TERM": "xterm-256color"]) throws -> Tmux {
        try Tmux(command: ["/usr/sbin/runuser", "-u", user, "--", binary] + arguments, environment: environment)
    }

    /// `user` (a handler) chooses their passphrase at their first `speakup cases`, so reports can be
    /// sealed for them, and leaves the workspace.
    func chooseKey(as user: String) throws {
        let first = try tmux(as: user, ["cases"])
        try first.enterPassphrase()
        try first.waitFor("Cases for \(user)", timeout: 30)
        try first.press("q")
        guard try first.exitStatus() == 0 else { throw CommandFailed(description: "the workspace did not end cleanly") }
    }

    /// The reporter files an open report with the quickest answers in tmux and leaves;
    /// returns the confirmation screen (with its reference).
    @discardableResult
    func fileOpenReport(_ account: String, about subject: String = "") throws -> String {
        let form = try tmux(as: reporter, [])
        try form.waitFor("How would you like to raise this concern?")
        try form.press("Down", "Enter")  // openly
        try ReportInTmuxTests.quickAnswers(form, subject: subject)
        let saved = try ReportInTmuxTests.sendIdentifiedAccount(form, account)
        try form.press("Enter")
        guard try form.exitStatus() == 0 else { throw CommandFailed(description: "the form did not end cleanly") }
        return saved
    }

    /// Every byte of the store: the file, its log and its shared memory.
    func storeBytes() -> Data {
        [store, store + "-wal", store + "-shm"].reduce(into: Data()) { all, file in
            all += FileManager.default.contents(atPath: file) ?? Data()
        }
    }

    /// The reports, as the administrator exports them.
    func exported() throws -> [[String: Any]] {
        let result = try speakup(as: admin, ["export", "json"])
        guard result.status == 0 else { throw CommandFailed(description: "export: \(result.stderr)") }
        return try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]] ?? []
    }

    @discardableResult
    private func sh(_ program: String, _ arguments: [String]) throws -> Command.Result {
        let result = try Command.run(program, arguments, environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
        guard result.status == 0 else { throw CommandFailed(description: "\(program) \(arguments.joined(separator: " ")): \(result.stderr)") }
        return result
    }

    static func mode(_ path: String) -> (mode: UInt32, user: UInt32, group: String) {
        var info = stat()
        stat(path, &info)
        let group = getgrgid(info.st_gid).map { String(cString: $0.pointee.gr_name) } ?? "?"
        return (UInt32(info.st_mode & 0o7777), info.st_uid, group)
    }
}

/// Every test that makes real users and groups runs one at a time, whichever file it is in:
/// they share the `speakup` group and the role groups the installed settings name.
@Suite("End to end: shared hosts, one at a time", .serialized)
enum SharedHostSuites {}
