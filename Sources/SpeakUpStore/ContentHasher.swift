import Crypto
import Foundation

/// The bytes a content digest (`ContentDigest`) is made of, with no database in it, so every
/// engine digests the same rows to the same bytes.
///
/// A row is its columns taken by name in order, each value marked with its kind (integer, real,
/// text, blob); NULLs are left out, so a column added later (NULL in old rows) leaves old digests
/// as they were, and so are derived columns (`subject_key`, worked out again by SpeakUp).
public struct ContentHasher {
    /// A stored value, as the digest tells kinds apart.
    public enum Value {
        case integer(Int64)
        case real(Double)
        case text(String)
        case blob(Data)
    }

    /// Columns worked out again from others, left out of digests.
    public static let derivedColumns: Set<String> = ["subject_key"]

    private var hasher = SHA256()

    public init() {}

    /// Adds a row: its columns (name, value; nil for NULL).
    public mutating func add(row columns: [(name: String, value: Value?)]) {
        let fields = columns.compactMap { column in column.value.map { (column.name, $0) } }
            .filter { !Self.derivedColumns.contains($0.0) }
            .sorted { $0.0 < $1.0 }
        add(String(fields.count))
        for (column, value) in fields {
            add(column)
            switch value {
            case .integer(let number): add("i" + String(number))
            case .real(let number): add("d" + String(number))
            case .text(let text): add("s" + text)
            case .blob(let data):
                add("b" + String(data.count))
                hasher.update(data: data)
            }
        }
    }

    /// Adds a length-prefixed text, so that no two different contents are spelled the same.
    public mutating func add(_ text: String) {
        let bytes = Array(text.utf8)
        let count = UInt32(bytes.count)
        hasher.update(data: Data([UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]))
        hasher.update(data: Data(bytes))
    }

    /// The digest of what was added.
    public func finalize() -> Data { Data(hasher.finalize()) }

    /// The digest of a case event: its row and, for a case's first event, the report's row (if
    /// there is one) and its concerns, in category order.
    public static func ofEvent(_ event: [(name: String, value: Value?)], sequence: Int, report: () throws -> [(name: String, value: Value?)]?,
                               concerns: () throws -> [String]) rethrows -> Data {
        var hasher = ContentHasher()
        hasher.add("case_event")
        hasher.add(row: event)
        if sequence == 1 {
            if let report = try report() {
                hasher.add("report")
                hasher.add(row: report)
            }
            hasher.add("report_concern")
            for concern in try concerns() { hasher.add(concern) }
        }
        return hasher.finalize()
    }

    /// The digest of a list of digests, in order: what the upgrade that added content digests vouches for.
    public static func ofDigests(_ digests: [(position: Int, digest: Data)]) -> Data {
        var hasher = ContentHasher()
        for (position, digest) in digests {
            hasher.add(String(position))
            hasher.hasher.update(data: digest)
        }
        return hasher.finalize()
    }
}
