import Foundation

/// Takes out of free text whatever could tell the person a concern is about who raised it, for a
/// subject access disclosure (docs/governance.md, "Subject access requests"). Pure: no I/O.
///
/// It errs towards taking out too much. The rules, each a span of the text replaced by plain words:
/// - the reporter's name, each word of it (and a short form, or one slip of the keyboard, of a
///   capitalised word), their login, staff id, known-as names, role as the directory has it, ward,
///   and the place they raised it from: "[redacted: the person who raised the concern]";
/// - first-person self-descriptions to the end of their clause (`SelfDescription`):
///   "[redacted: words that could identify the person who raised the concern]";
/// - anyone else in the staff directory by name, known-as name, login or staff id, except the person
///   the disclosure is for: "[redacted: another member of staff]" (a witness or colleague named can
///   point to who was there, and so to who spoke up; and they are not the requester's data);
/// - places: every ward in the directory, the report's own location, and "Ward X" / "X Ward":
///   "[redacted: a place]";
/// - exact dates, days of the week and times of day (`DateCoarsening`);
/// - e-mail addresses, telephone numbers and any other run of five or more digits.
/// Where two rules take overlapping spans, the union goes, under the more protective label.
public struct SourceRedaction: Sendable {
    /// What may point at the person who raised a concern.
    public struct Traces: Hashable, Sendable {
        /// Name words (folded) of the reporter: the name they gave, their directory name and known-as names.
        public var nameWords: Set<String> = []
        /// Logins and staff ids (folded, words run together).
        public var handles: Set<String> = []
        /// Phrases (folded words) that describe or place them: their role, ward, the station's location.
        public var phrases: [[String]] = []
        /// Contact details as they gave them, taken out whole.
        public var contacts: [String] = []

        public init() {}

        /// The traces of a reporter: what the report says of them, and their directory entry if found.
        public init(reporter: Reporter?, details: ReporterDetails?, station: Station, entry: StaffMember?) {
            if let reporter { handles.insert(NameFolding.words(reporter.userName).joined()) }
            if let details {
                nameWords.formUnion(NameFolding.nameWords(details.name).filter { $0.count >= 2 })
                let contact = details.contact.trimmingCharacters(in: .whitespacesAndNewlines)
                if contact.count >= 3 { contacts.append(contact) }
            }
            if let entry {
                nameWords.formUnion(NameFolding.nameWords(entry.name).filter { $0.count >= 2 })
                for other in entry.knownAs { nameWords.formUnion(NameFolding.nameWords(other).filter { $0.count >= 2 }) }
                if let login = entry.unixUser { handles.insert(NameFolding.words(login).joined()) }
                handles.insert(NameFolding.words(entry.id).joined())
                phrases.append(NameFolding.words(entry.role))
                phrases.append(NameFolding.words(entry.ward))
            }
            if let location = station.location { phrases.append(NameFolding.words(location)) }
            handles.remove("")
            phrases.removeAll { $0.isEmpty }
        }
    }

    /// Why a span was taken out, most protective first.
    public enum Reason: Int, Comparable, Sendable {
        case reporter, selfDescription, contact, otherStaff, place, date, time, weekday, number

        public static func < (a: Reason, b: Reason) -> Bool { a.rawValue < b.rawValue }

        /// What the reader sees instead.
        public var replacement: String {
            switch self {
            case .reporter: "[redacted: the person who raised the concern]"
            case .selfDescription: "[redacted: words that could identify the person who raised the concern]"
            case .contact: "[redacted: contact details]"
            case .otherStaff: "[redacted: another member of staff]"
            case .place: "[redacted: a place]"
            case .date: "[redacted: a date]"
            case .time: "[redacted: a time of day]"
            case .weekday: "[redacted: a day of the week]"
            case .number: "[redacted: a number]"
            }
        }
    }

    public var traces: Traces
    /// The person the disclosure is for: their name words (folded), login and staff id are kept.
    public var keptWords: Set<String>
    /// Everyone else in the directory: name words (taken out when written with a capital)...
    var staffWords: Set<String> = []
    /// ...and logins and staff ids (taken out however written).
    var staffHandles: Set<String> = []
    /// Places: wards in the directory and the report's location (folded words).
    var places: [[String]] = []

