import Foundation
import SpeakUpCore

/// The board's facts each case keeps on its `case_file` row (migration v18 / pg-v5), kept up to
/// date in the same transaction as each event by `CaseProjection` and `PostgresCaseProjection`, so
/// `speakup board` counts them in SQL instead of reading every case's events (docs/store.md). What
/// each column holds is what `CaseFactsTally` works out from the events, worked out here the same
/// way for both engines:
/// - `raised_on`: the day the report was sent (`yyyy-MM-dd`); `detriment`: 1 when it has the category;
/// - `subject_band`: the seniority of the person it is about, as routing took it (the report's, or a
///   higher one a routed event's explanation names); `highest_level`: the highest level reached;
/// - `acknowledged_at`/`closed_at`: seconds since 1970 of the first acknowledgement (or message, or
///   closing) and of the first closing, and `acknowledged_days`/`closed_days`: the days after sending;
/// - `again`/`again_on`: the last speak-up-again answer as written, and its day.
/// Whether a deadline was kept is not kept: it depends on the deadline now (an escalation moves it)
/// and, for a case not yet done, on the time the board is read, so the query compares.
public enum BoardColumns {
    /// One case's board columns.
    public struct Row: Hashable, Sendable {
        public var highestLevel: String
        public var band: String
        public var acknowledgedAt: Double?
        public var acknowledgedDays: Double?
        public var closedAt: Double?
        public var closedDays: Double?
        public var again: String?
        public var againOn: String?

        public init(highestLevel: String, band: String, acknowledgedAt: Double?, acknowledgedDays: Double?, closedAt: Double?,
                    closedDays: Double?, again: String?, againOn: String?) {
            self.highestLevel = highestLevel
            self.band = band
            self.acknowledgedAt = acknowledgedAt
            self.acknowledgedDays = acknowledgedDays
            self.closedAt = closedAt
            self.closedDays = closedDays
            self.again = again
            self.againOn = againOn
        }
    }

    /// The SQL migration v18 fills existing cases' columns with (`StoreSchema.boardFactsBackfill`):
    /// also what `speakup-bench` runs after filling a store with SQL.
    public static let migrationBackfill = StoreSchema.boardFactsBackfill

    /// A new case's: the day it was raised, whether it is about detriment, the seniority the report gave.
    public static func opening(_ report: Report) -> (raisedOn: String, detriment: Int, band: String) {
        (String(report.submitted.text.prefix(10)), report.concerns.contains(.detriment) ? 1 : 0, report.subjectSeniority.rawValue)
    }

    /// Whether an event of this kind changes a case's board columns.
    public static func touches(_ kind: CaseEvent.Kind) -> Bool {
        [.routed, .escalated, .levelChanged, .acknowledged, .handlerMessage, .closed, .speakUpAgain].contains(kind)
    }

    /// `row` after `event` (already stored and projected; `detail` its JSON), for a case sent at
    /// `submitted` whose `case_file.level` is now `level` (`CaseFacts` counts it too).
    public static func apply(_ event: CaseEvent, detail: String?, submitted: SubmissionTime, level: String?, to row: inout Row) {
        defer {
            if let level = level.flatMap(PyramidLevel.init(rawValue:)), level > PyramidLevel(rawValue: row.highestLevel) ?? .informal {
                row.highestLevel = level.rawValue
            }
        }
        func days(_ at: SubmissionTime) -> Double { max(0, at.moment.timeIntervalSince(submitted.moment) / 86_400) }
        switch event.kind {
        case .routed, .escalated, .levelChanged:
            if let level = StoredForm.detailField("level", of: detail).flatMap(PyramidLevel.init(rawValue:)),
                level > PyramidLevel(rawValue: row.highestLevel) ?? .informal {
                row.highestLevel = level.rawValue
            }
            if event.kind == .routed, let taken = taken(in: detail), taken > Seniority(rawValue: row.band) ?? .unknown {
                row.band = taken.rawValue
            }
        case .acknowledged, .handlerMessage, .closed:
            if row.acknowledgedAt == nil {
                row.acknowledgedAt = event.at.moment.timeIntervalSince1970
                row.acknowledgedDays = days(event.at)
            }
            if event.kind == .closed, row.closedAt == nil {
                row.closedAt = event.at.moment.timeIntervalSince1970
                row.closedDays = days(event.at)
            }
        case .speakUpAgain:
            row.again = event.text
            row.againOn = String(event.at.text.prefix(10))
        default:
            break
        }
    }

    /// The seniority a routed event's explanation says routing took, read as `CaseFactsTally` reads
    /// it: the 24 characters after the first `Seniority.takenPrefix` in the detail.
    static func taken(in detail: String?) -> Seniority? {
        guard let detail, let found = detail.range(of: Seniority.takenPrefix) else { return nil }
        return Seniority.takenByRouting(in: detail[found.upperBound...].prefix(24))
    }

    /// One group of the quarter's cases as the engines' queries return it, into `tally`.
    public static func addCases(band: String, level: String, acknowledgedDays: Double?, acknowledgedLate: Bool,
                                closedDays: Double?, closedLate: Bool, count: Int, to tally: inout BoardTally) {
        tally.addCase(seniority: Seniority(rawValue: band) ?? .unknown, highestLevel: PyramidLevel(rawValue: level) ?? .informal,
                      acknowledgedAfterDays: acknowledgedDays, acknowledgedLate: acknowledgedLate,
                      closedAfterDays: closedDays, closedLate: closedLate, count: count)
    }

    /// One group of answers given in the quarter; an answer that does not read is not counted, as in `CaseFacts`.
    public static func addAnswers(band: String, again: String?, count: Int, to tally: inout BoardTally) {
        guard let answer = again.flatMap(SpeakUpAgain.init(rawValue:)) else { return }
        tally.addAnswer(answer, seniority: Seniority(rawValue: band) ?? .unknown, count: count)
    }

    /// One detriment check-in event found in the quarter's days; one whose text does not read is not counted.
    public static func addCheckIn(at: String, text: String?, to tally: inout BoardTally) {
        guard let recorded = DetrimentCheckIn.Recorded(text: text), let day = CalendarDay(typed: String(at.prefix(10))),
            tally.quarter.contains(day)
        else { return }
        tally.addCheckIn(recorded.answer)
    }

    /// The upper bound for a text time on the quarter's last day: `~` sorts after every time written that day.
    public static func endOf(_ day: CalendarDay) -> String { day.description + "~" }
}
