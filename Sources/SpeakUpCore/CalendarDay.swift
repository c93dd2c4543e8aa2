import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A calendar date without a time or a time zone, e.g. the day something happened.
public struct CalendarDay: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The earliest day SpeakUp accepts: the NHS began in 1948.
    public static let earliest = CalendarDay(year: 1948, month: 1, day: 1)!

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...CalendarDay.days(in: month, of: year)).contains(day) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day a moment falls on in a time zone.
    public init(_ moment: Date, in zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: moment)
        self.init(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// The local day a moment falls on, from the C library (the TZ variable, else
    /// /etc/localtime). Every day SpeakUp keeps for an anonymous report, and
    /// "today" on the form, comes from here, so no two of them can disagree and
    /// betray the hour.
    public static func local(_ moment: Date) -> CalendarDay {
        var seconds = time_t(moment.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil,
            let day = CalendarDay(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
        else {
            return CalendarDay(moment, in: .gmt)
        }
        return day
    }

    /// Reads `2026-11-20` (ISO) or `20/11/2026` (as written in the UK).
    public init?(typed text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let iso = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        let uk = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        func number(_ part: Substring, digits: ClosedRange<Int>) -> Int? {
            guard digits.contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(part)
        }
        if iso.count == 3, let y = number(iso[0], digits: 4...4), let m = number(iso[1], digits: 1...2), let d = number(iso[2], digits: 1...2) {
            self.init(year: y, month: m, day: d)
        } else if uk.count == 3, let d = number(uk[0], digits: 1...2), let m = number(uk[1], digits: 1...2), let y = number(uk[2], digits: 4...4) {
            self.init(year: y, month: m, day: d)
        } else {
            return nil
        }
    }

    /// `yyyy-MM-dd`.
    public var description: String {
        "\(year.zeroPadded(4))-\(month.zeroPadded(2))-\(day.zeroPadded(2))"
    }

    /// As people here write it: `20/11/2026`.
    public var written: String { "\(day.zeroPadded(2))/\(month.zeroPadded(2))/\(year.zeroPadded(4))" }

    /// Midnight UTC at the start of this day.
    public var deadlineStart: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int) -> CalendarDay {
        adding(DateComponents(day: count))
    }

    /// The same day `count` months later, or the month's last day when it is shorter.
    public func adding(months count: Int) -> CalendarDay {
        adding(DateComponents(month: count))
    }

    private func adding(_ components: DateComponents) -> CalendarDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let start = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        return CalendarDay(calendar.date(byAdding: components, to: start)!, in: .gmt)
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = CalendarDay(typed: text), text.contains("-") else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text.debugDescription) is not a date like 2026-11-20")
        }
        self = day
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
