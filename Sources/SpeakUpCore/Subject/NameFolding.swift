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

    /// Names as typed: the words less titles ("Dr", "Mrs", "Prof", "Sister"…) before the last
    /// word, which is always kept (someone may be called Nurse, or Lord: "Mrs Lord").
    public static func nameWords(_ text: String) -> [String] {
        let all = words(text)
        guard let last = all.last else { return [] }
        return all.dropLast().filter { !titles.contains($0) } + [last]
    }

    /// Titles people put before a name; never part of who someone is.
    public static let titles: Set<String> = [
        "dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sister", "nurse", "sir", "dame",
        "lord", "lady", "rev", "revd", "reverend", "father", "matron",
    ]

    private static let apostrophes: Set<Unicode.Scalar> = ["'", "\u{2019}", "\u{2018}", "\u{02BC}", "`", "\u{00B4}", "\u{02B9}"]

    /// Compatibility forms, invisible characters, accents, look-alikes and case, undone.
    static func fold(_ text: String) -> String {
        // Plain ASCII (most names) has nothing to undo but case: no normalisation needed.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        var plain = String.UnicodeScalarView()
        // NFKC first (a full-width "Ｓ" or the ligature "ﬁ" becomes plain letters), then decomposed, so
        // that accents come off before look-alikes are read (Greek "ά" is "α" with an accent: "a").
        let decomposed = text.precomposedStringWithCompatibilityMapping.decomposedStringWithCanonicalMapping
        for scalar in decomposed.unicodeScalars {
            if scalar.properties.isDefaultIgnorableCodePoint || scalar.properties.generalCategory == .format { continue }
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .spacingMark: continue
            default: break
            }
            if let latin = Confusables.latin[scalar] {
                plain.append(contentsOf: latin.unicodeScalars)
            } else {
                plain.append(scalar)
            }
        }
        return String(plain).lowercased()
    }
}
