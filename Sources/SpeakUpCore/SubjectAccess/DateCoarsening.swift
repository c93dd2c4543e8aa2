import Foundation

/// Dates in a subject access disclosure, coarsened to the month: a day and a time can be set
/// against rotas, door logs and who was on shift, and so point to who raised a concern.
///
/// The rule is the same for every date, whatever its kind, so nobody has to judge which dates would
/// identify: every date the store keeps (raised, happened, each event) is written as its month
/// ("October 2026"), and in free text every day of the month, numeric date ("3/10", "2026-10-03"),
/// day of the week and time of day is taken out; a month's name stays.
public enum DateCoarsening {
    /// "October 2026".
    public static func month(of day: CalendarDay) -> String { "\(monthNames[day.month - 1]) \(day.year)" }

    /// The month a stored time falls in (an instant by UTC, as it is stored).
    public static func month(of time: SubmissionTime) -> String {
        switch time {
        case .instant(let moment): month(of: CalendarDay(moment, in: .gmt))
        case .day(let text): CalendarDay(typed: text).map { month(of: $0) } ?? "an unknown month"
        }
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]

    /// Dates, days and times in free text (UTF-16 ranges), each with why.
    static func spans(in text: String) -> [(range: NSRange, reason: SourceRedaction.Reason)] {
        let whole = NSRange(location: 0, length: (text as NSString).length)
        var spans: [(range: NSRange, reason: SourceRedaction.Reason)] = []
        for match in numericDate.matches(in: text, range: whole) { spans.append((match.range, .date)) }
        for match in dayBeforeMonth.matches(in: text, range: whole) { spans.append((match.range(at: 1), .date)) }
        for match in dayAfterMonth.matches(in: text, range: whole) { spans.append((match.range(at: 1), .date)) }
        for match in ordinal.matches(in: text, range: whole) { spans.append((match.range, .date)) }
        for match in weekday.matches(in: text, range: whole) { spans.append((match.range, .weekday)) }
        for pattern in times {
            for match in pattern.matches(in: text, range: whole) { spans.append((match.range, .time)) }
        }
        return spans
    }

    static let monthPattern =
        #"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"#
    static let numericDate = regex(#"\b\d{1,4}[/.\-]\d{1,2}(?:[/.\-]\d{1,4})?\b"#)
    static let dayBeforeMonth = regex(#"\b(\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?)\s+"# + monthPattern)
    static let dayAfterMonth = regex(#"\b"# + monthPattern + #"\.?\s+(\d{1,2}(?:st|nd|rd|th)?)\b"#)
    static let ordinal = regex(#"\b\d{1,2}(?:st|nd|rd|th)\b"#)
    static let weekday = regex(#"\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b"#)
    static let times = [
        regex(#"\b\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|a\.m\.|p\.m\.|hrs|h)\b)?"#),
        regex(#"\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)(?=\W|$)"#),
        regex(#"\b\d{3,4}\s*(?:hrs|hours|h)\b"#),
    ]

    static func regex(_ pattern: String) -> NSRegularExpression {
        try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }
}
