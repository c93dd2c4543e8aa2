import Foundation
import Synchronization

/// A PostgreSQL cluster of the test process's own: made with `initdb` in a temporary folder,
/// listening on its own Unix socket (in that folder) and its own free port on 127.0.0.1, and
/// stopped and removed when the process ends, however it ends (an `atexit` handler, and a
/// watchdog process that waits for this one to go and then stops the server and removes the folder).
///
/// The server runs as an unprivileged user: as root (CI, the shared-host tests), initdb, pg_ctl
/// and postgres run as the `postgres` user that Debian's postgresql package makes, in a folder
/// given to it; otherwise as whoever runs the tests.
///
/// Logins: `postgres`, the superuser, over the socket without a password; `speakup_tester`
/// with `password` (scram-sha-256), over the socket and over TCP. Use one cluster per process
/// (`ThrowawayCluster.shared()`) and a fresh database per test (`makeDatabase()`):
///
///     let cluster = try ThrowawayCluster.shared()
///     let database = try cluster.makeDatabase()
///     // database.socketURL: postgresql://postgres@:PORT/NAME?host=/tmp/…/socket (no password)
///     // database.tcpURL:    postgresql://speakup_tester@127.0.0.1:PORT/NAME?sslmode=disable
public final class ThrowawayCluster: Sendable {
    /// The temporary folder holding the data, the socket and the log; removed at the end.
    public let folder: String
    /// The folder holding the server's Unix socket.
    public let socketFolder: String
    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// The folder of the PostgreSQL programs used.
    public let programs: String
    /// The superuser, let in over the socket without a password.
    public let superuser = "postgres"
    /// A login with a password, for TCP and password tests.
    public let passwordUser = "speakup_tester"
    public let password = "throwaway-Secret-1"

    private let creating = NSLock()
    private let standbyStarted = Mutex<Int?>(nil)

    /// Why there is no cluster: a sentence for the failing test.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// The process's cluster, started the first time it is asked for (once, whichever thread asks).
    public static func shared() throws(Unavailable) -> ThrowawayCluster {
        try started.get()
    }

    private static let started: Result<ThrowawayCluster, Unavailable> = {
        do throws(Unavailable) {
            let cluster = try ThrowawayCluster()
            atexit { if case .success(let cluster) = ThrowawayCluster.started { cluster.stop() } }
            return .success(cluster)
        } catch {
            return .failure(error)
        }
    }()

    /// A fresh, empty database: its name, an address reaching it over the socket as the
    /// superuser, and one reaching it over TCP as `speakup_tester` (whose password is `password`).
    public func makeDatabase() throws(Unavailable) -> (name: String, socketURL: String, tcpURL: String) {
        let name = "speakup_test_" + UUID().uuidString.prefix(8).lowercased()
        creating.lock()
        defer { creating.unlock() }
        try sql("CREATE DATABASE \(name)")
        return (name,
                "postgresql://\(superuser)@:\(port)/\(name)?host=\(socketFolder)",
                "postgresql://\(passwordUser)@127.0.0.1:\(port)/\(name)?sslmode=disable")
    }

    /// Runs SQL as `sql` does, one caller at a time across the process: for what every suite makes once
    /// per cluster (SpeakUp's logins), which two suites making at once would collide on.
    @discardableResult
    public func sqlAlone(_ statements: String) throws(Unavailable) -> String {
        creating.lock()
        defer { creating.unlock() }
        return try sql(statements)
    }

    /// Runs SQL through psql as the superuser (in `database`, or the `postgres` database), and
    /// returns what it printed (unaligned, tuples only).
    @discardableResult
    public func sql(_ statements: String, database: String = "postgres") throws(Unavailable) -> String {
        try ServerCommand.run(["\(programs)/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", socketFolder, "-p", String(port),
                      "-U", superuser, "-d", database, "-c", statements], asServer: false)
    }

    /// A cluster of the caller's own, not the process's shared one, that commits to disk as a
    /// production server does (`fsync` on; the tests' clusters turn it off): for `make bench`. The
    /// caller stops it (`stop()`); the watchdog removes it if the process dies first.
    /// `settings` are the server's own settings as `name=value` (the bench's `--pg-setting`, such as
    /// `shared_buffers=2GB`, or a folder: `log_directory=/tmp/pg-log`), each given to the server at start
    /// (through `pg_ctl`'s shell); one of any other shape is refused.
    public static func durable(settings: [String] = []) throws(Unavailable) -> ThrowawayCluster {
        for setting in settings where setting.wholeMatch(of: /[a-z_.]+=[A-Za-z0-9._\/-]+/) == nil {
            throw Unavailable(description: "A server setting is written name=value, with letters, digits, dots, dashes, underscores and slashes only in the value (shared_buffers=2GB): \"\(setting)\" is not.")
        }
        return try ThrowawayCluster(fsync: true, settings: settings)
    }

