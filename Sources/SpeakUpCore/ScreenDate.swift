import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one way SpeakUp writes a date or a moment on screen: `6 Dec 2026`, and
/// `6 Dec 2026, 08:00` where the time matters. Files keep ISO 8601; people read this.
///
/// Month names are English and fixed (not the locale's), so every screen, at
/// every station, reads the same.
public enum ScreenDate {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `6 Dec 2026`.
    public static func day(_ day: CalendarDay) -> String {
        "\(day.day) \(months[day.month - 1]) \(day.year)"
    }

    /// `6 Dec 2026, 08:00` in the local time zone (the TZ variable, else /etc/localtime).
    public static func moment(_ moment: Date) -> String {
        let (day, hour, minute) = localParts(moment)
        return "\(Self.day(day)), \(hour.zeroPadded(2)):\(minute.zeroPadded(2))"
    }

    /// `6 Dec 2026, 08:00` in a given time zone (for tests and fixed-zone reports).
    public static func moment(_ moment: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: moment)
        return "\(day(CalendarDay(moment, in: zone))), \(parts.hour!.zeroPadded(2)):\(parts.minute!.zeroPadded(2))"
    }

    private static func localParts(_ moment: Date) -> (CalendarDay, Int, Int) {
        var seconds = time_t(moment.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil,
            let day = CalendarDay(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
        else {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .gmt
            let utc = calendar.dateComponents([.hour, .minute], from: moment)
            return (CalendarDay(moment, in: .gmt), utc.hour!, utc.minute!)
        }
        return (day, Int(parts.tm_hour), Int(parts.tm_min))
    }
}
