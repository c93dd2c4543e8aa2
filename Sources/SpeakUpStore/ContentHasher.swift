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

    /// What is added, gathered and hashed once at the end: hashing it piece by piece cost a call into the
    /// hash for every length, tag and value (an erasure digests every event twice).
    private var bytes: [UInt8] = []

    public init() {}

    /// Adds a row: its columns (name, value; nil for NULL).
    public mutating func add(row columns: [(name: String, value: Value?)]) {
        var fields: [(name: String, value: Value)] = []
        fields.reserveCapacity(columns.count)
        for column in columns {
            if let value = column.value, !Self.derivedColumns.contains(column.name) { fields.append((column.name, value)) }
        }
        fields.sort { $0.name < $1.name }
        add(String(fields.count))
        for (column, value) in fields {
            add(column)
            switch value {
            case .integer(let number): add(String(number), taggedWith: "i")
            case .real(let number): add(String(number), taggedWith: "d")
            case .text(let text): add(text, taggedWith: "s")
            case .blob(let data):
                add(String(data.count), taggedWith: "b")
                bytes.append(contentsOf: data)
            }
        }
    }

    /// Adds `tag` followed by `text`, as `add(tag + text)` would, without making the joined text.
    private mutating func add(_ text: String, taggedWith tag: Unicode.Scalar) {
        var text = text
        text.withUTF8 { bytes in
            appendLength(bytes.count + 1)
            self.bytes.append(UInt8(ascii: tag))
            self.bytes.append(contentsOf: bytes)
        }
    }

    /// Adds a length-prefixed text, so that no two different contents are spelled the same.
    public mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            appendLength(bytes.count)
            self.bytes.append(contentsOf: bytes)
        }
    }

    /// The digest of what was added.
    public func finalize() -> Data { Data(SHA256.hash(data: bytes)) }

    /// A length as four bytes, big-endian.
    private mutating func appendLength(_ count: Int) {
        let length = UInt32(count)
        bytes.append(UInt8(length >> 24))
        bytes.append(UInt8(length >> 16 & 0xFF))
        bytes.append(UInt8(length >> 8 & 0xFF))
        bytes.append(UInt8(length & 0xFF))
    }

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
            hasher.bytes.append(contentsOf: digest)
        }
        return hasher.finalize()
    }
}
