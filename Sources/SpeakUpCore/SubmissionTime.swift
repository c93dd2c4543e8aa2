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
        } else if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .gmt)) {
            self = .instant(date)
        } else {
            return nil
        }
    }

    private static func dayPattern(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0].count == 4 && parts[1].count == 2 && parts[2].count == 2
            && parts.allSatisfy { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
}