    /// - Parameters:
    ///   - traces: what points at the reporter (nothing, for an anonymous report).
    ///   - requester: the person the disclosure is for; their own name stays.
    ///   - directory: everyone else in it is redacted by name; their wards are places.
    ///   - location: where the report says it happened.
    public init(traces: Traces, requester: StaffMember, directory: [StaffMember], location: String = "") {
        self.traces = traces
        var kept = Set(NameFolding.nameWords(requester.name))
        for other in requester.knownAs { kept.formUnion(NameFolding.nameWords(other)) }
        if let login = requester.unixUser { kept.insert(NameFolding.words(login).joined()) }
        kept.insert(NameFolding.words(requester.id).joined())
        keptWords = kept
        var wards: Set<[String]> = []
        for member in directory {
            wards.insert(NameFolding.words(member.ward))
            guard member.id != requester.id else { continue }
            let words = NameFolding.nameWords(member.name)
            for word in words where word.count >= 3 && !kept.contains(word) { staffWords.insert(word) }
            for other in member.knownAs {
                for word in NameFolding.nameWords(other) where word.count >= 3 && !kept.contains(word) { staffWords.insert(word) }
            }
            if let login = member.unixUser { staffHandles.insert(NameFolding.words(login).joined()) }
            staffHandles.insert(NameFolding.words(member.id).joined())
        }
        staffHandles.subtract(kept)
        staffHandles.remove("")
        places = wards.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
        let locationWords = NameFolding.words(location)
        if !locationWords.isEmpty { places.insert(locationWords, at: 0) }
    }

    /// The text with every span the rules find replaced.
    public func redact(_ text: String) -> String {
        let source = text as NSString
        var spans: [(range: NSRange, reason: Reason)] = []
        let tokens = Token.all(in: text)
        spans += wordSpans(tokens)
        spans += SelfDescription.spans(in: text, tokens: tokens).map { (range: $0, reason: Reason.selfDescription) }
        spans += DateCoarsening.spans(in: text)
        spans += Self.patternSpans(in: text)
        for contact in traces.contacts {
            var from = 0
            while from < source.length {
                let found = source.range(of: contact, options: [.caseInsensitive], range: NSRange(location: from, length: source.length - from))
                guard found.location != NSNotFound else { break }
                spans.append((found, .contact))
                from = found.location + found.length
            }
        }
        return Self.apply(spans, to: text)
    }

    /// Names, handles, roles and places, found word by word.
    func wordSpans(_ tokens: [Token]) -> [(range: NSRange, reason: Reason)] {
        var spans: [(range: NSRange, reason: Reason)] = []
        let folded = tokens.map(\.folded)
        func phrase(_ words: [String], at index: Int) -> Bool {
            guard !words.isEmpty, index + words.count <= folded.count else { return false }
            return Array(folded[index..<(index + words.count)]) == words
        }
        func covering(_ from: Int, _ count: Int) -> NSRange {
            let first = tokens[from].range
            let last = tokens[from + count - 1].range
            return NSRange(location: first.location, length: last.location + last.length - first.location)
        }
        for (index, token) in tokens.enumerated() {
            let word = token.folded
            // The reporter: any phrase of theirs, their handles, their name words.
            for words in traces.phrases where phrase(words, at: index) { spans.append((covering(index, words.count), .reporter)) }
            if traces.handles.contains(word) || isReporterName(token) {
                spans.append((token.range, .reporter))
                continue
            }
            if keptWords.contains(word) { continue }
            for words in places where phrase(words, at: index) { spans.append((covering(index, words.count), .place)) }
            if word == "ward", index + 1 < tokens.count, tokens[index + 1].startsWithCapitalOrDigit {
                spans.append((covering(index, 2), .place))
            } else if word == "ward", index > 0, tokens[index - 1].startsWithCapitalOrDigit, !keptWords.contains(folded[index - 1]) {
                spans.append((covering(index - 1, 2), .place))
            }
            if staffHandles.contains(word) || (staffWords.contains(word) && token.startsWithCapitalOrDigit) {
                spans.append((token.range, .otherStaff))
            }
        }
        return spans
    }

