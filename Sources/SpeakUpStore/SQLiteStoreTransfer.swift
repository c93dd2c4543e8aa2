import Foundation
import GRDB
import SpeakUpCore

extension SQLiteReportStore: StoreTransfer {
    public func rows(of table: String, after: [StoredValue]?, limit: Int) throws(StoreError) -> TableRows {
        guard StoreTables.copied.contains(table) else { throw StoreError(.failed, "SpeakUp does not copy a table called \(table).") }
        do {
            return try queue.read { db in
                let columns = try db.columns(in: table).map(\.name)
                // The key (a rowid table's hidden rowid too) read after the columns, to start the next page from.
                let keys = try db.primaryKey(table).columns.map { "\"\($0)\"" }
                let list = keys.joined(separator: ", ")
                let from = after == nil ? "" : " WHERE (\(list)) > (\(Array(repeating: "?", count: keys.count).joined(separator: ", ")))"
                var next: [StoredValue]?
                let rows = try Row.fetchAll(db, sql: "SELECT *, \(list) FROM \"\(table)\"\(from) ORDER BY \(list) LIMIT \(limit)",
                                            arguments: StatementArguments((after ?? []).map(Self.databaseValue))).map { row in
                    let values = (0..<row.count).map { Self.stored(row[$0] as DatabaseValue) }
                    next = Array(values.suffix(keys.count))
                    return Array(values.prefix(columns.count))
                }
                return TableRows(table: table, columns: columns, rows: rows, next: next)
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func load(from source: any StoreTransfer, page: Int) throws(StoreError) -> [String: Int] {
        let copied: [String: Int]
        do {
            copied = try writeTurn { db in
                var copied: [String: Int] = [:]
                try db.inTransaction(.immediate) {
                    for table in ["report", "draft", "staff", "audit_record", "audit_waiting"]
                    where try Bool.fetchOne(db, sql: "SELECT 1 FROM \(table) LIMIT 1") == true {
                        throw StoreError(.failed, "The store at \(path) is not empty (it has rows in \(table)), so nothing was copied into it. Copy into a new store; or, if it is a copy of this source whose check was stopped, check it with `speakup store copy --check` and the same --from and --to.")
                    }
                    // The salt made with the new store gives way to the one the receipts were hashed with.
                    try db.execute(sql: "DELETE FROM store_secret")
                    for table in StoreTables.copied {
                        var count = 0
                        var after: [StoredValue]?
                        var statement: Statement?
                        while true {
                            let rows = try source.rows(of: table, after: after, limit: page)
                            if statement == nil {
                                let names = rows.columns.map { "\"\($0)\"" }.joined(separator: ", ")
                                let marks = Array(repeating: "?", count: rows.columns.count).joined(separator: ", ")
                                statement = try db.makeStatement(sql: "INSERT INTO \"\(table)\" (\(names)) VALUES (\(marks))")
                            }
                            for row in rows.rows {
                                try statement?.execute(arguments: StatementArguments(row.map(Self.databaseValue)))
                            }
                            count += rows.rows.count
                            guard rows.rows.count == page, let next = rows.next else { break }
                            after = next
                        }
                        copied[table] = count
                    }
                    try db.execute(sql: "DELETE FROM case_text; DELETE FROM case_text_pending; INSERT INTO case_text_pending (reference) SELECT reference FROM case_file")
                    return .commit
                }
                return copied
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "import")
        }
        try indexPendingWords()
        return copied
    }

    public func count(of table: String) throws(StoreError) -> Int {
        guard StoreTables.copied.contains(table) || StoreTables.remade.contains(table) else {
            throw StoreError(.failed, "SpeakUp does not copy a table called \(table).")
        }
        do {
            return try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(table)\"") ?? 0 }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func timelines(of references: [CaseReference]) throws(StoreError) -> [CaseReference: [CaseEvent]] {
        do {
            return try queue.read { db in
                var timelines: [CaseReference: [CaseEvent]] = [:]
                for reference in references {
                    let events = try ReportRows.events(for: reference, in: db)
                    if !events.isEmpty { timelines[reference] = events }
                }
                return timelines
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    private static func stored(_ value: DatabaseValue) -> StoredValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .double(let number): .real(number)
        case .string(let text): .text(text)
        case .blob(let data): .bytes([UInt8](data))
        }
    }

    private static func databaseValue(_ value: StoredValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .integer(let number): number.databaseValue
        case .real(let number): number.databaseValue
        case .text(let text): text.databaseValue
        case .bytes(let bytes): Data(bytes).databaseValue
        }
    }
}
