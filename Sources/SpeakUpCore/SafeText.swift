/// Untrusted text made safe to draw on a terminal.
///
/// Reports are stored exactly as typed, but whatever a person typed or pasted
/// could contain bytes a terminal obeys instead of showing: ESC starts escape
/// sequences (an OSC 52 write to the clipboard, an OSC 8 link, cursor moves),
/// 8-bit C1 codes such as 0x9B act as CSI on some terminals, and bidi overrides
/// (U+202E) make text read backwards. Each such character becomes one visible
/// placeholder cell, so what is shown can always be matched to what was typed.
public enum SafeText {
    /// The visible stand-in for a character that must not reach a terminal, or nil if it is safe.
    public static func placeholder(for scalar: Unicode.Scalar) -> Character? {
        switch scalar.value {
        case 0x00...0x1F:
            // Control Pictures block: ␛ for ESC, ␀ for NUL, ␉ for TAB…
            return Character(Unicode.Scalar(0x2400 + scalar.value)!)
        case 0x7F:
            return "\u{2421}"  // ␡
        case 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C, 0x2028, 0x2029:
            // C1 controls, bidi embeddings/overrides/isolates/marks, line and paragraph separators.
            return "\u{FFFD}"
        default:
            return nil
        }
    }

    /// True when the character may be written to a terminal as it is.
    public static func isSafe(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { placeholder(for: $0) == nil }
    }

    /// The character as it may be drawn: itself if safe, else a placeholder for its first unsafe scalar.
    public static func displayable(_ character: Character) -> Character {
        for scalar in character.unicodeScalars {
            if let stand = placeholder(for: scalar) { return stand }
        }
        return character
    }

    /// The whole string made safe to draw, one character for one character.
    public static func displayable(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ placeholder(for: $0) == nil }) { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text { result.append(displayable(character)) }
        return result
    }
}

extension String {
    /// True when nothing in the text would show: only spaces, line ends, and
    /// invisible format or control characters (a zero-width space is not an answer).
    public var isBlank: Bool {
        unicodeScalars.allSatisfy { scalar in
            scalar.properties.isWhitespace || [.format, .control].contains(scalar.properties.generalCategory)
        }
    }
}