    /// Whether a word of the text may be the reporter's name: the same word, one slip of the keyboard,
    /// or, written with a capital, a short form or the start of it.
    func isReporterName(_ token: Token) -> Bool {
        let word = token.folded
        guard word.count >= 2, !word.allSatisfy(\.isNumber) else { return false }
        for name in traces.nameWords {
            if word == name || NameMatching.sameWord(word, name) { return true }
            if token.startsWithCapitalOrDigit, word.count >= 3, NameMatching.mayMean(word, name) { return true }
        }
        return false
    }

    /// E-mail addresses, telephone numbers and other long numbers.
    static func patternSpans(in text: String) -> [(range: NSRange, reason: Reason)] {
        var spans: [(range: NSRange, reason: Reason)] = []
        let whole = NSRange(location: 0, length: (text as NSString).length)
        for match in email.matches(in: text, range: whole) { spans.append((match.range, .contact)) }
        for match in phone.matches(in: text, range: whole) { spans.append((match.range, .contact)) }
        for match in longNumber.matches(in: text, range: whole) { spans.append((match.range, .number)) }
        return spans
    }

    static let email = try! NSRegularExpression(pattern: #"[^\s@<>()\[\]]+@[^\s@<>()\[\]]+\.[^\s@<>()\[\]]+"#)
    static let phone = try! NSRegularExpression(pattern: #"(?:\+|\b)\d[\d \-()]{7,}\d\b"#)
    static let longNumber = try! NSRegularExpression(pattern: #"\d{5,}"#)

    /// Replaces the spans (overlapping ones joined, under the most protective reason; neighbours with
    /// the same reason and only spaces between them joined) with their plain words.
    static func apply(_ spans: [(range: NSRange, reason: Reason)], to text: String) -> String {
        let source = text as NSString
        let sorted = spans.filter { $0.range.length > 0 }.sorted { $0.range.location < $1.range.location }
        var merged: [(range: NSRange, reason: Reason)] = []
        for span in sorted {
            if var last = merged.last {
                let lastEnd = last.range.location + last.range.length
                let between = span.range.location > lastEnd
                    ? source.substring(with: NSRange(location: lastEnd, length: span.range.location - lastEnd)) : ""
                let overlaps = span.range.location < lastEnd
                if overlaps || (between.allSatisfy({ $0 == " " }) && span.reason == last.reason) {
                    let end = max(lastEnd, span.range.location + span.range.length)
                    last.range = NSRange(location: last.range.location, length: end - last.range.location)
                    if overlaps { last.reason = min(last.reason, span.reason) }
                    merged[merged.count - 1] = last
                    continue
                }
            }
            merged.append(span)
        }
        var result = ""
        var at = 0
        for span in merged {
            result += source.substring(with: NSRange(location: at, length: span.range.location - at))
            result += span.reason.replacement
            at = span.range.location + span.range.length
        }
        result += source.substring(from: at)
        return result
    }
}

/// A word of free text: letters and digits, with apostrophes and hyphens inside it.
struct Token: Sendable {
    var range: NSRange
    var text: String
    /// Folded as names are (`NameFolding`), run together.
    var folded: String

    var startsWithCapitalOrDigit: Bool { text.first.map { $0.isUppercase || $0.isNumber } ?? false }

    static let pattern = try! NSRegularExpression(pattern: #"[\p{L}\p{N}][\p{L}\p{N}\p{M}'’_.]*[\p{L}\p{N}]|[\p{L}\p{N}]"#)

    static func all(in text: String) -> [Token] {
        let source = text as NSString
        return pattern.matches(in: text, range: NSRange(location: 0, length: source.length)).map { match in
            let word = source.substring(with: match.range)
            return Token(range: match.range, text: word, folded: NameFolding.words(word).joined())
        }
    }
}
