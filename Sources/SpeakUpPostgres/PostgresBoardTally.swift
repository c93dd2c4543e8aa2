import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore

extension PostgresReportStore {
    /// The board's counts for a quarter, made in SQL over the board columns (`BoardColumns`), as
    /// `SQLiteReportStore.boardTally` makes them: the cases raised in the four quarters shown, by
    /// day; the quarter's cases grouped by everything the figures read (days kept exact, so the
    /// medians are `caseFacts`'s); the answers given in the quarter; its check-ins.
    public func boardTally(for quarter: Quarter, now: Date?) throws(StoreError) -> BoardTally {
        let now = (now ?? clock.now()).timeIntervalSince1970
        let first = quarter.first.description, last = quarter.last.description
        return try read { session in
            var tally = BoardTally(quarter: quarter)
            let span = (first: tally.span.first.description, last: tally.span.last.description)
            for row in try session.rows("""
                SELECT raised_on, detriment, count(*) AS cases FROM case_file
                WHERE raised_on BETWEEN \(span.first) AND \(span.last) GROUP BY raised_on, detriment
                """) {
                guard let day = CalendarDay(typed: try row.string("raised_on")) else { continue }
                tally.addRaised(on: day, detriment: try row.integer("detriment") != 0, count: try row.integer("cases") ?? 0)
            }
            // A deadline: kept when done by it; for a case not done yet, late once it has passed.
            for row in try session.rows("""
                SELECT subject_band, highest_level, acknowledged_days, closed_days,
                       coalesce(CASE WHEN acknowledged_at IS NULL THEN extract(epoch FROM acknowledge_by::timestamptz)::float8 < \(now)
                                     ELSE acknowledged_at > extract(epoch FROM acknowledge_by::timestamptz)::float8 END, false) AS acknowledged_late,
                       coalesce(CASE WHEN closed_at IS NULL THEN extract(epoch FROM feed_back_by::timestamptz)::float8 < \(now)
                                     ELSE closed_at > extract(epoch FROM feed_back_by::timestamptz)::float8 END, false) AS closed_late,
                       count(*) AS cases
                FROM case_file WHERE raised_on BETWEEN \(first) AND \(last)
                GROUP BY 1, 2, 3, 4, 5, 6
                """) {
                BoardColumns.addCases(band: try row.string("subject_band"), level: try row.string("highest_level"),
                                      acknowledgedDays: try row.real("acknowledged_days"), acknowledgedLate: try row.flag("acknowledged_late"),
                                      closedDays: try row.real("closed_days"), closedLate: try row.flag("closed_late"),
                                      count: try row.integer("cases") ?? 0, to: &tally)
            }
            for row in try session.rows("""
                SELECT subject_band, again, count(*) AS answers FROM case_file
                WHERE again_on IS NOT NULL AND again_on BETWEEN \(first) AND \(last) GROUP BY 1, 2
                """) {
                BoardColumns.addAnswers(band: try row.string("subject_band"), again: try row.text("again"),
                                        count: try row.integer("answers") ?? 0, to: &tally)
            }
            // (case_event.at has the database's collation: its day is compared byte by byte.)
            for row in try session.rows("""
                SELECT at, text FROM case_event
                WHERE kind = 'detriment-check-in' AND substr(at, 1, 10) COLLATE "C" BETWEEN \(first) AND \(last)
                """) {
                BoardColumns.addCheckIn(at: try row.string("at"), text: try row.text("text"), to: &tally)
            }
            return tally
        }
    }
}
