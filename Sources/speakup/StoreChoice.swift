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

    /// Opens a PostgreSQL store: the password from the secret file the address names (never the
    /// command line or the environment), then the first host that accepts writes. A server that
    /// cannot be reached exits 69 (EX_UNAVAILABLE); one kept busy, 75.
    static func openServer(_ address: PostgresAddress) throws(Failure) -> PostgresReportStore {
        do {
            let password = try address.passfile.map { path throws(StoreError) in try PostgresSecret.password(from: path) }
            return try PostgresReportStore(address: address, password: password)
        } catch {
            throw Failure(error, code: error.kind == .cannotOpen || error.kind == .missing || error.kind == .readOnly ? 69 : 1)
        }
    }
}
