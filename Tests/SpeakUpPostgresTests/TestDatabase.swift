import SpeakUpCore
import SpeakUpPostgres
import TestPostgres

/// A fresh database on the test process's throwaway cluster, with SpeakUp's logins made
/// (once per cluster). When no PostgreSQL is installed this throws, so the test fails,
/// saying `make deps` installs it.
struct TestDatabase {
    let cluster: ThrowawayCluster
    let name: String
    /// Over the Unix socket, as the superuser.
    let socketAddress: PostgresAddress
    /// Over TCP on 127.0.0.1, as `speakup_tester` (password `cluster.password`).
    let tcpAddress: PostgresAddress

    init() throws {
        cluster = try ThrowawayCluster.shared()
        try Self.rolesMade.get()
        let made = try cluster.makeDatabase()
        name = made.name
        socketAddress = try PostgresAddress(made.socketURL)
        tcpAddress = try PostgresAddress(made.tcpURL)
    }

    /// A session over the socket, as the superuser.
    func superuserSession() throws -> PostgresSession {
        try PostgresSession.connect(to: socketAddress, password: nil, deadline: 10)
    }

    /// SpeakUp's roles, made once for the whole cluster (two suites making them at once would collide).
    private static let rolesMade: Result<Void, any Error> = Result {
        try ThrowawayCluster.shared().sqlAlone(PostgresRoles.sql)
    }
}
