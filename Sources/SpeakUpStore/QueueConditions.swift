import Foundation
import SpeakUpCore

/// The queue's filters as SQL conditions, the same on every engine (the tables and their texts
/// are): `h` is the handler's row (`case_handler`, or `case_handler_concern` for a category),
/// `f` the case's (`case_file`). The rank starts with "0" for an open case, "1" for a closed
/// one, and ends with the next deadline of an open case (`StoredForm.rank`).
public enum QueueConditions {
    /// The conditions for the status, category, level and overdue filters. `byReference`: the
    /// search is the start of a reference, so the rows come from `case_handler` even with a
    /// category. `bind` binds a value and gives its placeholder.
    public static func filters(_ query: QueueQuery, now: Date, byReference: Bool, bind: (String) -> String) -> [String] {
        var conditions: [String] = []
        switch query.status {
        case .open: conditions.append("h.rank < '1'")
        case .new: conditions.append("h.rank < '1' AND f.status = 'new'")
        case .acknowledged: conditions.append("h.rank < '1' AND f.status = 'acknowledged'")
        case .closed: conditions.append("h.rank >= '1'")
        case .all: break
        }
        if let category = query.category {
            let placeholder = bind(category.rawValue)
            conditions.append(byReference
                ? "EXISTS (SELECT 1 FROM report_concern c WHERE c.reference = h.reference AND c.category = \(placeholder))"
                : "h.category = \(placeholder)")
        }
        if let level = query.level {
            conditions.append("h.level = \(bind(level.rawValue))")
        }
        if query.overdueOnly {
            conditions.append("h.rank < '1' AND substr(h.rank, 3) < \(bind(StoredForm.stamp(now)))")
        }
        return conditions
    }

    /// The query for the queue rows of exactly these cases (any status), for a case's linked ones.
    public static func exactly(_ references: [String]) -> QueueQuery {
        var query = QueueQuery()
        query.status = .all
        query.limit = references.count
        query.only = references
        return query
    }
}
