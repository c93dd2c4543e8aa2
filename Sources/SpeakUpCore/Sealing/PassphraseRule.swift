/// What a sealing passphrase must be, with a sentence for each way a chosen one falls short.
///
/// Long rather than clever: at least 12 characters (three or four ordinary words do it), not one
/// character repeated, not holding the handler's own login as a word, and no control characters (which a terminal
/// could not show or type back the same way). At most 256 characters.
public enum PassphraseRule {
    public static let shortest = 12
    public static let longest = 256

    /// Why `passphrase` cannot be chosen, or nil when it can.
    public static func problem(with passphrase: String, login: String) -> String? {
        let count = passphrase.count
        if count < shortest {
            return "Please choose a passphrase of at least \(shortest) characters: three or four words you will remember are best."
        }
        if count > longest { return "Please choose a passphrase of at most \(longest) characters." }
        if passphrase.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "A passphrase cannot hold control characters (such as a tab or a pasted line break). Please type it again."
        }
        if Set(passphrase).count < 4 {
            return "That passphrase repeats too few characters to be hard to guess. Three or four ordinary words are best."
        }
        let words = passphrase.lowercased().split { !$0.isLetter && !$0.isNumber }
        if !login.isEmpty, words.contains(Substring(login.lowercased())) {
            return "A passphrase should not contain your login name. Three or four ordinary words are best."
        }
        return nil
    }
}
