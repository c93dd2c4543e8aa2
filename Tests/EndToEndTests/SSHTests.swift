import Foundation
import Glibc
import Testing

/// A real OpenSSH server on 127.0.0.1 whose ForceCommand is the installed speakup,
/// as docs/deployment.md sets it up, with a generated host key and client key.
final class SSHServer {
    let host: SharedHost
    let folder: String
    let port: Int
    var clientKey: String { folder + "/client_key" }

    static var isPossible: Bool {
        SharedHost.isPossible && FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh")
    }

    init(host: SharedHost, user: String) throws {
        self.host = host
        folder = host.prefix + "/ssh"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        port = try Self.freePort()
        for key in ["host_key", "client_key"] {
            let made = try Command.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", folder + "/" + key])
            guard made.status == 0 else { throw CommandFailed(description: "ssh-keygen: \(made.stderr)") }
        }
        // The user's authorized key, owned by them, as sshd's StrictModes wants.
        let home = String(cString: getpwnam(user)!.pointee.pw_dir)
        let entry = getpwnam(user)!.pointee
        try FileManager.default.createDirectory(atPath: home + "/.ssh", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.copyItem(atPath: clientKey + ".pub", toPath: home + "/.ssh/authorized_keys")
        chmod(home, 0o755)
        for path in [home + "/.ssh", home + "/.ssh/authorized_keys"] { chown(path, entry.pw_uid, entry.pw_gid) }
        chmod(home + "/.ssh/authorized_keys", 0o600)
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(folder)/host_key
            PidFile \(folder)/sshd.pid
            AuthorizedKeysFile .ssh/authorized_keys
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            UsePAM no
            PermitRootLogin no
            AllowUsers \(user)
            X11Forwarding no
            AllowTcpForwarding no
            Match User \(user)
                ForceCommand \(host.binary)
            """
        try config.write(toFile: folder + "/sshd_config", atomically: true, encoding: .utf8)
        let started = try Command.run("/usr/sbin/sshd", ["-f", folder + "/sshd_config", "-E", folder + "/sshd.log"])
        guard started.status == 0 else { throw CommandFailed(description: "sshd: \(started.stderr)") }
        // sshd forks into the background; wait until it has written its pid.
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: folder + "/sshd.pid") && Date() < deadline { usleep(20_000) }
    }

    deinit {
        if let text = try? String(contentsOfFile: folder + "/sshd.pid", encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(pid, SIGTERM)
        }
    }

    /// `ssh -tt user@127.0.0.1` in tmux: the ForceCommand runs speakup on the far side.
    func login(_ user: String) throws -> Tmux {
        try Tmux(command: [
            "/usr/bin/ssh", "-tt", "-F", "/dev/null", "-i", clientKey, "-p", "\(port)",
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
            "-o", "BatchMode=yes", "\(user)@127.0.0.1",
        ], environment: ["TERM": "xterm-256color"])
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CommandFailed(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension SharedHostSuites {
    @Suite("End to end: SpeakUp as an SSH ForceCommand", .enabled(if: SSHServer.isPossible, "needs root, sshd and ssh"))
    struct SSHTests {
        @Test("a report filed over SSH is stored as that login's; a dropped connection keeps the draft for the next login")
        func overSSH() throws {
            let host = try SharedHost()
            let server = try SSHServer(host: host, user: host.reporter)

            // First login: a whole open report.
            let first = try server.login(host.reporter)
            try first.waitFor("How would you like to raise this concern?")
            try first.press("Down", "Enter")  // openly
            try ReportInTmuxTests.quickAnswers(first)
            try ReportInTmuxTests.sendIdentifiedAccount(first, "Ridiculed a healthcare assistant at handover.")
            try first.press("Enter")
            try first.waitFor("the connection to close") { $0.contains("[exited 0]") || $0.contains("Connection to 127.0.0.1 closed") }
            let reports = try host.exported()
            #expect(reports.count == 1)
            #expect((reports.first?["reporter"] as? [String: Any])?["user"] as? String == host.reporter)

            // Second login: half a report, then the client is killed.
            let second = try server.login(host.reporter)
            try second.waitFor("How would you like to raise this concern?")
            try second.press("Down", "Down", "Enter")  // confidential
            try ReportInTmuxTests.quickAnswers(second)
            try second.type("Shouted at the night porter")
            try second.waitFor("Shouted at the night porter")
            let client = try second.programPID()
            kill(client, SIGKILL)
            try second.waitFor("the client to die") { $0.contains("[exited ") }
            // sshd hangs up on speakup, which keeps the draft and ends.
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline,
                try Command.run("/usr/bin/pgrep", ["-u", host.reporter, "-x", "speakup"]).status == 0 {
                usleep(50_000)
            }
            #expect(try Command.run("/usr/bin/pgrep", ["-u", host.reporter, "-x", "speakup"]).status != 0)

            // Third login: the draft is offered, with every answer, and opens where it was left:
            // on the page with the account typed before the hang-up.
            let third = try server.login(host.reporter)
            try third.waitFor("Welcome back")
            #expect(try third.screen().contains("Raised confidentially"))
            try third.press("r")
            try third.waitForWords("Your answers are as you left them, and you are where you left off.")
            let resumed = try third.waitFor("What happened?")
            #expect(resumed.contains("Shouted at the night porter"))
            #expect(try host.exported().count == 1)  // the draft was never sent
        }
    }
}
