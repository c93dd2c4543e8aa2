import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore
import Synchronization

/// One connection to the PostgreSQL server that accepts SpeakUp's writes, used synchronously
/// from ordinary threads (the form, the commands), never from an event loop.
///
/// This is the one small place the synchronous program meets postgres-nio's event loop:
/// every call starts work on the loop and waits for it here with a deadline
/// (`EventLoopWait`). A query past its deadline closes the connection, so the work pending on
/// the server ends too, and throws `.busy`; so does a lost connection. A closed session stays
/// closed (`isClosed`): the caller connects again.
///
/// Sendable because everything it holds is: its fields never change, and `PostgresConnection`
/// is itself safe to use from any thread. A session runs one thing at a time for one caller:
/// two threads interleaving statements on it would interleave their transactions.
public final class PostgresSession: Sendable {
    /// The server this session reached.
    public let endpoint: PostgresAddress.Endpoint
    /// The server's version as `server_version_num` gives it (150004 for 15.4).
    public let serverVersion: Int
    /// Seconds a query waits when its caller gives no deadline.
    public static let defaultQueryDeadline = 30.0
    /// Seconds the server lets a session sit inside a transaction with nothing sent (then it ends the
    /// session, and what the transaction held goes with it). SpeakUp never pauses that long between
    /// two statements of one transaction; a process stopped there (`kill -STOP` by the person who ran it,
    /// or a terminal that hung) would otherwise hold the audit chain's head, and every submit with it,
    /// for as long as it stayed stopped. (`store copy`, whose pages may take longer, allows more.)
    public static let idleInTransactionSeconds = 5.0
    /// The oldest server SpeakUp works with (13.0).
    public static let oldestServer = 130000

    private let connection: PostgresConnection
    private let logger: Logger
    /// The audit records the open transaction appended, written together as it commits
    /// (`PostgresAuditTrail.flush`).
    let pendingAudit = Mutex(PendingAudit())
    /// Set as soon as `close` is called: postgres-nio closes the connection a moment later, and
    /// nothing may be started on it in between (a ROLLBACK sent then would wait out its deadline).
    private let closing = Atomic<Bool>(false)
    /// The statements this session was asked to send again and again, and those it has prepared.
    private let repeated = Mutex(RepeatedStatements())

    private init(connection: PostgresConnection, endpoint: PostgresAddress.Endpoint, serverVersion: Int, logger: Logger) {
        self.connection = connection
        self.endpoint = endpoint
        self.serverVersion = serverVersion
        self.logger = logger
    }

