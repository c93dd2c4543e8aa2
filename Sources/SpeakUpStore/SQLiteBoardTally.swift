import Foundation
import GRDB
import SpeakUpCore

extension SQLiteReportStore {
    /// The board's counts for a quarter, made in SQL over the board columns (`BoardColumns`), each
    /// query reading one index: the cases raised in the four quarters shown, counted by day; the
    /// quarter's cases grouped by everything the figures read (the days taken are kept exact, so
    /// the medians are the ones `caseFacts` gives); the answers given in the quarter; its check-ins.
    public func boardTally(for quarter: Quarter, now: Date? = nil) throws(StoreError) -> BoardTally {
        let now = (now ?? clock.now()).timeIntervalSince1970
        let first = quarter.first.description, last = quarter.last.description
        do {
            return try queue.read { db in
                var tally = BoardTally(quarter: quarter)
                let days = try Row.fetchCursor(db, sql: """
                    SELECT raised_on, detriment, count(*) AS cases FROM case_file INDEXED BY case_file_board
                    WHERE raised_on BETWEEN ? AND ? GROUP BY raised_on, detriment
                    """, arguments: [tally.span.first.description, tally.span.last.description])
                while let row = try days.next() {
                    guard let day = CalendarDay(typed: row["raised_on"]) else { continue }
                    tally.addRaised(on: day, detriment: row["detriment"] as Int != 0, count: row["cases"])
                }
                // A deadline: kept when done by it; for a case not done yet, late once it has passed.
                // (unixepoch reads the deadline as `StoredForm.date` does; one that does not read is never late.)
                let cases = try Row.fetchCursor(db, sql: """
                    SELECT subject_band, highest_level, acknowledged_days, closed_days,
                           coalesce(CASE WHEN acknowledged_at IS NULL THEN unixepoch(acknowledge_by) < :now
                                         ELSE acknowledged_at > unixepoch(acknowledge_by) END, 0) AS acknowledged_late,
                           coalesce(CASE WHEN closed_at IS NULL THEN unixepoch(feed_back_by) < :now
                                         ELSE closed_at > unixepoch(feed_back_by) END, 0) AS closed_late,
                           count(*) AS cases
                    FROM case_file INDEXED BY case_file_board WHERE raised_on BETWEEN :first AND :last
                    GROUP BY 1, 2, 3, 4, 5, 6
                    """, arguments: ["now": now, "first": first, "last": last])
                while let row = try cases.next() {
                    let band: String = row["subject_band"], level: String = row["highest_level"]
                    let acknowledgedDays: Double? = row["acknowledged_days"], closedDays: Double? = row["closed_days"]
                    let acknowledgedLate: Bool = row["acknowledged_late"], closedLate: Bool = row["closed_late"], count: Int = row["cases"]
                    BoardColumns.addCases(band: band, level: level, acknowledgedDays: acknowledgedDays, acknowledgedLate: acknowledgedLate,
                                          closedDays: closedDays, closedLate: closedLate, count: count, to: &tally)
                }
                let answers = try Row.fetchCursor(db, sql: """
                    SELECT subject_band, again, count(*) AS answers FROM case_file INDEXED BY case_file_again
                    WHERE again_on IS NOT NULL AND again_on BETWEEN ? AND ? GROUP BY 1, 2
                    """, arguments: [first, last])
                while let row = try answers.next() {
                    BoardColumns.addAnswers(band: row["subject_band"], again: row["again"], count: row["answers"], to: &tally)
                }
                let checkIns = try Row.fetchCursor(db, sql: """
                    SELECT at, text FROM case_event INDEXED BY case_event_check_in
                    WHERE kind = 'detriment-check-in' AND at BETWEEN ? AND ?
                    """, arguments: [first, BoardColumns.endOf(quarter.last)])
                while let row = try checkIns.next() {
                    BoardColumns.addCheckIn(at: row["at"], text: row["text"], to: &tally)
                }
                return tally
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }
}
