import Foundation

/// Where a reporter describes themselves in the first person ("I, the nurse on nights in Ward 7",
/// "I am the only student on the unit", "as a new starter", "my ward manager"), for `SourceRedaction`.
/// Each span runs from the words that start it to the end of its clause (the next , ; : . ! ? or
/// line), so the description goes whole. The rules over-reach on purpose: a clause that did not
/// identify anyone costs the requester a few words; one that did would cost the reporter far more.
///
/// 1. "I," or "me," followed by the, a, an, one, only, as, being or who: "I, the nurse on nights…".
/// 2. "I am", "I'm", "I was", "I've been", "I have been", "I had been" followed by the, a, an, one,
///    only, on, in, at, as, part, new, currently, still, also, just, bank, agency, employed, based or
///    working; and every "I work", "I worked", "I'm working", "I was working".
/// 3. "my" or "our" followed by a word about work (ward, team, shift, role, manager, band…).
/// 4. "the only…" anywhere ("the only one there"); and in a sentence that also has I, me, my, I'm or
///    myself: "as a/an/the…", "being a/an/the…", "on nights/days/earlies/lates", "night shift", "day shift".
public enum SelfDescription {
    /// The spans to take out (UTF-16 ranges of `text`).
    static func spans(in text: String, tokens: [Token]) -> [NSRange] {
        let source = text as NSString
        var spans: [NSRange] = []
        let words = tokens.map(\.folded)
        func word(_ index: Int) -> String? { index < words.count ? words[index] : nil }
        func span(from start: Int, clauseFrom: Int) {
            let end = clauseEnd(in: source, from: clauseFrom)
            if end > start { spans.append(NSRange(location: start, length: end - start)) }
        }
        func between(_ a: Int, _ b: Int) -> String {
            let from = tokens[a].range.location + tokens[a].range.length
            return source.substring(with: NSRange(location: from, length: tokens[b].range.location - from))
        }
        let sentences = sentenceNumbers(tokens, in: source)
        var firstPerson: Set<Int> = []
        for (index, folded) in words.enumerated() where Self.firstPerson.contains(folded) { firstPerson.insert(sentences[index]) }

        for index in tokens.indices {
            let here = words[index]
            let start = tokens[index].range.location
            let after = tokens[index].range.location + tokens[index].range.length
            // 1. "I, the nurse on nights in Ward 7, saw…"
            if here == "i" || here == "me", let next = word(index + 1), Self.appositives.contains(next),
                between(index, index + 1).trimmingCharacters(in: .whitespaces) == ","
            {
                let comma = source.range(of: ",", range: NSRange(location: after, length: source.length - after)).location
                span(from: start, clauseFrom: comma + 1)
                continue
            }
            // 2. "I am the…", "I'm on…", "I work…"
            var verbEnd: Int? = nil
            if here == "im" || here == "ive" && word(index + 1) == "been" { verbEnd = here == "im" ? index : index + 1 }
            if here == "i", let next = word(index + 1) {
                if ["am", "was", "work", "worked", "works"].contains(next) { verbEnd = index + 1 }
                if ["have", "had"].contains(next), word(index + 2) == "been" { verbEnd = index + 2 }
            }
            if let verbEnd, let next = word(verbEnd + 1) {
                let working = ["work", "worked", "works"].contains(words[verbEnd]) || next == "working"
                if working || Self.selfPlacing.contains(next) {
                    span(from: start, clauseFrom: tokens[verbEnd].range.location + tokens[verbEnd].range.length)
                    continue
                }
            }
            // 3. "my ward manager", "our night shift"
            if here == "my" || here == "our", let next = word(index + 1), Self.workWords.contains(next) {
                span(from: start, clauseFrom: after)
                continue
            }
            // 4. "the only…" anywhere; the rest in a first-person sentence.
            let next = word(index + 1)
            if here == "the", next == "only" {
                span(from: start, clauseFrom: after)
                continue
            }
            guard firstPerson.contains(sentences[index]) else { continue }
            if (here == "as" || here == "being"), let next, ["a", "an", "the"].contains(next) { span(from: start, clauseFrom: after) }
            else if here == "on", let next, Self.shifts.contains(next) { span(from: start, clauseFrom: after) }
            else if (here == "night" || here == "day" || here == "nights" || here == "days"), next == "shift" || next == "shifts" {
                span(from: start, clauseFrom: after)
            }
        }
        return spans
    }

    /// Where the clause going on from `location` ends: before the next , ; : . ! ? ( ) or line, less spaces.
    static func clauseEnd(in source: NSString, from location: Int) -> Int {
        var at = location
        while at < source.length {
            let unit = source.character(at: at)
            if let scalar = Unicode.Scalar(unit), Self.clauseBreaks.contains(scalar) { break }
            at += 1
        }
        while at > location, let scalar = Unicode.Scalar(source.character(at: at - 1)), scalar == " " || scalar == "\t" { at -= 1 }
        return at
    }

    /// Each token's sentence, counted from 0 (a sentence ends at . ! ? or a line).
    static func sentenceNumbers(_ tokens: [Token], in source: NSString) -> [Int] {
        var numbers: [Int] = []
        var sentence = 0
        var from = 0
        for token in tokens {
            let gap = source.substring(with: NSRange(location: from, length: token.range.location - from))
            if gap.contains(where: { ".!?\n".contains($0) }) { sentence += 1 }
            numbers.append(sentence)
            from = token.range.location + token.range.length
        }
        return numbers
    }

    static let clauseBreaks: Set<Unicode.Scalar> = [",", ";", ":", ".", "!", "?", "(", ")", "\n", "\r"]
    static let firstPerson: Set<String> = ["i", "me", "my", "im", "ive", "id", "ill", "myself", "mine"]
    static let appositives: Set<String> = ["the", "a", "an", "one", "only", "as", "being", "who"]
    static let selfPlacing: Set<String> = [
        "the", "a", "an", "one", "only", "on", "in", "at", "as", "part", "new", "currently", "still", "also", "just", "bank",
        "agency", "employed", "based", "working", "placed", "band",
    ]
    static let workWords: Set<String> = [
        "ward", "team", "unit", "shift", "shifts", "role", "job", "manager", "managers", "colleague", "colleagues", "department",
        "dept", "band", "rota", "post", "placement", "mentor", "supervisor", "preceptor", "area", "bay", "base", "clinic", "theatre",
        "theatres", "specialty", "speciality", "grade", "rotation", "course", "cohort", "practice", "line", "office", "site", "service",
        "wards", "teams", "units", "nights", "days", "hours", "contract", "training", "badge", "uniform", "profession",
    ]
    static let shifts: Set<String> = ["nights", "days", "earlies", "lates", "nightshift", "nightshifts", "night", "day", "long", "bank"]
}
