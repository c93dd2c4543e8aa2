import Foundation

/// Questions asked of a store with the sqlite3 program, never through SpeakUp:
/// it reads the file as any SQLite would, and every call has a deadline like
/// everything else the suite runs.
struct SQLiteShell {
    let folder: String
    let home: String

    /// The rows `sql` returns, as JSON text (`sqlite3 -json`), or nil with what went wrong.
    func json(_ db: String, _ sql: String) -> Result<String, TortureError> {
        run(db, ["-json"], sql)
    }

    /// `PRAGMA integrity_check`: nil when it says "ok", else what it said.
    func integrityProblem(_ db: String) -> String? {
        switch run(db, [], "PRAGMA integrity_check") {
        case .success(let said):
            let trimmed = said.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed == "ok" ? nil : "PRAGMA integrity_check said: \(ErrorKind.firstSentence(of: trimmed))"
        case .failure(let error):
            return "PRAGMA integrity_check could not run: \(error)"
        }
    }

    /// Read-only first, so checking changes nothing on disk; an open for writing only if
    /// SQLite cannot read a log-mode store that way (it then recovers the log, as SpeakUp would).
    private func run(_ db: String, _ options: [String], _ sql: String) -> Result<String, TortureError> {
        var last = ""
        for mode in [["-readonly"], []] {
            let arguments = ["/usr/bin/sqlite3"] + mode + options + ["-bail", db, sql]
            guard let child = try? Child(arguments, in: folder, name: "sqlite3", environment: Child.environment(home: home)) else {
                return .failure(TortureError("could not start sqlite3"))
            }
            let ending = child.wait(until: monotonicSeconds() + 60)
            if ending.stalled { return .failure(TortureError("sqlite3 did not answer within 60 s")) }
            if ending.succeeded { return .success(ending.output) }
            last = ErrorKind.firstSentence(of: ending.error)
        }
        return .failure(TortureError("sqlite3 said: \(last)"))
    }
}