    /// Connects to the first host of `address` that answers (and, for `read-write`, accepts
    /// writes), giving each host `connect_timeout` seconds and the whole search `seconds`.
    /// Every session commits synchronously (`synchronous_commit = on`), and is ended by the server when it
    /// sits inside a transaction for `idleInTransactionSeconds`.
    public static func connect(to address: PostgresAddress, password: String?, deadline seconds: Double) throws(StoreError) -> PostgresSession {
        let giveUp = Date(timeIntervalSinceNow: seconds)
        let tls = try PostgresTLS.configuration(for: address)
        var logger = Logger(label: "speakup.postgres")
        // postgres-nio logs what it does; SpeakUp says what matters in its own sentences.
        logger.logLevel = .critical
        var failures: [PostgresFailure.HostFailure] = []
        var readOnly: [PostgresAddress.Endpoint] = []
        for endpoint in address.endpoints {
            let remaining = giveUp.timeIntervalSinceNow
            guard remaining > 0 else {
                failures.append(PostgresFailure.HostFailure(endpoint: endpoint, answered: false, error: StoreError(.cannotOpen,
                    "No PostgreSQL server answered at \(endpoint) (SpeakUp's \(Int(seconds.rounded(.up)))-second wait was over before it was tried).")))
                continue
            }
            let hostTime = min(address.connectTimeout, remaining)
            var configuration: PostgresConnection.Configuration
            switch endpoint {
            case .tcp(let host, let port):
                configuration = .init(host: host, port: port, username: address.user, password: password, database: address.database, tls: tls)
            case .socket:
                configuration = .init(unixSocketPath: endpoint.socketPath ?? "", username: address.user, password: password, database: address.database)
            }
            configuration.options.connectTimeout = .milliseconds(Int64(hostTime * 1000))
            configuration.options.additionalStartupParameters = [
                ("synchronous_commit", "on"), ("application_name", "speakup"),
                ("idle_in_transaction_session_timeout", String(Int(idleInTransactionSeconds * 1000))),
            ]
            let future = PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: Int.random(in: 1...Int.max), logger: logger)
            // postgres-nio keeps the connect timeout itself; the extra second only guards against a stall after it.
            guard let result = EventLoopWait.result(of: future, within: hostTime + 1) else {
                future.whenSuccess { connection in close(connection) }
                failures.append(PostgresFailure.HostFailure(endpoint: endpoint, answered: false, error: StoreError(.cannotOpen,
                    "No PostgreSQL server answered at \(endpoint) (no answer within \(Int(hostTime.rounded(.up))) seconds). Please check that the server is running and that the store's address in the settings is right; if it is, please tell IT.")))
                continue
            }
            let connection: PostgresConnection
            switch result {
            case .success(let connected): connection = connected
            case .failure(let error):
                failures.append(PostgresFailure.connecting(error, to: endpoint, as: address))
                continue
            }
            do {
                let rows = try run(
                    "SELECT current_setting('server_version_num')::int, pg_is_in_recovery(), current_setting('transaction_read_only') = 'on'",
                    on: connection, at: endpoint, logger: logger, within: max(0.1, giveUp.timeIntervalSinceNow))
                guard let row = rows.first else { throw StoreError(.failed, "The PostgreSQL server at \(endpoint) did not say which version it runs.") }
                let (version, recovering, readOnlyNow) = try row.decode((Int, Bool, Bool).self)
                guard version >= oldestServer else { throw PostgresFailure.tooOld(version: version, at: endpoint) }
                if address.sessionAttributes == .readWrite && (recovering || readOnlyNow) {
                    close(connection)
                    readOnly.append(endpoint)
                    continue
                }
                if version >= 140000 {
                    // A closed connection's query ends within a second on the server too (from PostgreSQL 14).
                    _ = try run("SET client_connection_check_interval = 1000", on: connection, at: endpoint, logger: logger,
                                within: max(0.1, giveUp.timeIntervalSinceNow))
                }
                return PostgresSession(connection: connection, endpoint: endpoint, serverVersion: version, logger: logger)
            } catch {
                close(connection)
                failures.append(PostgresFailure.HostFailure(endpoint: endpoint, answered: true, error: PostgresFailure.failed(error, at: endpoint, doing: "connecting")))
            }
        }
        // A server that answered and said why it refused says more than one that did not answer.
        if let refusal = failures.first(where: \.answered) { throw refusal.error }
        if !readOnly.isEmpty { throw PostgresFailure.noneAcceptsWrites(readOnly + failures.map(\.endpoint)) }
        throw PostgresFailure.nobodyAnswered(failures)
    }

    /// Runs one statement (extended protocol, values bound, never spliced into the text) and
    /// collects every row. Waits at most `seconds` (30 unless given); past that the connection
    /// is closed and `.busy` thrown.
    public func query(_ query: PostgresQuery, deadline seconds: Double? = nil) throws(StoreError) -> [PostgresRow] {
        guard !closing.load(ordering: .acquiring) else { throw PostgresFailure.lost(at: endpoint, why: "it had been closed") }
        return try Self.run(query, on: connection, at: endpoint, logger: logger, within: seconds ?? Self.defaultQueryDeadline)
    }

    /// Runs a statement this session may send again and again with other values (`RepeatedStatements`):
    /// as it is the first time; from the second time the same text with values of the same kinds comes,
    /// prepared on the server under a name of this session's (`NamedStatement`: postgres-nio prepares it
    /// on the first of those, one round trip more, once) and executed by that name.
    func query(repeating statement: RepeatableQuery, deadline seconds: Double? = nil) throws(StoreError) -> [PostgresRow] {
        let key = RepeatedStatements.Key(sql: statement.query.sql, kinds: statement.kinds.map(\.rawValue))
        guard case .named(let name) = repeated.withLock({ $0.step(for: key) }) else { return try query(statement.query, deadline: seconds) }
        guard !closing.load(ordering: .acquiring), !connection.isClosed else { throw PostgresFailure.lost(at: endpoint, why: "it had been closed") }
        let promise = connection.eventLoop.makePromise(of: [PostgresRow].self)
        // On the connection's event loop, not on Swift's shared threads, which the caller may be holding.
        Task(executorPreference: EventLoopTaskExecutor(connection.eventLoop)) { [connection, logger] in
            do {
                let rows = try await NamedStatement.$current.withValue(NamedStatement.Current(name: name, sql: statement.query.sql)) {
                    var rows: [PostgresRow] = []
                    for try await row in try await connection.execute(NamedStatement(bindings: statement.query.binds), logger: logger) {
                        rows.append(row)
                    }
                    return rows
                }
                promise.succeed(rows)
            } catch {
                promise.fail(error)
            }
        }
        return try Self.wait(for: promise.futureResult, on: connection, at: endpoint, within: seconds ?? Self.defaultQueryDeadline)
    }

    /// One statement on a connection, waited for up to `seconds`; past them the connection is closed.
    private static func run(_ query: PostgresQuery, on connection: PostgresConnection, at endpoint: PostgresAddress.Endpoint,
                            logger: Logger, within seconds: Double) throws(StoreError) -> [PostgresRow] {
        guard !connection.isClosed else { throw PostgresFailure.lost(at: endpoint, why: "it had been closed") }
        return try wait(for: connection.query(query, logger: logger).map(\.rows), on: connection, at: endpoint, within: seconds)
    }

    /// Waits up to `seconds` for a statement's rows; past them the connection is closed.
    private static func wait(for future: EventLoopFuture<[PostgresRow]>, on connection: PostgresConnection, at endpoint: PostgresAddress.Endpoint,
                             within seconds: Double) throws(StoreError) -> [PostgresRow] {
        guard let result = EventLoopWait.result(of: future, within: seconds) else {
            close(connection)
            throw PostgresFailure.timedOut(at: endpoint, after: seconds)
        }
        switch result {
        case .success(let rows): return rows
        case .failure(let error): throw PostgresFailure.failed(error, at: endpoint)
        }
    }

    /// Runs several statements at once (a migration). postgres-nio speaks only the extended
    /// protocol, which takes one statement at a time, so they run as one anonymous PL/pgSQL block:
    /// statements that return rows are not allowed (write `PERFORM`), nor BEGIN or COMMIT.
    public func execute(_ sql: String, deadline seconds: Double? = nil) throws(StoreError) {
        let tag = "$speakup_statements$"
        guard !sql.contains(tag) else {
            throw StoreError(.failed, "SpeakUp cannot run statements that contain \(tag) (it wraps them in that quote).")
        }
        _ = try query(PostgresQuery(unsafeSQL: "DO \(tag) BEGIN\n\(sql)\nEND \(tag)"), deadline: seconds)
    }

    /// Runs `body` in one transaction: BEGIN, then COMMIT when it returns, ROLLBACK when it
    /// throws (its error is thrown on as it is). A COMMIT that fails leaves nothing written,
    /// except that a lost connection during COMMIT cannot tell: the caller reads back before
    /// trying again.
    /// The audit records `body` appends are written together just before the COMMIT, in the
    /// order they were appended (`PostgresAuditTrail.flush`): one statement, not two a record.
    public func transaction<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        _ = try query("BEGIN")
        pendingAudit.withLock { $0 = PendingAudit(open: true) }
        defer { pendingAudit.withLock { $0 = PendingAudit() } }
        let value: T
        do {
            value = try body(self)
            try PostgresAuditTrail.flush(in: self)
        } catch {
            if !isClosed { _ = try? query("ROLLBACK", deadline: 5) }
            throw error
        }
        _ = try query("COMMIT")
        return value
    }

    /// Whether the connection has ended (closed here, or lost); a closed session stays closed.
    public var isClosed: Bool { closing.load(ordering: .acquiring) || connection.isClosed }

    /// Closes the connection, without waiting; anything still running on it fails.
    public func close() {
        closing.store(true, ordering: .releasing)
        Self.close(connection)
    }

    deinit {
        Self.close(connection)
    }

    /// Starts closing a connection, and keeps it until it is closed (postgres-nio asserts that
    /// a connection is closed before it goes).
    private static func close(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in withExtendedLifetime(connection) {} }
    }
}
