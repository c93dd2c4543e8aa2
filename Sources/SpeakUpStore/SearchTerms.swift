import Foundation

/// The words typed into the workspace's search box, as the full-text index and SpeakUp
/// itself both read them.
///
/// Words are runs of letters and digits; case and accents do not count (as in the index's
/// `unicode61 remove_diacritics 2`). Every word must be found in the case. The last word is
/// the one being typed, so it may be the start of a word; the words before it, followed by
/// a space, are whole words: "shouted at the p" finds "shouted", "at", "the" and any word
/// starting with "p". A trailing space makes the last word whole too.
public struct SearchTerms: Equatable, Sendable {
    /// Folded words that must appear whole.
    public var whole: [String]
    /// A folded word that must start some word, if the last word is still being typed.
    public var start: String?

    /// At most this many words are looked for (the rest of a pasted paragraph is ignored).
    public static let mostWords = 8

    public init(whole: [String], start: String?) {
        self.whole = whole
        self.start = start
    }

    public init?(_ typed: String) {
        let all = Self.words(in: typed)
        guard !all.isEmpty else { return nil }
        var words = Array(all.prefix(Self.mostWords))
        let stillTyping = all.count <= Self.mostWords && typed.last.map(Self.isWordCharacter) == true
        start = stillTyping ? words.removeLast() : nil
        whole = words
    }

    /// The query for the full-text index: each word quoted, so FTS5's own syntax (AND, NEAR, *, :)
    /// typed in the box is read as words.
    var ftsQuery: String {
        (whole.map { "\"\($0)\"" } + (start.map { ["\"\($0)\"*"] } ?? [])).joined(separator: " ")
    }

    /// Whether a case's words hold every search word (read the same way as the index reads them).
    public func matches(_ text: String) -> Bool {
        if let fast = matchesASCII(text) { return fast }
        let words = Self.words(in: text)
        for word in whole where !words.contains(word) { return false }
        if let start, !words.contains(where: { $0.hasPrefix(start) }) { return false }
        return true
    }

    /// `matches` for text that is all ASCII, on its bytes and without allocating (a search over
    /// many cases reads thousands); nil for any other text.
    private func matchesASCII(_ text: String) -> Bool? {
        var text = text
        return text.withUTF8 { bytes -> Bool? in
            var found = 0
            var foundMask: UInt16 = 0
            var startFound = start == nil
            var tokenStart = -1
            // Whether the token bytes[from..<to] (folded to lower case) equals `word`, or starts with it.
            func same(_ from: Int, _ to: Int, _ word: String, prefix: Bool) -> Bool {
                let count = word.utf8.count
                guard prefix ? to - from >= count : to - from == count else { return false }
                var index = from
                for expected in word.utf8 {
                    var byte = bytes[index]
                    if byte >= 0x41 && byte <= 0x5A { byte += 32 }
                    if byte != expected { return false }
                    index += 1
                }
                return true
            }
            func endToken(_ end: Int) {
                guard tokenStart >= 0 else { return }
                for (position, word) in whole.enumerated() where foundMask & (1 << position) == 0 && same(tokenStart, end, word, prefix: false) {
                    foundMask |= 1 << position
                    found += 1
                }
                if !startFound, let start, same(tokenStart, end, start, prefix: true) { startFound = true }
                tokenStart = -1
            }
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if byte >= 0x80 { return nil }
                let isWord = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                if isWord {
                    if tokenStart < 0 { tokenStart = index }
                } else {
                    endToken(index)
                    if found == whole.count && startFound { return true }
                }
            }
            endToken(bytes.count)
            return found == whole.count && startFound
        }
    }

    /// The folded words of a text: runs of letters, digits and private-use characters,
    /// lower-cased, with accents and other combining marks taken off.
    public static func words(in text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text {
            if isWordCharacter(character) {
                current += fold(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.unicodeScalars.first.map { scalar in
            scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar.properties.generalCategory == .privateUse
        } ?? false
    }

    private static func fold(_ character: Character) -> String {
        if character.isASCII { return character.lowercased() }
        var folded = ""
        for scalar in String(character).decomposedStringWithCanonicalMapping.unicodeScalars
        where ![.nonspacingMark, .spacingMark, .enclosingMark].contains(scalar.properties.generalCategory) {
            folded.unicodeScalars.append(scalar)
        }
        return folded.lowercased()
    }
}
