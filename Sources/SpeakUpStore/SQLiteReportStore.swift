import Foundation
import GRDB
import SpeakUpCore

/// Reports kept in one SQLite file through GRDB: WAL, synchronous=FULL, one
/// immediate transaction per report.
public final class SQLiteReportStore: ReportStore {
    /// The file the store lives in.
    public let path: String
    private let queue: DatabaseQueue

    /// Opens the store at `path`, creating it when `createIfMissing` allows, and
    /// brings its schema up to date.
    public init(path: String, createIfMissing: Bool = true, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        try StoreLocation.checkOpenable(path, createIfMissing: createIfMissing)

        var config = Configuration()
        config.readonly = readOnly
        // Other terminals may be writing at the same moment: wait for them rather than fail.
        config.busyMode = .timeout(15)
        config.label = "SpeakUp store"
        config.prepareDatabase { db in
            // FULL: a commit returns only once the report is on disk, through a
            // crash or a power cut.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.read { db in try Self.checkIsSpeakUpStore(db, path: path) }
            // WAL is switched on here, once the file is known to be ours, rather
            // than through `journalMode = .wal`, which would also lower
            // synchronous to NORMAL (and would change another program's file).
            if !readOnly { try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") } }
            let migrator = StoreSchema.migrator
            if try queue.read({ db in try migrator.hasBeenSuperseded(db) }) {
                throw StoreError(.newerVersion, "The store at \(path) was written by a newer version of SpeakUp. Please use that version, or ask IT to update this one.")
            }
            if !readOnly { try migrator.migrate(queue) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "open")
        }
    }

    public func submit(_ report: Report) throws(StoreError) -> Report {
        var candidate = report
        for _ in 0..<8 {
            do {
                try queue.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        try ReportRows.insert(candidate, into: db)
                        return .commit
                    }
                }
                return candidate
            } catch let error as DatabaseError where ReportRows.isReferenceCollision(error) {
                candidate.reference = .random()
            } catch {
                throw StoreErrors.translate(error, path: path, doing: "save")
            }
        }
        throw StoreError(.failed, "SpeakUp could not find a free case reference. Your report was not saved; please try again.")
    }

    public func allReports() throws(StoreError) -> [Report] {
        do {
            return try queue.read { db in try ReportRows.all(in: db) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func events(for reference: CaseReference) throws(StoreError) -> [CaseEvent] {
        do {
            return try queue.read { db in try ReportRows.events(for: reference, in: db) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    /// The schema versions applied to this store, oldest first.
    public func appliedMigrations() throws -> [String] {
        try queue.read { db in try StoreSchema.migrator.appliedMigrations(db) }
    }

    /// Runs raw SQL against the store: for tests and benchmarks that need to
    /// provoke failures (such as a full disk) or look under the hood.
    public func withDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.writeWithoutTransaction(body)
    }

    private static func checkIsSpeakUpStore(_ db: Database, path: String) throws {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        if !tables.isEmpty && !tables.contains("grdb_migrations") {
            throw StoreError(.notAStore, "\(path) is an SQLite database, but not a SpeakUp store. Please check the path; SpeakUp will not change it.")
        }
    }
}
