import Glibc

/// The kind of sentence a failed command gave, for counting errors by kind.
struct ErrorKind {
    let name: String
    /// False for an exit with no sentence, or a crash: the product promises clear errors.
    let isClear: Bool

    static func of(_ ending: Child.Ending) -> ErrorKind {
        if let signal = ending.signal, signal != SIGKILL {
            return ErrorKind(name: "crash (signal \(signal))", isClear: false)
        }
        let text = ending.error.lowercased()
        if text.contains("fatal error") || text.contains("stack dump") {
            return ErrorKind(name: "crash (Swift runtime error)", isClear: false)
        }
        guard hasSentence(ending.error) else { return ErrorKind(name: "no sentence", isClear: false) }
        let kinds: [(String, [String])] = [
            ("busy", ["busy"]),
            ("disk full", ["disk is full", "disk holding the store is full", "no space", "disk full"]),
            ("disk error", ["disk reported an error"]),
            ("not UTF-8", ["not utf-8"]),
            ("not valid JSON", ["not valid json", "not a speakup export"]),
            ("too long", ["characters; at most"]),
            ("not a file", ["named pipe", "a device", "a socket", "not an ordinary file"]),
            ("a folder", ["is a folder", "not a folder"]),
            ("cannot read", ["cannot read"]),
            ("reference taken", ["already has a report", "is used twice"]),
            ("read-only", ["read-only", "readonly"]),
            ("damaged store", ["damaged", "not a speakup store", "malformed"]),
        ]
        for (name, needles) in kinds where needles.contains(where: text.contains) {
            return ErrorKind(name: name, isClear: true)
        }
        return ErrorKind(name: "other", isClear: true)
    }

    /// A sentence a person can read: words, not only a code or a stack.
    static func hasSentence(_ text: String) -> Bool {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).filter { $0.contains(where: \.isLetter) }
        return words.count >= 4
    }

    /// The first line of `text`, cut to a readable length.
    static func firstSentence(of text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.count > 160 ? String(line.prefix(157)) + "..." : line
    }
}
