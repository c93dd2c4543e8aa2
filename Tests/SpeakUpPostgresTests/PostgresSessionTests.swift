import Foundation
import PostgresNIO
import SpeakUpCore
import Testing
import TestPostgres

@testable import SpeakUpPostgres

@Suite struct PostgresSessionTests {
    let database: TestDatabase

    init() throws {
        database = try TestDatabase()
    }

    @Test func overTheUnixSocket() throws {
        let session = try database.superuserSession()
        defer { session.close() }
        #expect(session.serverVersion >= 130000)
        #expect(session.endpoint == database.socketAddress.endpoints[0])
        let rows = try session.query("SELECT current_database(), current_setting('synchronous_commit'), current_setting('application_name')")
        #expect(try rows[0].decode((String, String, String).self) == (database.name, "on", "speakup"))
    }

    @Test func overTCPWithAPassword() throws {
        let session = try PostgresSession.connect(to: database.tcpAddress, password: database.cluster.password, deadline: 10)
        defer { session.close() }
        let rows = try session.query("SELECT current_user, inet_server_addr()::text")
        #expect(try rows[0].decode((String, String).self) == ("speakup_tester", "127.0.0.1/32"))
    }

    @Test func nothingListeningOnThePort() throws {
        let port = try ThrowawayCluster.freePort()
        let address = try PostgresAddress("postgresql://speakup_tester@127.0.0.1:\(port)/\(database.name)?sslmode=disable")
        let started = Date()
        let error = try #require(connectionRefusal(address, password: "x"))
        #expect(error.kind == .cannotOpen)
        #expect(error.sentence == "No PostgreSQL server answered at 127.0.0.1:\(port) (connection refused). Please check that the server is running and that the store's address in the settings is right; if it is, please tell IT.")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func noSocketInTheFolder() throws {
        let address = try PostgresAddress("postgresql://postgres@:1/\(database.name)?host=\(database.cluster.socketFolder)")
        let error = try #require(connectionRefusal(address, password: nil))
        #expect(error.sentence == "No PostgreSQL server answered at \(database.cluster.socketFolder)/.s.PGSQL.1 (no socket there). Please check that the server is running and that host= names the folder of its socket.")
    }

    @Test func aWrongPassword() throws {
        let error = try #require(connectionRefusal(database.tcpAddress, password: "not-the-password"))
        #expect(error.kind == .cannotOpen)
        #expect(error.sentence == "The PostgreSQL server at 127.0.0.1:\(database.cluster.port) refused the login speakup_tester: the password is wrong. Please check the password file (passfile= in the store's address) against the login's password on the server.")
    }

    @Test func noPasswordWhereOneIsAsked() throws {
        let error = try #require(connectionRefusal(database.tcpAddress, password: nil))
        #expect(error.sentence == "The PostgreSQL server at 127.0.0.1:\(database.cluster.port) asks for a password for the login speakup_tester, but the store's address names no password file. Please add passfile=… (a file readable only by the speakup group), or use a client certificate.")
    }

    @Test func noSuchDatabase() throws {
        var address = database.socketAddress
        address.database = "no_such_store"
        let error = try #require(connectionRefusal(address, password: nil))
        #expect(error.kind == .missing)
        #expect(error.sentence == "The PostgreSQL server at \(address.endpoints[0]) has no database named no_such_store. Please check the name in the store's address, or ask the database team to create it (docs/store.md).")
    }

    @Test func theFirstHostDownTheSecondUp() throws {
        let down = try ThrowawayCluster.freePort()
        let address = try PostgresAddress(
            "postgresql://speakup_tester@127.0.0.1:\(down),127.0.0.1:\(database.cluster.port)/\(database.name)?sslmode=disable")
        let session = try PostgresSession.connect(to: address, password: database.cluster.password, deadline: 10)
        defer { session.close() }
        #expect(session.endpoint == .tcp(host: "127.0.0.1", port: database.cluster.port))
    }

    @Test func everyHostDown() throws {
        let (first, second) = (try ThrowawayCluster.freePort(), try ThrowawayCluster.freePort())
        let address = try PostgresAddress("postgresql://speakup_tester@127.0.0.1:\(first),localhost:\(second)/speakup?sslmode=disable")
        let error = try #require(connectionRefusal(address, password: "x"))
        #expect(error.sentence == "No PostgreSQL server answered at 127.0.0.1:\(first), localhost:\(second). Please check that the servers are running and that the store's address in the settings is right; if it is, please tell IT.")
    }

    /// A real hot standby (`pg_basebackup -R`) listed first is passed over for the primary.
    @Test func aStandbyIsSkippedForThePrimary() throws {
        let standby = try database.cluster.standby()
        let address = try PostgresAddress(
            "postgresql://speakup_tester@127.0.0.1:\(standby),127.0.0.1:\(database.cluster.port)/\(database.name)?sslmode=disable")
        let session = try PostgresSession.connect(to: address, password: database.cluster.password, deadline: 10)
        defer { session.close() }
        #expect(session.endpoint == .tcp(host: "127.0.0.1", port: database.cluster.port))
        let recovering = try session.query("SELECT pg_is_in_recovery()")[0].decode(Bool.self)
        #expect(!recovering)
    }

    /// Only a standby: it answers, and is refused for writing, unless any server will do.
    @Test func onlyAStandby() throws {
        let standby = try database.cluster.standby()
        let address = try PostgresAddress("postgresql://speakup_tester@127.0.0.1:\(standby)/\(database.name)?sslmode=disable")
        let error = try #require(refusalOnceReplayed(address))
        #expect(error.kind == .readOnly)
        #expect(error.sentence == "The PostgreSQL server at 127.0.0.1:\(standby) answered, but it accepts no writes (it is a standby, or read-only). Please check the store's address names the primary, or tell IT.")
        var anyServer = address
        anyServer.sessionAttributes = .any
        let session = try PostgresSession.connect(to: anyServer, password: database.cluster.password, deadline: 10)
        defer { session.close() }
        #expect(try session.query("SELECT pg_is_in_recovery()")[0].decode(Bool.self))
    }

