import Foundation
import SpeakUpCore
import Testing

@Suite struct ScreenDateTests {
    @Test func dayIsWrittenInWords() {
        #expect(ScreenDate.day(CalendarDay(year: 2026, month: 12, day: 6)!) == "6 Dec 2026")
        #expect(ScreenDate.day(CalendarDay(year: 2027, month: 1, day: 31)!) == "31 Jan 2027")
    }

    @Test func momentAddsTheTime() throws {
        let moment = try Date("2026-12-06T08:05:00Z", strategy: .iso8601)
        #expect(ScreenDate.moment(moment, in: .gmt) == "6 Dec 2026, 08:05")
        #expect(ScreenDate.moment(moment, in: TimeZone(identifier: "Europe/London")!) == "6 Dec 2026, 08:05")
        #expect(ScreenDate.moment(moment, in: TimeZone(secondsFromGMT: -9 * 3600)!) == "5 Dec 2026, 23:05")
    }
}
