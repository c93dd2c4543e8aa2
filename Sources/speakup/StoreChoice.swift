import Foundation
import SpeakUpCore
import SpeakUpPostgres
import SpeakUpStore

/// Which store a command uses: a SQLite file, or a PostgreSQL server (docs/deployment.md, "A whole
/// trust on PostgreSQL"), told apart by the address: `postgresql://…` or `postgres://…` is a server.
enum StoreChoice {
    case file(path: String)
    case server(PostgresAddress)

    /// Reads what was given (`--db`, `$SPEAKUP_DB`, the settings' `store:`). `from` names where it
    /// came from, for the sentence when a server's address is wrong.
    static func read(_ text: String, from: String) throws(Failure) -> StoreChoice {
        guard PostgresAddress.looksLikeURL(text) else { return .file(path: text) }
        do {
            return .server(try PostgresAddress(text))
        } catch {
            throw Failure("\(from): \(error.sentence)", code: 64)
        }
    }

    /// Applies the schema's pending migrations on a PostgreSQL store (as its owner), returning their names.
    static func migrate(_ address: PostgresAddress) throws(Failure) -> [String] {
        do {
            let password = try address.passfile.map { path throws(StoreError) in try PostgresSecret.password(from: path) }
            let session = try PostgresSession.connect(to: address, password: password, deadline: PostgresReportStore.connectSeconds)
            defer { session.close() }
            return try PostgresSchema.migrate(session)
        } catch {
            throw Failure(error, code: error.kind == .cannotOpen || error.kind == .missing || error.kind == .readOnly ? 69 : 1)
        }
    }

    /// Opens a PostgreSQL store: the password from the secret file the address names (never the
    /// command line or the environment), then the first host that accepts writes. A server that
    /// cannot be reached exits 69 (EX_UNAVAILABLE); one kept busy, 75.
    /// `wait` bounds every call (10 s at a form, 30 s for a command, or --wait), and the form's Ctrl-C stops one.
    static func openServer(_ address: PostgresAddress, wait: StoreWait = StoreWait()) throws(Failure) -> PostgresReportStore {
        do {
            let password = try address.passfile.map { path throws(StoreError) in try PostgresSecret.password(from: path) }
            return try PostgresReportStore(address: address, password: password, wait: wait)
        } catch {
            throw Failure(error, code: error.kind == .cannotOpen || error.kind == .missing || error.kind == .readOnly ? 69 : 1)
        }
    }
}
