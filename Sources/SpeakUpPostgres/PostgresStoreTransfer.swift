import Foundation
import PostgresNIO
import SpeakUpCore

extension PostgresReportStore: StoreTransfer {
    /// Columns of a copied table with their types, as the database describes them.
    private func columns(of table: String, in session: PostgresSession) throws(StoreError) -> [(name: String, type: String)] {
        try session.rows("""
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(table) AND is_generated = 'NEVER'
            ORDER BY ordinal_position
            """).map { row throws(StoreError) in (try row.string("column_name"), try row.string("data_type")) }
    }

    /// The table's key columns, for a stable order.
    private func keys(of table: String, in session: PostgresSession) throws(StoreError) -> [String] {
        try session.texts("""
            SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = \(table)::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)
            """)
    }

    private static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    public func rows(of table: String, after: [StoredValue]?, limit: Int) throws(StoreError) -> TableRows {
        guard StoreTables.copied.contains(table) else { throw StoreError(.failed, "SpeakUp does not copy a table called \(table).") }
        return try read { session in
            let columns = try columns(of: table, in: session)
            let keys = try keys(of: table, in: session)
            // Every value as text (bytes as hex), so nothing is rounded on its way out; the key again after them,
            // as text, to start the next page from (compared in the key's own type and collation).
            let select = (columns.map { column in
                column.type == "bytea" ? "encode(\(Self.quoted(column.name)), 'hex')" : "\(Self.quoted(column.name))::text"
            } + keys.map { "\(Self.quoted($0))::text" }).joined(separator: ", ")
            // (Ordered by the table's own columns, never the text of the same name the select gives back.)
            let order = keys.map { "t." + Self.quoted($0) }.joined(separator: ", ")
            var query = PostgresQuery(unsafeSQL: "SELECT \(select) FROM \(Self.quoted(table)) t ORDER BY \(order) LIMIT \(limit)")
            if let after {
                guard after.count == keys.count else { throw StoreError(.failed, "A copy asked for \(table) after a key of another shape.") }
                var marks: [String] = []
                for (index, key) in keys.enumerated() {
                    guard case .text(let text) = after[index] else { throw StoreError(.failed, "A copy asked for \(table) after a key of another shape.") }
                    query.binds.append(text)
                    marks.append("$\(index + 1)::\(columns.first { $0.name == key }?.type ?? "text")")
                }
                query = PostgresQuery(unsafeSQL: """
                    SELECT \(select) FROM \(Self.quoted(table)) t WHERE (\(order)) > (\(marks.joined(separator: ", "))) ORDER BY \(order) LIMIT \(limit)
                    """, binds: query.binds)
            }
            var values: [[StoredValue]] = []
            var next: [StoredValue]?
            for row in try session.query(query) {
                var line: [StoredValue] = []
                var key: [StoredValue] = []
                for (index, cell) in row.enumerated() {
                    let text: String?
                    do { text = try cell.decode(String?.self) } catch {
                        throw StoreError(.damaged, "The PostgreSQL store at \(location) holds a value in \(table) that could not be read.")
                    }
                    if index < columns.count {
                        line.append(try Self.stored(text, type: columns[index].type, at: "\(table).\(columns[index].name)"))
                    } else {
                        guard let text else { throw StoreError(.damaged, "The PostgreSQL store at \(location) holds a row of \(table) without its key.") }
                        key.append(.text(text))
                    }
                }
                values.append(line)
                next = key
            }
            return TableRows(table: table, columns: columns.map(\.name), rows: values, next: next)
        }
    }

    /// Seconds a copy's load of every table may take: one transaction however many rows, so the store's
    /// wait and 2 ms more a row (a store has about 16 rows a case: 20,000 cases' load may take 11 minutes,
    /// where it takes about 30 s in a release build on the 2-core machine). Each page read from the source
    /// has the plain wait. Ctrl-C still stops either at once.
    static func copySeconds(rows: Int, waiting seconds: Double) -> Double {
        seconds + Double(rows) * 0.002
    }

