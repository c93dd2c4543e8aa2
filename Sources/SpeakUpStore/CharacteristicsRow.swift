import Foundation
import SpeakUpCore

/// A reporter's description of themselves as a row of `reporter_characteristics`, the same on
/// every engine: a random id (so rows sort in no order the reports do), the month, and one
/// column per `Characteristic` holding its answer's short name. Never a reference, a reporter
/// or a day.
public enum CharacteristicsRow {
    /// The answer columns, in `Characteristic.allCases` order.
    public static let columns = Characteristic.allCases.map { $0.rawValue.replacingOccurrences(of: "-", with: "_") }

    /// What to write with `report`, or nil when nothing may or need be: an anonymous report, a
    /// kiosk's, and one whose reporter chose "prefer not to say" throughout keep none.
    public static func values(for report: Report) -> (id: String, month: String, answers: [String])? {
        guard report.wayOfRaising != .anonymous, !isKiosk(report.station),
            let described = report.characteristics, !described.isEmpty
        else { return nil }
        var random = SystemRandomNumberGenerator()
        let id = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &random)) }.joined()
        return (id, month(of: report.submitted), Characteristic.allCases.map { described.answer(to: $0).id })
    }

    /// The first month and the last of a span of days, as the month column has them.
    public static func months(from first: CalendarDay, through last: CalendarDay) -> (first: String, last: String) {
        (month(first), month(last))
    }

    /// A row read back: its answers, each checked against its question.
    public static func read(_ answers: [String], in location: String) throws(StoreError) -> ReporterCharacteristics {
        guard answers.count == Characteristic.allCases.count,
            let described = ReporterCharacteristics(Dictionary(uniqueKeysWithValues: zip(Characteristic.allCases, answers)))
        else {
            throw StoreError(.damaged, "A reporter's description of themselves in the store at \(location) has an answer SpeakUp does not know. Please tell IT.")
        }
        return described
    }

    private static func isKiosk(_ station: Station) -> Bool {
        if case .kiosk = station { return true }
        return false
    }

    private static func month(of submitted: SubmissionTime) -> String {
        switch submitted {
        case .instant(let date): month(CalendarDay.local(date))
        case .day(let text): String(text.prefix(7))
        }
    }

    private static func month(_ day: CalendarDay) -> String {
        String(day.description.prefix(7))
    }
}
