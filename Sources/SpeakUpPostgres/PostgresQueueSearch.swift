import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore

/// Which of a handler's cases the words typed into the search box find, in queue order, on
/// PostgreSQL: the same two ways as on SQLite (`CaseDeskQueries`), chosen the same way.
///
/// Words in many cases: the queue is read in order, each case's words tested, until a page of
/// matches is found (cost grows with the cases passed over: few, when many match). Words in few
/// cases: that would read far into the queue, so the search starts from the full-text index's
/// matches instead, each looked up in the handler's rows from an index alone (pg-v12; cost grows
/// with the matches). Which is which is found out by reading at most `walkBudget` cases of the
/// queue, stopping as soon as the page is found: cheap either way, and for a common word the only
/// statement run. No count of the matches is asked for: for a word in every case, counting reads
/// the index's whole list.
enum PostgresQueueSearch {
    /// How many cases of the queue are read, in order, before the search starts from the matches.
    static let walkBudget = 2000

    /// The references of the page of matches `query` asks for (its offset and limit), in queue order.
    static func matches(_ tsquery: String, query: QueueQuery, handler: String, now: Date, in session: PostgresSession) throws -> [String] {
        let need = query.offset + query.limit
        // The queue read in order, as far as the budget, each case's words tested, until the page is found.
        var parts = StatementParts()
        let (from, conditions, textID) = queue(query, handler: handler, now: now, textID: true, in: &parts)
        let walk = """
            SELECT w.reference FROM (
                SELECT h.reference, h.rank, \(textID) AS text_id FROM \(from) WHERE \(conditions)
                ORDER BY h.rank, h.reference LIMIT \(parts.bind(walkBudget))) w
            JOIN LATERAL (SELECT 1 FROM case_text t WHERE t.id = w.text_id AND t.search @@ \(parts.bind(tsquery))::tsquery) matched ON true
            ORDER BY w.rank, w.reference LIMIT \(parts.bind(need))
            """
        let found = try session.texts(parts.query(walk))
        if found.count >= need {
            return Array(found.dropFirst(query.offset))
        }
        // Few matches: from the full-text index, each match's handler row looked up, then sorted.
        var again = StatementParts()
        let (fromAgain, conditionsAgain, _) = queue(query, handler: handler, now: now, textID: false, in: &again)
        let fromMatches = """
            WITH m AS MATERIALIZED (SELECT t.reference FROM case_text t WHERE t.search @@ \(again.bind(tsquery))::tsquery)
            SELECT h.reference FROM m JOIN \(fromAgain) ON h.reference = m.reference
            WHERE \(conditionsAgain)
            ORDER BY h.rank, h.reference LIMIT \(again.bind(query.limit)) OFFSET \(again.bind(query.offset))
            """
        return try session.texts(again.query(fromMatches))
    }

    /// The handler's rows the query's filters keep, as `FROM` and `WHERE`, and where each case's words'
    /// id is (h: the queue's rows; f: the case file and r: the report, joined only where a filter needs them).
    private static func queue(_ query: QueueQuery, handler: String, now: Date, textID: Bool, in parts: inout StatementParts)
        -> (from: String, conditions: String, textID: String) {
        var conditions = ["h.handler = \(parts.bind(handler))"]
        conditions += QueueConditions.filters(query, now: now, byReference: false) { parts.bind($0) }
        var from = query.category == nil ? "case_handler h" : "case_handler_concern h"
        if !query.location.isBlank {
            conditions.append("strpos(lower(r.location), lower(\(parts.bind(query.location.trimmingCharacters(in: .whitespaces))))) > 0")
        }
        let filters = conditions.joined(separator: " AND ")
        // The queue by concern keeps no text id: the case file has it.
        if filters.contains("f.") || (textID && query.category != nil) { from += " JOIN case_file f ON f.reference = h.reference" }
        if filters.contains("r.") { from += " JOIN report r ON r.reference = h.reference" }
        return (from, filters, query.category == nil ? "h.text_id" : "f.text_id")
    }
}
