/// Where each value of a JSON text is, by line and column, and where and why a text that is not JSON
/// stops being JSON: for `speakup import`, whose errors name the place in the file.
///
/// Foundation's parser says only "around character N" (or nothing, at the end of the text), and
/// reading JSON as YAML would accept what JSON does not; so the text is walked here, strictly
/// (RFC 8259), once.
public enum JSONPositions {
    public struct Position: Hashable, Sendable, CustomStringConvertible {
        /// From 1.
        public var line: Int
        /// From 1, in characters (not bytes).
        public var column: Int

        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }

        public var description: String { "line \(line), column \(column)" }
    }

    /// Why the text is not JSON, and where.
    public struct SyntaxProblem: Error, Hashable, Sendable {
        public var position: Position
        /// True when the text ended before the JSON did (a truncated file).
        public var endsEarly: Bool
        /// What was expected there, in words ("a comma or ]").
        public var sentence: String
    }

    /// The position of every value, keyed by its path from the top: array indices as "0", "1", ...,
    /// object keys as they are. The top value's path is empty.
    public static func of(_ bytes: [UInt8]) -> Result<[[String]: Position], SyntaxProblem> {
        var walker = Walker(bytes: bytes)
        if bytes.starts(with: byteOrderMark) {
            // A byte-order mark (as Windows editors write) is not text: the JSON starts after it.
            walker.index = byteOrderMark.count
            walker.lineStart = byteOrderMark.count
        }
        do throws(SyntaxProblem) {
            try walker.value(path: [])
            walker.skipSpace()
            if walker.index < bytes.count {
                throw walker.problem("the end of the file after the last ] or }")
            }
            return .success(walker.positions)
        } catch {
            return .failure(error)
        }
    }

    /// UTF-8's byte-order mark.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Lists and objects nest at most this deep: a report is three levels, and a walk this deep
    /// must not run out of stack on a hostile file.
    public static let deepest = 64

    private struct Walker {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var lineStart = 0
        var positions: [[String]: Position] = [:]

        /// Where on its line the column was last counted up to, and the column there.
        var counted = 0
        var column = 1

        var position: Position {
            // Columns count characters: every byte but UTF-8 continuation bytes.
            let column = bytes[lineStart..<min(index, bytes.count)].reduce(1) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            return Position(line: line, column: column)
        }

        /// `position`, counting on from where the last value's column was counted rather than from the
        /// start of the line: a file written on one line (as many programs write JSON) would otherwise
        /// be counted again for every value, hours for a few megabytes.
        mutating func here() -> Position {
            if counted < lineStart {
                counted = lineStart
                column = 1
            }
            let end = min(index, bytes.count)
            while counted < end {
                if bytes[counted] & 0xC0 != 0x80 { column += 1 }
                counted += 1
            }
            return Position(line: line, column: column)
        }

        func problem(_ expected: String) -> SyntaxProblem {
            guard index < bytes.count else {
                return SyntaxProblem(position: position, endsEarly: true, sentence: "the file ends at line \(line) before the report is complete")
            }
            return SyntaxProblem(position: position, endsEarly: false, sentence: "\(position): expected \(expected), found \(found)")
        }

        /// The character at the index, quoted, or named when it cannot be shown.
        private var found: String {
            var end = index + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            let character = String(decoding: bytes[index..<end], as: UTF8.self)
            switch bytes[index] {
            case 0x0A: return "the end of the line"
            case 0x09: return "a tab"
            case 0x00..<0x20, 0x7F: return "a control character"
            default: return "\"\(character)\""
            }
        }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0D: index += 1
                case 0x0A:
                    index += 1
                    line += 1
                    lineStart = index
                default: return
                }
            }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(SyntaxProblem) {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { throw problem(what) }
            index += 1
        }

        mutating func value(path: [String]) throws(SyntaxProblem) {
            skipSpace()
            guard path.count <= JSONPositions.deepest else {
                throw SyntaxProblem(position: position, endsEarly: false,
                                    sentence: "\(position): lists and objects nest more than \(JSONPositions.deepest) deep here, which no report does")
            }
            positions[path] = here()
            guard index < bytes.count else { throw problem("a value") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                try items(closing: UInt8(ascii: "}"), "the } that ends the object") { walker, _ throws(SyntaxProblem) in
                    walker.skipSpace()
                    guard walker.index < walker.bytes.count, walker.bytes[walker.index] == UInt8(ascii: "\"") else {
                        throw walker.problem("a key in double quotes")
                    }
                    let key = try walker.string()
                    try walker.expect(UInt8(ascii: ":"), "a colon (:) after the key \"\(key)\"")
                    try walker.value(path: path + [key])
                }
            case UInt8(ascii: "["):
                try items(closing: UInt8(ascii: "]"), "the ] that ends the list") { walker, count throws(SyntaxProblem) in
                    try walker.value(path: path + [String(count)])
                }
            case UInt8(ascii: "\""):
                _ = try string()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try number()
            default:
                for word in ["true", "false", "null"] where bytes[index...].starts(with: word.utf8) {
                    index += word.utf8.count
                    return
                }
                throw problem("a value (text in double quotes, a number, true, false, null, { or [)")
            }
        }

        /// The members of an object or the items of a list, from its opening bracket to `closing`.
        mutating func items(
            closing: UInt8, _ end: String, _ item: (inout Walker, Int) throws(SyntaxProblem) -> Void
        ) throws(SyntaxProblem) {
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == closing { index += 1; return }
            var count = 0
            while true {
                try item(&self, count)
                count += 1
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ",") || bytes[index] == closing else {
                    throw problem("a comma (,) or \(end)")
                }
                index += 1
                if bytes[index - 1] == closing { return }
            }
        }

        /// A string at the index (on its opening quote); returns its text.
        mutating func string() throws(SyntaxProblem) -> String {
            index += 1
            let start = index
            while true {
                guard index < bytes.count else { throw problem("the closing \"") }
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    // Escapes are kept as written: keys in the export format have none.
                    let text = String(decoding: bytes[start..<index], as: UTF8.self)
                    index += 1
                    return text
                case UInt8(ascii: "\\"):
                    index += 1
                    guard index < bytes.count else { throw problem("an escape such as \\n") }
                    switch bytes[index] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        index += 1
                    case UInt8(ascii: "u"):
                        index += 1
                        for _ in 0..<4 {
                            guard index < bytes.count, Self.isHex(bytes[index]) else { throw problem("four hex digits after \\u") }
                            index += 1
                        }
                    default:
                        throw problem("an escape such as \\n, \\\", \\\\ or \\u00e9 after the backslash")
                    }
                case 0x00..<0x20:
                    throw problem("the closing \" (a line break or tab inside text is written \\n or \\t)")
                default:
                    index += 1
                }
            }
        }

        mutating func number() throws(SyntaxProblem) {
            func digits(_ what: String) throws(SyntaxProblem) {
                guard index < bytes.count, Self.isDigit(bytes[index]) else { throw problem(what) }
                while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
            }
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: "0") { index += 1 } else { try digits("a digit") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                try digits("a digit after the decimal point")
            }
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                try digits("a digit in the exponent")
            }
        }

        static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        static func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20) }
    }
}
