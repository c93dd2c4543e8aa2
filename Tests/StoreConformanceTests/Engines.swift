import Foundation
import PostgresNIO
import SpeakUpCore
import SpeakUpPostgres
import SpeakUpStore
import TestPostgres

/// The engines every behaviour in this suite is held to. Each test runs once per engine.
enum Engine: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    var description: String { rawValue }

    /// A fresh, empty store on this engine, kept until the returned value goes away.
    func freshStore() throws -> StoreUnderTest {
        switch self {
        case .sqlite:
            let folder = NSTemporaryDirectory() + "speakup-conformance-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let store = try SQLiteReportStore(path: folder + "/speakup.sqlite", receiptRounds: 1 << 10)
            return StoreUnderTest(store: store, transfer: store, raw: { sql in try store.withDatabase { db in try db.execute(sql: sql) } },
                                  asOwner: { sql in try store.withDatabase { db in try db.execute(sql: sql) } },
                                  another: { try SQLiteReportStore(path: folder + "/speakup.sqlite", receiptRounds: 1 << 10) },
                                  cleanUp: { try? FileManager.default.removeItem(atPath: folder) })
        case .postgres:
            // A fresh database on the test process's own throwaway cluster; the store opens it as the
            // owner (and migrates it), and the raw statements run as the program's own login.
            let cluster = try ThrowawayCluster.shared()
            try Self.appLogin.get()
            let database = try cluster.makeDatabase()
            let session = try PostgresSession.connect(to: try PostgresAddress(database.socketURL), password: nil, deadline: 10)
            let store = try PostgresReportStore(session: session, receiptRounds: 1 << 10)
            let asApp = try PostgresAddress(database.socketURL.replacingOccurrences(of: "://\(cluster.superuser)@", with: "://speakup_app@"))
            let app = try PostgresSession.connect(to: asApp, password: Self.appPassword, deadline: 10)
            let address = try PostgresAddress(database.socketURL)
            return StoreUnderTest(store: store, transfer: store, raw: { sql in _ = try app.query(PostgresQuery(unsafeSQL: sql)) },
                                  asOwner: { sql in _ = try session.query(PostgresQuery(unsafeSQL: sql)) },
                                  another: { try PostgresReportStore(address: address, password: nil, receiptRounds: 1 << 10) },
                                  superuser: address,
                                  cleanUp: {
                                      store.close()
                                      app.close()
                                      _ = try? cluster.sql("DROP DATABASE IF EXISTS \(database.name) WITH (FORCE)")
                                  })
        }
    }

    private static let appPassword = "throwaway-App-1"

    /// SpeakUp's logins, made once for the whole cluster, the program's with a password to log in with.
    private static let appLogin: Result<Void, any Error> = Result {
        let cluster = try ThrowawayCluster.shared()
        try cluster.sqlAlone(PostgresRoles.sql)
        try cluster.sql("ALTER ROLE speakup_app PASSWORD '\(appPassword)'")
    }
}

/// A store made for one test, with a way past the program to its database (to show what the
/// database itself refuses), removed when the test lets it go.
final class StoreUnderTest: @unchecked Sendable {
    let store: any OpenedStore
    /// The same store, for copying whole.
    let transfer: any StoreCopy.Side
    /// Runs one SQL statement on the store's database directly, as a hostile insider with the
    /// program's own access would.
    let raw: (String) throws -> Void
    /// Runs one SQL statement as whoever owns the database (SQLite: anyone who can write the file;
    /// PostgreSQL: the owner), who can switch the database's own refusals off.
    let asOwner: (String) throws -> Void
    /// The same store opened again, as another terminal or host would (its own connection).
    let another: () throws -> any OpenedStore
    /// PostgreSQL: the database as the cluster's superuser (to hold a table as another session would).
    let superuser: PostgresAddress?
    private let cleanUp: () -> Void

    init(store: any OpenedStore, transfer: any StoreCopy.Side, raw: @escaping (String) throws -> Void,
         asOwner: @escaping (String) throws -> Void, another: @escaping () throws -> any OpenedStore,
         superuser: PostgresAddress? = nil, cleanUp: @escaping () -> Void) {
        self.store = store
        self.transfer = transfer
        self.raw = raw
        self.asOwner = asOwner
        self.another = another
        self.superuser = superuser
        self.cleanUp = cleanUp
    }

    deinit { cleanUp() }
}