    public func load(from source: any StoreTransfer, page: Int) throws(StoreError) -> [String: Int] {
        var total = 0
        for table in StoreTables.copied { total += try source.count(of: table) }
        let copied = try write(.importing, allowing: Self.copySeconds(rows: total, waiting: wait.seconds)) { session in
            // Reading a page from the source and preparing it may take longer than a session may usually sit
            // inside a transaction (`PostgresSession.idleInTransactionSeconds`): a copy, run by an administrator, allows more.
            _ = try session.query("SET LOCAL idle_in_transaction_session_timeout = '10min'")
            for table in ["report", "draft", "staff", "audit_record", "audit_waiting"]
            where try session.finds(PostgresQuery(unsafeSQL: "SELECT 1 FROM \(table) LIMIT 1")) {
                throw StoreError(.failed, "The store at \(location) is not empty (it has rows in \(table)), so nothing was copied into it. Copy into a new store; or, if it is a copy of this source whose check was stopped, check it with `speakup store copy --check` and the same --from and --to.")
            }
            // The salt made with the new store gives way to the one the receipts were hashed with.
            _ = try session.query("DELETE FROM store_secret")
            // The chain's trigger checks each record against the head row and moves the head on: in one
            // transaction every record leaves a version of that row for the next to walk past (20,000
            // cases' records took 87 s, most of the copy). The owner, loading a new store, switches it
            // off for the load (undone with the rest if the load fails), checks every link in one
            // statement and sets the head once. Another login keeps the trigger.
            let bulkChain = try session.finds("""
                SELECT 1 FROM pg_class WHERE oid = 'audit_record'::regclass AND pg_has_role(current_user, relowner, 'USAGE')
                """)
            if bulkChain { _ = try session.query("ALTER TABLE audit_record DISABLE TRIGGER audit_record_follows_head") }
            var copied: [String: Int] = [:]
            for table in StoreTables.copied {
                let order = try keys(of: table, in: session).map(Self.quoted).joined(separator: ", ")
                var count = 0
                var after: [StoredValue]?
                // A page at a time, each a JSON array of rows whose every value is text: the server reads each
                // with its column's own type (bytes as \x hex), in key order (the audit chain's trigger
                // checks every record follows the one before).
                while true {
                    let rows = try source.rows(of: table, after: after, limit: page)
                    if !rows.rows.isEmpty {
                        let names = rows.columns.map(Self.quoted).joined(separator: ", ")
                        let batch = rows.rows.map { row in Dictionary(uniqueKeysWithValues: zip(rows.columns, row.map(Self.jsonText))) }
                        let json: String
                        do {
                            json = String(decoding: try JSONSerialization.data(withJSONObject: batch, options: []), as: UTF8.self)
                        } catch {
                            throw StoreError(.failed, "The rows of \(table) could not be prepared for the copy.")
                        }
                        var query = PostgresQuery(unsafeSQL: """
                            INSERT INTO \(Self.quoted(table)) (\(names))
                            SELECT \(names) FROM json_populate_recordset(NULL::\(Self.quoted(table)), $1::json) ORDER BY \(order)
                            """)
                        query.binds.append(json)
                        _ = try session.query(query)
                    }
                    count += rows.rows.count
                    guard rows.rows.count == page, let next = rows.next else { break }
                    after = next
                }
                copied[table] = count
            }
            if bulkChain {
                try Self.checkLinks(in: session, at: location)
                _ = try session.query("ALTER TABLE audit_record ENABLE TRIGGER audit_record_follows_head")
            }
            _ = try session.query("DELETE FROM case_text")
            _ = try session.query("DELETE FROM case_text_pending")
            _ = try session.query("INSERT INTO case_text_pending (reference) SELECT reference FROM case_file")
            return copied
        }
        try indexPendingWords()
        return copied
    }

    /// What the chain's trigger checks of each record, for all of them at once: the first follows the
    /// head (a new store's: nothing), each other the one before it (position and hash); then the head
    /// is set to the last.
    private static func checkLinks(in session: PostgresSession, at location: String) throws(StoreError) {
        let broken = try session.number("""
            SELECT min(position) FROM (
                SELECT position, previous_hash, lag(position) OVER w AS before_position, lag(hash) OVER w AS before_hash
                FROM audit_record WINDOW w AS (ORDER BY position)) links
            WHERE CASE WHEN before_position IS NULL
                       THEN position IS DISTINCT FROM (SELECT position + 1 FROM audit_head) OR previous_hash IS DISTINCT FROM (SELECT hash FROM audit_head)
                       ELSE position <> before_position + 1 OR previous_hash IS DISTINCT FROM before_hash END
            """)
        if let broken {
            throw StoreError(.damaged, "The audit records copied into \(location) do not follow on from each other at record \(broken), so nothing was copied. The source's trail needs looking into (speakup audit verify).")
        }
        _ = try session.query("""
            UPDATE audit_head h SET position = last.position, hash = last.hash
            FROM (SELECT position, hash FROM audit_record ORDER BY position DESC LIMIT 1) last
            """)
    }

    public func timelines(of references: [CaseReference]) throws(StoreError) -> [CaseReference: [CaseEvent]] {
        try read { session in try PostgresReportRows.timelines(of: references, in: session) }
    }

    public func count(of table: String) throws(StoreError) -> Int {
        guard StoreTables.copied.contains(table) || StoreTables.remade.contains(table) else {
            throw StoreError(.failed, "SpeakUp does not copy a table called \(table).")
        }
        return try read { session in try session.number(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(Self.quoted(table))")) ?? 0 }
    }

    /// A value read as text, as the engine-neutral value its column's type makes it.
    private static func stored(_ text: String?, type: String, at column: String) throws(StoreError) -> StoredValue {
        guard let text else { return .null }
        switch type {
        case "bigint", "integer", "smallint":
            guard let number = Int64(text) else { throw StoreError(.damaged, "\(column) holds \(text), which is not a whole number.") }
            return .integer(number)
        case "double precision", "real", "numeric":
            guard let number = Double(text) else { throw StoreError(.damaged, "\(column) holds \(text), which is not a number.") }
            return .real(number)
        case "bytea":
            var bytes: [UInt8] = []
            var digits = text.utf8.makeIterator()
            while let high = digits.next(), let low = digits.next() {
                guard let byte = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else {
                    throw StoreError(.damaged, "\(column) holds bytes that could not be read.")
                }
                bytes.append(byte)
            }
            return .bytes(bytes)
        default:
            return .text(text)
        }
    }

    /// A value as the text PostgreSQL's input for its column reads (JSON null for none); the bench's
    /// floor for a copy sends the same.
    public static func jsonText(_ value: StoredValue) -> Any {
        switch value {
        case .null: NSNull()
        case .integer(let number): String(number)
        case .real(let number): String(number)
        case .text(let text): text
        case .bytes(let bytes): "\\x" + bytes.map { String(format: "%02x", $0) }.joined()
        }
    }
}