    /// A database set read-only (`ALTER DATABASE … SET default_transaction_read_only = on`) is
    /// refused as every host in the list, and a write to it, when any server will do, is `.readOnly`.
    @Test func aReadOnlyDatabase() throws {
        try database.cluster.sql("ALTER DATABASE \(database.name) SET default_transaction_read_only = on")
        let port = database.cluster.port
        let address = try PostgresAddress(
            "postgresql://speakup_tester@127.0.0.1:\(port),localhost:\(port)/\(database.name)?sslmode=disable")
        let error = try #require(connectionRefusal(address, password: database.cluster.password))
        #expect(error.kind == .readOnly)
        #expect(error.sentence == "The PostgreSQL servers at 127.0.0.1:\(port), localhost:\(port) answered, but none of them accepts writes (each is a standby, or read-only). Please tell IT: the primary may be down and no standby promoted yet.")
        var anyServer = address
        anyServer.sessionAttributes = .any
        let session = try PostgresSession.connect(to: anyServer, password: database.cluster.password, deadline: 10)
        defer { session.close() }
        #expect(throws: StoreError(.readOnly, "The PostgreSQL server at 127.0.0.1:\(port) accepts no writes (it is a standby, or read-only), so nothing was written. SpeakUp looks for the server that accepts writes when it connects again. Please try again in a moment; if it keeps happening, please tell IT.")) {
            try session.query("CREATE TEMPORARY TABLE t (x int)")
        }
    }

    @Test func aQueryPastItsDeadline() throws {
        let session = try database.superuserSession()
        let started = Date()
        // Five minutes: far longer than the wait below, so only the server ending it can make the sleep go.
        #expect(throws: StoreError(.busy, "The PostgreSQL server at \(session.endpoint) did not answer within 0.5 seconds, so SpeakUp stopped waiting and closed its connection. Please try again in a moment; if it keeps happening, please tell IT.")) {
            try session.query("SELECT pg_sleep(300)", deadline: 0.5)
        }
        #expect(Date().timeIntervalSince(started) < 1.5)
        // The session is closed, not left waiting: the next query fails at once, and the server
        // ends the sleeping query with the connection (client_connection_check_interval, a second),
        // long before its five minutes are up. (Up to a minute allowed: on a loaded CI machine running
        // every suite at once, twenty seconds once passed without the count reaching 0.)
        #expect(session.isClosed || waitUntil { session.isClosed })
        #expect(throws: StoreError.self) { try session.query("SELECT 1") }
        let other = try database.superuserSession()
        defer { other.close() }
        var stillSleeping: Int? = nil
        let ended = waitUntil(seconds: 60) {
            let sleeping = try? other.query("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(300)' AND state = 'active'")
            stillSleeping = try? sleeping?.first?.decode(Int.self)
            return stillSleeping == 0
        }
        #expect(ended, "the server still ran the query a minute after its connection closed (active: \(stillSleeping.map(String.init) ?? "not read"))")
    }

    @Test func aConnectionEndedByTheServerIsBusy() throws {
        let session = try database.superuserSession()
        let pid = try session.query("SELECT pg_backend_pid()")[0].decode(Int32.self)
        let other = try database.superuserSession()
        defer { other.close() }
        _ = try other.query("SELECT pg_terminate_backend(\(pid))")
        do {
            _ = try session.query("SELECT 1")
            Issue.record("a query on a terminated connection succeeded")
        } catch {
            #expect(error.kind == .busy)
            #expect(error.sentence.hasPrefix("The PostgreSQL server at \(session.endpoint) is shutting down or starting up")
                || error.sentence.hasPrefix("The connection to the PostgreSQL server at \(session.endpoint) was lost"))
        }
    }

    @Test func transactionsCommitAndRollBack() throws {
        let session = try database.superuserSession()
        defer { session.close() }
        try session.execute("CREATE TABLE kept (word TEXT); CREATE TABLE other (n INT);")
        try session.transaction { session in _ = try session.query("INSERT INTO kept VALUES ('committed')") }
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try session.transaction { session in
                _ = try session.query("INSERT INTO kept VALUES ('rolled back')")
                throw Stop()
            }
        }
        let refusal = StoreError(.busy, "no")
        #expect(throws: refusal) { try session.transaction { _ in throw refusal } }
        let words = try session.query("SELECT word FROM kept").map { try $0.decode(String.self) }
        #expect(words == ["committed"])
    }

    private func connectionRefusal(_ address: PostgresAddress, password: String?) -> StoreError? {
        do {
            let session = try PostgresSession.connect(to: address, password: password, deadline: 10)
            session.close()
        } catch {
            return error
        }
        return nil
    }

    /// The refusal once the standby has replayed the database's creation (it may lag a moment).
    private func refusalOnceReplayed(_ address: PostgresAddress) -> StoreError? {
        var error = connectionRefusal(address, password: database.cluster.password)
        let giveUp = Date(timeIntervalSinceNow: 10)
        while error?.kind == .missing, Date() < giveUp {
            Thread.sleep(forTimeInterval: 0.1)
            error = connectionRefusal(address, password: database.cluster.password)
        }
        return error
    }
}

/// Polls `condition` for up to `seconds`.
func waitUntil(seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let giveUp = Date(timeIntervalSinceNow: seconds)
    while Date() < giveUp {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return condition()
}
