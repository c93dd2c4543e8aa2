import Foundation
import PostgresNIO
@_spi(StoreEngines) import SpeakUpStore

/// A value a statement writes into a column, kept so that the statement binds it and a content
/// digest reads it from the same place: the row as it will be stored, known without reading it back
/// (`PostgresSubmitStatement`).
struct WrittenColumn {
    enum Value {
        case text(String?)
        case integer(Int?)
        case bytes(Data?)
    }

    let name: String
    let value: Value

    init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }

    /// Binds the value (NULL typed as the column's kind); returns its placeholder.
    func bind(in parts: inout StatementParts) -> String {
        switch value {
        case .text(let text): parts.bind(text)
        case .integer(let number): parts.bind(number)
        case .bytes(let bytes): parts.bind(bytes)
        }
    }

    /// The value as a digest of the stored row reads it (`PostgresColumns.forDigest`).
    var digestValue: ContentHasher.Value? {
        switch value {
        case .text(let text): text.map { .text($0) }
        case .integer(let number): number.map { .integer(Int64($0)) }
        case .bytes(let bytes): bytes.map { .blob($0) }
        }
    }

    /// Whether a column of PostgreSQL's type `type` (as `format_type` names it) reads back as this
    /// value's kind in a digest: integers as integers, `bytea` as bytes, anything else as text.
    func isRead(asType type: String) -> Bool {
        let integer = ["smallint", "integer", "bigint"].contains(type)
        let real = ["real", "double precision"].contains(type)
        switch value {
        case .integer: return integer
        case .bytes: return type == "bytea"
        case .text: return !integer && !real && type != "bytea"
        }
    }
}

extension Array where Element == WrittenColumn {
    /// The row as a digest reads it.
    var forDigest: [(name: String, value: ContentHasher.Value?)] {
        map { ($0.name, $0.digestValue) }
    }
}
