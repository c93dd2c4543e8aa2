/// Editable text held as grapheme clusters, with a cursor and a length limit.
///
/// Shared by the one-line field and the multi-line editor. A combining mark or
/// a joiner typed on its own merges into the character before it, so the cursor
/// never lands inside what a reader sees as one letter.
public struct TextBuffer: Hashable, Sendable {
    public private(set) var characters: [Character] = []
    /// Index into `characters`, 0...count.
    public private(set) var cursor: Int = 0
    /// The most characters the text may hold.
    public let limit: Int
    /// Whether newlines are kept (multi-line) or become spaces (one line).
    public let allowsNewlines: Bool

    public init(limit: Int, allowsNewlines: Bool) {
        self.limit = limit
        self.allowsNewlines = allowsNewlines
    }

    public var text: String { String(characters) }
    public var count: Int { characters.count }
    public var isFull: Bool { characters.count >= limit }

    /// Inserts text at the cursor. Returns false when some of it did not fit
    /// under the limit (what fits is kept; the rest is left out).
    ///
    /// Only as much of the text as could fit is examined, so a pasted megabyte
    /// costs no more than a paste that fills the buffer.
    @discardableResult
    public mutating func insert(_ text: String) -> Bool {
        let room = limit - characters.count
        var incoming: [Character] = []
        incoming.reserveCapacity(min(room, 4096))
        var fitted = true
        for raw in text {
            var character = raw == "\r" || raw == "\r\n" ? "\n" : raw
            if !allowsNewlines && character == "\n" { character = " " }
            if mayCombine(character), let last = incoming.last ?? (cursor > 0 ? characters[cursor - 1] : nil),
                last != "\n", String(last).appending(String(character)).count == 1 {
                // A combining mark or joiner typed on its own joins the character before it.
                let joined = Character(String(last) + String(character))
                if incoming.isEmpty { characters[cursor - 1] = joined } else { incoming[incoming.count - 1] = joined }
                continue
            }
            if incoming.count == room {
                fitted = false
                break
            }
            incoming.append(character)
        }
        characters.insert(contentsOf: incoming, at: cursor)
        cursor += incoming.count
        return fitted
    }

    private func mayCombine(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        let properties = scalar.properties
        return properties.isGraphemeExtend || properties.isEmojiModifier || (0x1F1E6...0x1F1FF).contains(scalar.value)
            || scalar.value == 0x200D || scalar.value == 0xFE0F
            || (cursor > 0 && characters[cursor - 1].unicodeScalars.last?.value == 0x200D)
    }

    /// Deletes the character before the cursor.
    public mutating func deleteBackward() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    /// Deletes the character under the cursor.
    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    /// Deletes the characters in `start..<end` (clamped), leaving the cursor where they were.
    public mutating func delete(from start: Int, to end: Int) {
        let lower = max(0, min(start, characters.count))
        let upper = max(lower, min(end, characters.count))
        characters.removeSubrange(lower..<upper)
        if cursor > upper { cursor -= upper - lower } else if cursor > lower { cursor = lower }
    }

    /// The start of the word before the cursor (skipping spaces and line ends first).
    public var previousWordStart: Int {
        var index = cursor
        while index > 0, characters[index - 1].isWhitespace { index -= 1 }
        while index > 0, !characters[index - 1].isWhitespace { index -= 1 }
        return index
    }

    /// The end of the word after the cursor (skipping spaces and line ends first).
    public var nextWordEnd: Int {
        var index = cursor
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        while index < characters.count, !characters[index].isWhitespace { index += 1 }
        return index
    }

    /// Moves the cursor to an index, clamped to the text.
    public mutating func moveCursor(to index: Int) {
        cursor = max(0, min(characters.count, index))
    }
}
