import Foundation

/// Brings what people type for a name, a login or a role to one comparable form:
/// "Dr. Zoë  O’Brien-Smith", "zoe obrien smith" and "ZОE OBRIEN SMITH" (with a
/// Cyrillic О, or a zero-width space inside) all fold to the same words.
///
/// Steps, in order: compatibility forms (full-width letters, ligatures) to their
/// plain letters; invisible characters (zero-width spaces and joiners, soft
/// hyphens, bidi marks, variation selectors) dropped; letters from other scripts
/// that look like Latin ones mapped to them (`Confusables`); accents dropped;
/// lower case; apostrophes dropped; every other mark that is not a letter or a
/// digit a word break.
public enum NameFolding {
    /// The folded text as words, in the order typed.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func end() {
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in fold(text).unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(scalar)
            } else if apostrophes.contains(scalar) {
                continue
            } else {
                end()
            }
        }
        end()
        return words
    }

    /// The folded text with single spaces between words.
    public static func key(_ text: String) -> String { words(text).joined(separator: " ") }

    /// Names as typed: the words less titles ("Dr", "Mrs", "Prof", "Sister"…), unless that
    /// leaves nothing (someone may be called Nurse).
    public static func nameWords(_ text: String) -> [String] {
        let all = words(text)
        let named = all.filter { !titles.contains($0) }
        return named.isEmpty ? all : named
    }

    /// Titles people put before a name; never part of who someone is.
    public static let titles: Set<String> = [
        "dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sister", "nurse", "sir", "dame",
        "lord", "lady", "rev", "revd", "reverend", "father", "matron",
    ]

    private static let apostrophes: Set<Unicode.Scalar> = ["'", "\u{2019}", "\u{2018}", "\u{02BC}", "`", "\u{00B4}", "\u{02B9}"]

    /// Compatibility forms, invisible characters, look-alikes, accents and case, undone.
    static func fold(_ text: String) -> String {
        var kept = String.UnicodeScalarView()
        // NFKC first: a full-width "Ｓ" or the ligature "ﬁ" becomes plain letters.
        for scalar in text.precomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar.properties.isDefaultIgnorableCodePoint || scalar.properties.generalCategory == .format { continue }
            if let latin = Confusables.latin[scalar] {
                kept.append(contentsOf: latin.unicodeScalars)
            } else {
                kept.append(scalar)
            }
        }
        // Then accents off: decompose and drop the combining marks (Zoë -> Zoe).
        var plain = String.UnicodeScalarView()
        for scalar in String(kept).decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .spacingMark: continue
            default: plain.append(scalar)
            }
        }
        return String(plain).lowercased()
    }
}
