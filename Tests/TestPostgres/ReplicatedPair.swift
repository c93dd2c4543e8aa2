import Foundation
import Synchronization

/// Two PostgreSQL clusters of the test process's own, on this machine: a primary, and a hot
/// standby made from it with `pg_basebackup -R` that streams from it **synchronously**
/// (`synchronous_standby_names = 'standby'` on the primary, `application_name=standby` in the
/// standby's `primary_conninfo`), so a commit returns only once the standby has its WAL.
///
/// Each server has its own folder (data, Unix socket, log) under one temporary folder, and its
/// own port on 127.0.0.1. As with `ThrowawayCluster`, the servers run as the `postgres` user
/// when the tests run as root, and both are stopped and the folder removed when the process
/// ends, however it ends (`atexit`, and a watchdog process), as well as by `stop()`.
///
///     let pair = try ReplicatedPair.start(clientRules: "host all all 127.0.0.1/32 scram-sha-256")
///     defer { pair.stop() }
///     pair.killPrimary()          // SIGKILL the primary's postmaster and every child of it
///     try pair.promoteStandby()   // pg_ctl promote: the standby accepts writes
public final class ReplicatedPair: Sendable {
    /// One of the two servers.
    public struct Server: Sendable {
        /// "primary" or "standby".
        public let name: String
        /// The server's folder: `data`, `socket` and `server.log` in it.
        public let folder: String
        public let port: Int
        public var data: String { folder + "/data" }
        public var socketFolder: String { folder + "/socket" }
        public var log: String { folder + "/server.log" }
    }

    /// The temporary folder holding both servers; removed at the end.
    public let folder: String
    public let primary: Server
    public let standby: Server
    /// The folder of the PostgreSQL programs used.
    public let programs: String
    /// The superuser, let in over each server's socket without a password.
    public let superuser = "postgres"

    private let stopped = Mutex(false)

    /// Pairs still running, stopped when the process exits.
    private static let running = Mutex<[ReplicatedPair]>([])
    private static let exitHandler: Void = {
        _ = atexit { ReplicatedPair.running.withLock { $0 }.forEach { $0.stop() } }
    }()

    /// Makes and starts both servers, and waits until the standby streams synchronously.
    /// `clientRules`: the `pg_hba.conf` lines for clients (the superuser's socket and replication
    /// lines come first); the standby is a copy, so it has them too.
    public static func start(clientRules: String) throws(ThrowawayCluster.Unavailable) -> ReplicatedPair {
        let pair = try ReplicatedPair()
        _ = exitHandler
        running.withLock { $0.append(pair) }
        do {
            try pair.make(clientRules: clientRules)
        } catch {
            pair.stop()
            throw error
        }
        return pair
    }

