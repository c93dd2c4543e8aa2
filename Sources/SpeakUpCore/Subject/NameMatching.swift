/// When one word as typed may be one word of a person's name: the same word, an
/// initial, the start of it ("Sam" for Samuel, "Smi" for Smith), a short form from
/// `ShortNames`, or one slip of the keyboard (a letter wrong, missing, extra, or two
/// swapped) in a word of four letters or more ("Smyth" for Smith).
public enum NameMatching {
    /// Whether `typed` may stand for `word` (both folded).
    public static func mayMean(_ typed: String, _ word: String) -> Bool {
        if typed == word { return true }
        if typed.count == 1 || word.count == 1 { return typed.first == word.first }
        if typed.count >= 3 && word.hasPrefix(typed) { return true }
        if sameWord(typed, word) { return true }
        return ShortNames.forms(of: typed).contains(word)
    }

    /// The same word, or one slip away from it when both have four letters or more.
    public static func sameWord(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let (left, right) = (a.unicodeScalars.count, b.unicodeScalars.count)
        guard left >= 4, right >= 4, abs(left - right) <= 1 else { return false }
        return withinOneEdit(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    /// Damerau-Levenshtein distance at most one, in one pass.
    static func withinOneEdit(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        if abs(a.count - b.count) > 1 { return false }
        var i = 0
        while i < a.count && i < b.count && a[i] == b[i] { i += 1 }
        if i == a.count || i == b.count { return true }  // equal, or one letter added at the end
        if a.count == b.count {
            // One letter changed, or two neighbours swapped.
            if a[(i + 1)...] == b[(i + 1)...] { return true }
            return i + 1 < a.count && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)...] == b[(i + 2)...]
        }
        // One letter missing from the shorter.
        return a.count > b.count ? a[(i + 1)...] == b[i...] : a[i...] == b[(i + 1)...]
    }

    /// The keys a word is found under for one-slip matching: itself and each single deletion.
    static func slipKeys(_ word: String) -> Set<String> {
        var keys: Set<String> = [word]
        if word.utf8.allSatisfy({ $0 < 0x80 }) {
            // Plain ASCII: letters are bytes, so each deletion is a byte slice.
            let bytes = Array(word.utf8)
            guard bytes.count >= 4 else { return keys }
            keys.reserveCapacity(bytes.count + 1)
            for index in bytes.indices {
                var shorter = bytes
                shorter.remove(at: index)
                keys.insert(String(decoding: shorter, as: UTF8.self))
            }
            return keys
        }
        let scalars = Array(word.unicodeScalars)
        guard scalars.count >= 4 else { return keys }
        for index in scalars.indices {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[..<index])
            view.append(contentsOf: scalars[(index + 1)...])
            keys.insert(String(view))
        }
        return keys
    }
}
