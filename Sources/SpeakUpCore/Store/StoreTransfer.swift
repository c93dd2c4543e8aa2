import Foundation

/// A whole store's tables as they are, for `speakup store copy` from one engine to the other:
/// nothing is routed again, renumbered or re-chained, so the copy holds the same reports, events,
/// receipts (with the same salt), drafts, directory, workspace and audit chain, hash for hash.
public protocol StoreTransfer: Sendable {
    /// Every row of one of `StoreTables.copied`, all its columns, in key order.
    func rows(of table: String) throws(StoreError) -> TableRows

    /// Writes the tables into this store, which must hold no report, draft, staff or audit
    /// record yet, in one transaction (all or nothing); then marks every case's words to be
    /// indexed for search again (the full-text index is each engine's own).
    func load(_ tables: [TableRows]) throws(StoreError)

    /// How many rows a table holds.
    func count(of table: String) throws(StoreError) -> Int
}

/// One table's rows, with its column names.
public struct TableRows: Hashable, Sendable {
    public var table: String
    public var columns: [String]
    public var rows: [[StoredValue]]

    public init(table: String, columns: [String], rows: [[StoredValue]]) {
        self.table = table
        self.columns = columns
        self.rows = rows
    }
}

/// A value as either engine stores it.
public enum StoredValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case bytes([UInt8])
}

/// Which tables a copy carries, parents before children (references hold at every row).
public enum StoreTables {
    public static let copied = [
        "store_secret", "report", "report_concern", "case_event", "receipt", "draft", "staff",
        "audit_record", "audit_waiting", "case_file", "case_handler", "case_handler_concern", "case_recusal", "reminder",
        "reporter_characteristics", "sealing_key", "recovery_key", "case_key", "sealed_event", "sealed_name", "subject_check",
        // After the case events: an erased case takes no event once its erasure is recorded.
        "case_erasure", "erased_event",
    ]
    /// Kept by each engine in its own way and made again after a copy: the full-text index.
    public static let remade = ["case_text"]
}