    private init() throws(ThrowawayCluster.Unavailable) {
        programs = try ThrowawayCluster.findPrograms()
        if getuid() == 0, getpwnam("postgres") == nil {
            throw ThrowawayCluster.Unavailable(description: "The tests' PostgreSQL servers must not run as root, and there is no postgres user to run them as. `make deps` installs postgresql (Debian's package), which makes that user.")
        }
        var template = Array((NSTemporaryDirectory() + "speakup-pg-pair-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ThrowawayCluster.Unavailable(description: "Could not make a temporary folder for the tests' replicated PostgreSQL pair: \(String(cString: strerror(errno))).")
        }
        folder = String(cString: made)
        let primaryPort = try ThrowawayCluster.freePort()
        var standbyPort = try ThrowawayCluster.freePort()
        while standbyPort == primaryPort { standbyPort = try ThrowawayCluster.freePort() }
        primary = Server(name: "primary", folder: folder + "/primary", port: primaryPort)
        standby = Server(name: "standby", folder: folder + "/standby", port: standbyPort)
        startWatchdog()
    }

    private func make(clientRules: String) throws(ThrowawayCluster.Unavailable) {
        let asRoot = getuid() == 0
        do {
            for server in [primary, standby] {
                try FileManager.default.createDirectory(atPath: server.socketFolder, withIntermediateDirectories: true)
            }
        } catch {
            throw ThrowawayCluster.Unavailable(description: "Could not make the replicated pair's folders in \(folder): \(error)")
        }
        chmod(folder, 0o755)
        if asRoot { try ServerCommand.run(["chown", "-R", "postgres:postgres", folder], asServer: false) }

        try ServerCommand.run(["\(programs)/initdb", "-D", primary.data, "-U", superuser, "-E", "UTF8", "--locale=C", "--no-sync",
                               "--auth-local=trust", "--auth-host=scram-sha-256"], asServer: true, in: folder)
        let rules = """
            local all \(superuser) trust
            local replication \(superuser) trust
            \(clientRules)

            """
        do {
            try rules.write(toFile: primary.data + "/pg_hba.conf", atomically: false, encoding: .utf8)
        } catch {
            throw ThrowawayCluster.Unavailable(description: "Could not write the primary's pg_hba.conf: \(error)")
        }
        if asRoot { try ServerCommand.run(["chown", "postgres:postgres", primary.data + "/pg_hba.conf"], asServer: false) }
        // synchronous_standby_names on the primary's command line only, not in a file pg_basebackup
        // copies: the standby, once promoted, has no standby of its own to wait for.
        try startServer(primary, extra: "-c wal_level=replica -c max_wal_senders=5 -c synchronous_standby_names=standby")

        try ServerCommand.run(["\(programs)/pg_basebackup", "-D", standby.data, "-R", "-X", "stream", "-c", "fast", "--no-sync",
                               "-d", "application_name=standby",
                               "-h", primary.socketFolder, "-p", String(primary.port), "-U", superuser], asServer: true, in: folder)
        try startServer(standby, extra: "")
        try waitForSynchronousStandby(within: 30)
    }

    /// Starts one server on its socket and port, waiting until it answers.
    private func startServer(_ server: Server, extra: String) throws(ThrowawayCluster.Unavailable) {
        // fsync off: a process killed with SIGKILL loses nothing the kernel holds; only a machine crash would.
        let options = "-p \(server.port) -k \(server.socketFolder) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100 \(extra)"
        try ServerCommand.run(["\(programs)/pg_ctl", "-D", server.data, "-l", server.log, "-w", "-t", "60", "-o", options, "start"],
                              asServer: true, in: folder)
    }

    /// Waits until the primary reports the standby streaming with `sync_state = 'sync'`.
    public func waitForSynchronousStandby(within seconds: Double) throws(ThrowawayCluster.Unavailable) {
        let giveUp = Date(timeIntervalSinceNow: seconds)
        var state = ""
        while Date() < giveUp {
            state = (try? sql("SELECT application_name || ' ' || state || ' ' || sync_state FROM pg_stat_replication", on: primary)) ?? ""
            if state.trimmingCharacters(in: .whitespacesAndNewlines) == "standby streaming sync" { return }
            usleep(100_000)
        }
        throw ThrowawayCluster.Unavailable(description: "The standby did not stream synchronously from the primary within \(Int(seconds)) seconds (pg_stat_replication says: \(state.isEmpty ? "nothing" : state)). Its log: \(tail(standby.log))")
    }

    /// Runs SQL through psql as the superuser over `server`'s socket (in `database`, or `postgres`),
    /// and returns what it printed (unaligned, tuples only).
    @discardableResult
    public func sql(_ statements: String, on server: Server, database: String = "postgres") throws(ThrowawayCluster.Unavailable) -> String {
        try ServerCommand.run(["\(programs)/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", server.socketFolder,
                               "-p", String(server.port), "-U", superuser, "-d", database, "-c", statements], asServer: false)
    }

    /// Runs psql as `user` over TCP to `server`, with `password`; returns its status and what it printed.
    /// For showing who `pg_hba.conf` lets in.
    public func psqlOverTCP(as user: String, password: String, on server: Server, database: String) -> (status: Int32, output: String) {
        let output = NSTemporaryDirectory() + "speakup-pg-psql-" + UUID().uuidString
        defer { unlink(output) }
        let command = ["\(programs)/psql", "-X", "-w", "-h", "127.0.0.1", "-p", String(server.port), "-U", user, "-d", database, "-c", "SELECT 1"]
        let environment = ["PATH": "/usr/bin:/bin", "PGPASSWORD": password, "PGCONNECT_TIMEOUT": "5"]
        guard let pid = try? ServerCommand.spawn(command, output: output, environment: environment) else { return (-1, "psql could not be started") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return ((status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F),
                String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self))
    }

    /// Kills the primary as a power cut or a kernel's OOM killer would: SIGKILL to its postmaster
    /// and to every process the postmaster started (each of which is its own process group, so the
    /// postmaster's group alone would miss them). The postmaster is stopped first, so it starts no
    /// new child while they are found. Only this pair's processes are touched: the postmaster's pid
    /// comes from its data folder's `postmaster.pid`. Returns when they are all gone.
    public func killPrimary() throws(ThrowawayCluster.Unavailable) {
        guard let text = try? String(contentsOfFile: primary.data + "/postmaster.pid", encoding: .utf8) else {
            throw ThrowawayCluster.Unavailable(description: "The primary has no postmaster.pid: it is not running.")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let postmaster = lines.first.flatMap({ pid_t($0.trimmingCharacters(in: .whitespaces)) }), postmaster > 1 else {
            throw ThrowawayCluster.Unavailable(description: "The primary's postmaster.pid does not start with a process id.")
        }
        kill(postmaster, SIGSTOP)
        let children = Self.children(of: postmaster)
        kill(postmaster, SIGKILL)
        for child in children { kill(child, SIGKILL) }
        let giveUp = Date(timeIntervalSinceNow: 10)
        while Date() < giveUp, ([postmaster] + children).contains(where: Self.isRunning) { usleep(10_000) }
        // The postmaster's small System V segment (its key and id are on the pid file's seventh line) would outlive it.
        if lines.count > 6, let id = lines[6].split(separator: " ", omittingEmptySubsequences: true).last.flatMap({ Int32($0) }) {
            shmctl(id, IPC_RMID, nil)
        }
    }

    /// Promotes the standby and waits until it accepts writes.
    public func promoteStandby() throws(ThrowawayCluster.Unavailable) {
        try ServerCommand.run(["\(programs)/pg_ctl", "-D", standby.data, "-w", "-t", "60", "promote"], asServer: true, in: folder)
    }

    /// Stops both servers at once and removes the folder (once; later calls do nothing).
    public func stop() {
        let first = stopped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        for server in [standby, primary] where FileManager.default.fileExists(atPath: server.data + "/postmaster.pid") {
            _ = try? ServerCommand.run(["\(programs)/pg_ctl", "-D", server.data, "-m", "immediate", "-w", "stop"], asServer: true, in: folder)
        }
        try? FileManager.default.removeItem(atPath: folder)
        Self.running.withLock { $0.removeAll { $0 === self } }
    }

    /// The last lines of a server's log, for a failure's sentence.
    public func tail(_ log: String, lines: Int = 15) -> String {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? "(no log)"
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// A process of its own that outlives this one: once this process is gone, it stops both servers
    /// and removes the folder (as `ThrowawayCluster`'s does).
    private func startWatchdog() {
        let pid = getpid()
        let asServer = getuid() == 0 ? "runuser -u postgres -- " : ""
        let script = "while kill -0 \(pid) 2>/dev/null; do sleep 1; done; "
            + "for server in standby primary; do [ -e '\(folder)/'$server/data/postmaster.pid ] && \(asServer)'\(programs)/pg_ctl' -D '\(folder)/'$server/data -m immediate stop >/dev/null 2>&1; done; "
            + "rm -rf '\(folder)'"
        _ = try? ServerCommand.spawn(["setsid", "sh", "-c", script])
    }

    /// The processes whose parent is `parent`, from /proc.
    private static func children(of parent: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            // After "pid (name)": state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == parent ? pid : nil
        }
    }

    /// Whether `pid` is still a live process (a zombie waiting to be reaped is not).
    private static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }
}