    private init(fsync: Bool = false, settings: [String] = []) throws(Unavailable) {
        programs = try Self.findPrograms()
        let asRoot = getuid() == 0
        if asRoot, getpwnam("postgres") == nil {
            throw Unavailable(description: "The tests' PostgreSQL server must not run as root, and there is no postgres user to run it as. `make deps` installs postgresql (Debian's package), which makes that user.")
        }
        var template = Array((NSTemporaryDirectory() + "speakup-pg-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Unavailable(description: "Could not make a temporary folder for the tests' PostgreSQL cluster: \(String(cString: strerror(errno))).")
        }
        folder = String(cString: made)
        socketFolder = folder + "/socket"
        port = try Self.freePort()
        do {
            try FileManager.default.createDirectory(atPath: socketFolder, withIntermediateDirectories: true)
            chmod(folder, 0o755)
            if asRoot { try ServerCommand.run(["chown", "-R", "postgres:postgres", folder], asServer: false) }
            startWatchdog()
            try ServerCommand.run(["\(programs)/initdb", "-D", folder + "/data", "-U", superuser, "-E", "UTF8", "--locale=C", "--no-sync",
                          "--auth-local=trust", "--auth-host=scram-sha-256"], asServer: true, in: folder)
            let rules = """
                local all \(superuser) trust
                local replication \(superuser) trust
                local all all scram-sha-256
                host all all 127.0.0.1/32 scram-sha-256
                host all all ::1/128 scram-sha-256

                """
            try rules.write(toFile: folder + "/data/pg_hba.conf", atomically: false, encoding: .utf8)
            if asRoot { try ServerCommand.run(["chown", "postgres:postgres", folder + "/data/pg_hba.conf"], asServer: false) }
            let options = "-p \(port) -k \(socketFolder) -c listen_addresses=127.0.0.1 -c fsync=\(fsync ? "on" : "off") -c max_connections=60\(settings.map { " -c " + $0 }.joined())"
            try ServerCommand.run(["\(programs)/pg_ctl", "-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "30", "-o", options, "start"],
                         asServer: true, in: folder)
            try sql("CREATE ROLE \(passwordUser) LOGIN PASSWORD '\(password)'")
        } catch let error as Unavailable {
            stop()
            throw error
        } catch {
            stop()
            throw Unavailable(description: "Could not set up the tests' PostgreSQL cluster in \(folder): \(error)")
        }
    }

    /// A hot standby of this cluster (`pg_basebackup -R`), streaming from it: it answers, but
    /// accepts no writes (`pg_is_in_recovery()`). Made the first time it is asked for; its
    /// socket is in the same folder, on the port returned.
    public func standby() throws(Unavailable) -> Int {
        try standbyStarted.withLock { port throws(Unavailable) -> Int in
            if let port { return port }
            let chosen = try Self.freePort()
            try ServerCommand.run(["\(programs)/pg_basebackup", "-D", folder + "/standby", "-R", "-X", "stream", "-c", "fast", "--no-sync",
                          "-h", socketFolder, "-p", String(self.port), "-U", superuser], asServer: true, in: folder)
            let options = "-p \(chosen) -k \(socketFolder) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
            try ServerCommand.run(["\(programs)/pg_ctl", "-D", folder + "/standby", "-l", folder + "/standby.log", "-w", "-t", "30", "-o", options, "start"],
                         asServer: true, in: folder)
            port = chosen
            return chosen
        }
    }

    /// Stops the servers at once and removes the folder.
    public func stop() {
        for data in ["standby", "data"] where FileManager.default.fileExists(atPath: "\(folder)/\(data)/postmaster.pid") {
            _ = try? ServerCommand.run(["\(programs)/pg_ctl", "-D", "\(folder)/\(data)", "-m", "immediate", "-w", "stop"], asServer: true, in: folder)
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A process of its own that outlives this one if it crashes: once this process is gone, it
    /// stops the server and removes the folder. Its output goes nowhere, so it never holds the
    /// test runner's pipes open.
    private func startWatchdog() {
        let pid = getpid()
        let asServer = getuid() == 0 ? "runuser -u postgres -- " : ""
        let script = "while kill -0 \(pid) 2>/dev/null; do sleep 1; done; "
            + "for data in standby data; do \(asServer)'\(programs)/pg_ctl' -D '\(folder)/'$data -m immediate stop >/dev/null 2>&1; done; "
            + "rm -rf '\(folder)'"
        // The watchdog is a child that is never waited for: it must outlive this process.
        _ = try? ServerCommand.spawn(["setsid", "sh", "-c", script])
    }

    /// Where initdb and pg_ctl are: the highest version under /usr/lib/postgresql, or pg_config's answer.
    static func findPrograms() throws(Unavailable) -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for version in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        if let bin = try? ServerCommand.run(["pg_config", "--bindir"], asServer: false).trimmingCharacters(in: .whitespacesAndNewlines),
            FileManager.default.isExecutableFile(atPath: bin + "/initdb") {
            return bin
        }
        throw Unavailable(description: "No PostgreSQL server programs (initdb, pg_ctl) were found in /usr/lib/postgresql/*/bin or through pg_config, so the PostgreSQL tests cannot run. `make deps` installs postgresql (Debian's package), which has them.")
    }

    /// A TCP port on 127.0.0.1 that nothing listens on just now (the kernel's choice).
    public static func freePort() throws(Unavailable) -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Unavailable(description: "Could not open a socket to find a free port.") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw Unavailable(description: "Could not find a free port on 127.0.0.1.") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
