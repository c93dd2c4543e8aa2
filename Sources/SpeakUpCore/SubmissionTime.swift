import Foundation

/// When a report was submitted, as precisely as its way of raising allows.
///
/// Open and confidential reports keep the instant (to the second, UTC).
/// Anonymous reports keep only the local day (the same day "today" means on the
/// form): an exact time could be matched with rotas, door logs or who was at
/// the terminal.
public enum SubmissionTime: Hashable, Sendable {
    /// A UTC calendar day, `yyyy-MM-dd`.
    case day(String)
    /// An instant, truncated to whole seconds.
    case instant(Date)

    /// The time to keep for a report raised in this way at this moment.
    public static func recorded(for way: WayOfRaising, at moment: Date) -> SubmissionTime {
        switch way {
        case .anonymous: .day(CalendarDay.local(moment).description)
        case .open, .confidential: .instant(Date(timeIntervalSince1970: moment.timeIntervalSince1970.rounded(.down)))
        }
    }

    /// The moment itself, or the start (UTC) of the day.
    public var moment: Date {
        switch self {
        case .instant(let date): date
        case .day(let text): CalendarDay(typed: text)?.deadlineStart ?? Date(timeIntervalSince1970: 0)
        }
    }

    /// ISO 8601 text: `2026-11-27` for a day, `2026-11-27T08:01:46Z` for an instant.
    public var text: String {
        switch self {
        case .day(let day): day
        case .instant(let date): date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        }
    }

    /// Reads the text form back; a day must be a real calendar day.
    public init?(text: String) {
        if text.count == 10, SubmissionTime.dayPattern(text) {
            guard CalendarDay(typed: text) != nil else { return nil }
            self = .day(text)
        } else if SubmissionTime.instantIsReal(text), let date = try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .gmt)) {
            self = .instant(date)
        } else {
            return nil
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS` (fractions allowed), then `Z` or `±HH:MM`, with a real day and a time
    /// that exists: the date parser alone would roll `25:61:61` over into the next day.
    public static func instantIsReal(_ text: String) -> Bool {
        let characters = Array(text.utf8)
        guard characters.count >= 20, characters[10] == UInt8(ascii: "T"), characters[13] == UInt8(ascii: ":"), characters[16] == UInt8(ascii: ":"),
            dayPattern(String(text.prefix(10))), CalendarDay(typed: String(text.prefix(10))) != nil
        else { return false }
        func number(_ range: Range<Int>) -> Int? {
            let part = characters[range]
            guard part.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
            return Int(String(decoding: part, as: UTF8.self))
        }
        guard let hour = number(11..<13), hour <= 23, let minute = number(14..<16), minute <= 59, let second = number(17..<19), second <= 59
        else { return false }
        var rest = characters[19...]
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            let digits = rest.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard !digits.isEmpty else { return false }
            rest = rest.dropFirst(digits.count)
        }
        if Array(rest) == [UInt8(ascii: "Z")] { return true }
        let offset = Array(rest)
        guard offset.count == 6, offset[0] == UInt8(ascii: "+") || offset[0] == UInt8(ascii: "-"), offset[3] == UInt8(ascii: ":") else { return false }
        let hours = Int(String(decoding: offset[1..<3], as: UTF8.self)), minutes = Int(String(decoding: offset[4..<6], as: UTF8.self))
        return (hours.map { $0 <= 14 } ?? false) && (minutes.map { $0 <= 59 } ?? false)
    }

    private static func dayPattern(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0].count == 4 && parts[1].count == 2 && parts[2].count == 2
            && parts.allSatisfy { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
}
