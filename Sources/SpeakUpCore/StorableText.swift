/// Text SpeakUp can keep exactly as it was given.
///
/// Every code point is kept byte for byte (escape sequences, bidi controls, joiners, private-use
/// characters: they are made safe only when drawn, see `SafeText`) except one. NUL (U+0000) ends a
/// text for SQLite's C interface, so everything after it would be lost without a word. Text
/// holding one is refused, with a sentence, before anything is written: at the form's check
/// page, in an import's list of problems, and by the store itself for any other way in.
public enum StorableText {
    /// Whether the text holds a NUL character.
    public static func holdsNul(_ text: String) -> Bool { text.utf8.contains(0) }

    /// What to do about a NUL, after the name of the answer or field that holds it.
    public static let nulAdvice =
        "holds a NUL character (shown as ␀), which SpeakUp cannot keep: everything after it would be lost. Please delete it (it usually comes with pasted text) and try again."
}

extension Report {
    /// The names of the report's texts that hold a NUL character (see `StorableText`), in the words of the export format.
    public var fieldsHoldingNul: [String] {
        var texts: [(String, String?)] = [
            ("subject_name", subject.name), ("subject_role", subject.role), ("subject_id", subject.directoryID),
            ("location", location), ("staff_impact", staffImpact), ("account", account), ("witnesses", witnesses),
            ("reporter", reporter?.userName), ("reporter_details.name", reporterDetails?.name),
            ("reporter_details.contact", reporterDetails?.contact),
        ]
        texts += excludedHandlers.map { ("excluded_handlers", $0) }
        texts.append(("station.location", station.location))
        return texts.compactMap { name, text in text.map(StorableText.holdsNul) == true ? name : nil }
    }
}
