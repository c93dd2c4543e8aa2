import Foundation

/// A whole store's tables as they are, for `speakup store copy` from one engine to the other:
/// nothing is routed again, renumbered or re-chained, so the copy holds the same reports, events,
/// receipts (with the same salt), drafts, directory, workspace and audit chain, hash for hash.
public protocol StoreTransfer: Sendable {
    /// Up to `limit` rows of one of `StoreTables.copied`, all its columns, in key order, starting after
    /// the row whose key is `after` (a page's `next`; nil: from the first row). A page of fewer than
    /// `limit` rows is the last.
    func rows(of table: String, after: [StoredValue]?, limit: Int) throws(StoreError) -> TableRows

    /// Writes every table of `StoreTables.copied` from `source` into this store, which must hold no
    /// report, draft, staff or audit record yet, in one transaction (all or nothing), reading the source
    /// a page of `page` rows at a time, so a whole trust's store never has to be in memory at once; then
    /// marks every case's words to be indexed for search again (the full-text index is each engine's
    /// own). Returns how many rows each table received.
    func load(from source: any StoreTransfer, page: Int) throws(StoreError) -> [String: Int]

    /// How many rows a table holds.
    func count(of table: String) throws(StoreError) -> Int
}

extension StoreTransfer {
    /// Every row of one of `StoreTables.copied`, all its columns, in key order, read a page at a time.
    public func rows(of table: String) throws(StoreError) -> TableRows {
        var whole = try rows(of: table, after: nil, limit: StoreTables.page)
        var page = whole
        while page.rows.count == StoreTables.page, let next = page.next {
            page = try rows(of: table, after: next, limit: StoreTables.page)
            whole.rows += page.rows
        }
        whole.next = nil
        return whole
    }
}

/// One table's rows (a page of them, or all), with its column names.
public struct TableRows: Hashable, Sendable {
    public var table: String
    public var columns: [String]
    public var rows: [[StoredValue]]
    /// The key of the last row, as the store that read it orders the table: where the next page starts.
    public var next: [StoredValue]?

    public init(table: String, columns: [String], rows: [[StoredValue]], next: [StoredValue]? = nil) {
        self.table = table
        self.columns = columns
        self.rows = rows
        self.next = next
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
    /// Rows a copy reads and writes at a time.
    public static let page = 5_000
    /// Kept by each engine in its own way and made again after a copy: the full-text index.
    public static let remade = ["case_text"]
}
