import Foundation
import GRDB
import Testing
import SpeakUpCore
@testable import SpeakUpStore

@Suite("Opening a store: every wrong path gets a sentence")
struct StoreOpeningTests {
    @Test("a missing store is not created when the caller asks it not to be")
    func missing() {
        let folder = TemporaryFolder()
        let error = #expect(throws: StoreError.self) { _ = try SQLiteReportStore(path: folder.file(), createIfMissing: false) }
        #expect(error?.kind == .missing)
        #expect(error?.sentence.contains("There is no SpeakUp store at") == true)
        #expect(!FileManager.default.fileExists(atPath: folder.file()))
    }

    @Test("a folder that does not exist is named")
    func missingFolder() {
        let folder = TemporaryFolder()
        let error = #expect(throws: StoreError.self) { _ = try SQLiteReportStore(path: folder.path + "/nope/speakup.sqlite") }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.sentence.contains("does not exist") == true)
    }

    @Test("a folder given as the store is refused")
    func folderAsStore() {
        let folder = TemporaryFolder()
        let error = #expect(throws: StoreError.self) { _ = try SQLiteReportStore(path: folder.path) }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.sentence.contains("is a folder") == true)
    }

    @Test("a file that is not a database is refused and left untouched")
    func notADatabase() throws {
        let folder = TemporaryFolder()
        let contents = Data("these are my notes, not a database\n".utf8) + Data(repeating: 0x41, count: 4096)
        _ = FileManager.default.createFile(atPath: folder.file(), contents: contents)
        let error = #expect(throws: StoreError.self) { _ = try SQLiteReportStore(path: folder.file()) }
        #expect(error?.kind == .notAStore)
        #expect(FileManager.default.contents(atPath: folder.file()) == contents)
    }

    @Test("another program's SQLite database is refused and left untouched")
    func foreignDatabase() throws {
        let folder = TemporaryFolder()
        let other = try DatabaseQueue(path: folder.file())
        try other.write { db in try db.execute(sql: "CREATE TABLE recipes (name TEXT)") }
        let error = #expect(throws: StoreError.self) { _ = try SQLiteReportStore(path: folder.file()) }
        #expect(error?.kind == .notAStore)
        let tables = try other.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type='table'") }
        #expect(tables == ["recipes"])
        #expect(try other.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "delete")
    }

    @Test("a store from a newer SpeakUp is not touched by an older one")
    func newerVersion() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file())
        try store.withDatabase { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        let error = #expect(throws: StoreError.self) { _ = try SQLiteReportStore(path: folder.file()) }
        #expect(error?.kind == .newerVersion)
    }
}
