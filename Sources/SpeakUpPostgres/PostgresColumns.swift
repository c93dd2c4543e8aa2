import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore

/// A row the store read, by column name, with every value that does not read as expected
/// reported as damage (a sentence), never taken for a missing value.
struct PostgresColumns {
    private let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    /// A text column (nil for NULL).
    func text(_ column: String) throws(StoreError) -> String? {
        try decode(String?.self, column)
    }

    /// A text column that is never NULL.
    func string(_ column: String) throws(StoreError) -> String {
        guard let value = try text(column) else { throw StoredForm.damaged(column, "NULL") }
        return value
    }

    /// An integer column (nil for NULL).
    func integer(_ column: String) throws(StoreError) -> Int? {
        try decode(Int?.self, column)
    }

    /// A double precision column (nil for NULL).
    func real(_ column: String) throws(StoreError) -> Double? {
        try decode(Double?.self, column)
    }

    /// A text array column (empty for NULL).
    func list(_ column: String) throws(StoreError) -> [String] {
        try decode([String]?.self, column) ?? []
    }

    /// A bytea column (nil for NULL).
    func bytes(_ column: String) throws(StoreError) -> Data? {
        try decode(Data?.self, column)
    }

    /// A boolean column that is never NULL.
    func flag(_ column: String) throws(StoreError) -> Bool {
        try decode(Bool.self, column)
    }

    /// Every column with its value as a content digest reads it (`ContentHasher`): integers,
    /// reals, bytes and text, NULL left as nil.
    /// `leavingOff`: that many columns at the end are not the table's (a lock's, added to the statement).
    func forDigest(leavingOff extra: Int = 0) throws(StoreError) -> [(name: String, value: ContentHasher.Value?)] {
        var columns: [(name: String, value: ContentHasher.Value?)] = []
        for index in 0..<(row.count - extra) {
            let cell = row[index]
            guard cell.bytes != nil else {
                columns.append((cell.columnName, nil))
                continue
            }
            let value: ContentHasher.Value
            do {
                switch cell.dataType {
                case .int2, .int4, .int8: value = .integer(Int64(try cell.decode(Int.self)))
                case .float4, .float8: value = .real(try cell.decode(Double.self))
                case .bytea: value = .blob(try cell.decode(Data.self))
                default: value = .text(try cell.decode(String.self))
                }
            } catch {
                throw StoredForm.damaged("value in \(cell.columnName)", "\(cell.dataType)")
            }
            columns.append((cell.columnName, value))
        }
        return columns
    }

    private func decode<T: PostgresDecodable>(_ type: T.Type, _ column: String) throws(StoreError) -> T {
        guard row.contains(column) else {
            throw StoreError(.damaged, "The store has no column \(column) where SpeakUp expects one. It may have been set up by another version of SpeakUp; please tell IT.")
        }
        do {
            return try row[column].decode(T.self)
        } catch {
            throw StoredForm.damaged("value in \(column)", String(describing: row[column].dataType))
        }
    }
}

extension PostgresSession {
    /// The rows of a query, by column name.
    func rows(_ query: PostgresQuery) throws(StoreError) -> [PostgresColumns] {
        try self.query(query).map(PostgresColumns.init)
    }

    /// The first row of a query, if any.
    func row(_ query: PostgresQuery) throws(StoreError) -> PostgresColumns? {
        try self.query(query).first.map(PostgresColumns.init)
    }

    /// The first row of a statement the session may prepare (`query(repeating:)`), if any.
    func row(repeating statement: RepeatableQuery) throws(StoreError) -> PostgresColumns? {
        try query(repeating: statement).first.map(PostgresColumns.init)
    }

    /// The texts in the first column of every row (NULLs left out).
    func texts(_ query: PostgresQuery) throws(StoreError) -> [String] {
        var texts: [String] = []
        for row in try self.query(query) {
            do {
                if let text = try row.decode(String?.self) { texts.append(text) }
            } catch {
                throw StoredForm.damaged("text", "\(error)")
            }
        }
        return texts
    }

    /// The integer in the first column of the first row (nil when there is no row, or it is NULL).
    func number(_ query: PostgresQuery) throws(StoreError) -> Int? {
        guard let row = try self.query(query).first else { return nil }
        do {
            return try row.decode(Int?.self)
        } catch {
            throw StoredForm.damaged("number", "\(error)")
        }
    }

    /// Whether a query finds any row.
    func finds(_ query: PostgresQuery) throws(StoreError) -> Bool {
        try !self.query(query).isEmpty
    }
}

/// SQL put together from parts (the queue's filters), with its values bound, never spliced into the text.
struct StatementParts {
    private(set) var binds = PostgresBindings()
    /// Each value's kind as sent (`.null` for a NULL, whose kind the server works out from where it is
    /// used), for a statement prepared by name (`repeatable`).
    private(set) var kinds: [PostgresDataType] = []

    /// Binds a value (NULL for nil); returns its placeholder.
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value?) -> String {
        binds.append(value)
        kinds.append(value?.psqlType ?? .null)
        return "$\(binds.count)"
    }

    /// Binds bytes as `bytea` (NULL for nil); returns its placeholder.
    mutating func bind(_ value: Data?) -> String {
        binds.append(value.map { ByteBuffer(bytes: $0) })
        kinds.append(value == nil ? .null : .bytea)
        return "$\(binds.count)"
    }

    /// The statement `sql`, which uses the placeholders handed out. (Put `sql` together first: a
    /// placeholder handed out while this call's argument is worked out would not be in it.)
    func query(_ sql: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// The statement `sql`, as one a session may prepare if it sends it again (`RepeatableQuery`).
    func repeatable(_ sql: String) -> RepeatableQuery {
        RepeatableQuery(query: query(sql), kinds: kinds)
    }
}
