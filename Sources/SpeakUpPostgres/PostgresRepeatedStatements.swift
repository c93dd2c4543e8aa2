import PostgresNIO

/// A statement a session may send again and again with other values (a submit's, from a kiosk or
/// a ward terminal that stays open all day), with its values' kinds, so that it can be prepared by
/// name on the server (`PostgresSession.query(repeating:)`).
struct RepeatableQuery {
    let query: PostgresQuery
    /// The kinds of the values bound, in order (`.null` for a NULL).
    let kinds: [PostgresDataType]
}

/// What a session remembers of the statements it was asked to send again and again: the ones it
/// has sent once, and the names of those it sends prepared.
///
/// A statement is prepared the second time the same text with values of the same kinds is sent (a
/// NULL is its own kind: the server works out its parameter's kind from where it is used, as it
/// does for a statement sent unprepared, and a prepared statement keeps the kinds it was prepared
/// with). So a connection that sends it once (a reporter's form: one report, then the program ends)
/// pays nothing for a preparation it would never use. From then on the server neither parses it
/// nor, after its first five runs (its own rule: `plan_cache_mode` auto), plans it again. A prepared
/// statement lasts as long as the session, whether the transaction it was first sent in commits or
/// not; a new connection starts with none.
struct RepeatedStatements {
    struct Key: Hashable {
        let sql: String
        let kinds: [UInt32]
    }

    enum Step: Equatable {
        /// Send it as it is.
        case send
        /// Send it prepared under this name (postgres-nio prepares it the first time).
        case named(String)
    }

    /// Statements remembered as sent once; past this, the memory starts again.
    static let seenLimit = 64
    /// Statements kept prepared; past this, others are sent as they are.
    static let preparedLimit = 32

    private var seen: Set<Key> = []
    private var names: [Key: String] = [:]

    /// What to do with a statement about to be sent.
    mutating func step(for key: Key) -> Step {
        if let name = names[key] { return .named(name) }
        guard names.count < Self.preparedLimit, seen.remove(key) != nil else {
            if seen.count >= Self.seenLimit { seen.removeAll() }
            seen.insert(key)
            return .send
        }
        let name = "speakup_repeated_\(names.count + 1)"
        names[key] = name
        return .named(name)
    }

    /// How many statements are sent prepared.
    var preparedCount: Int { names.count }
}

/// A statement put together at run time, executed through postgres-nio's prepared statements
/// (`PostgresPreparedStatement`), which prepare a statement by name the first time a connection
/// executes it and from then on only bind and execute it. postgres-nio takes the name and the text
/// from the statement's type, read as `execute` starts; so this one type reads both from a value
/// set for the task that makes the call (`current`). The values' kinds come from the bindings, as
/// for a statement sent unprepared (postgres-nio: no `bindingDataTypes` given).
struct NamedStatement: PostgresPreparedStatement {
    struct Current: Sendable {
        let name: String
        let sql: String
    }

    @TaskLocal static var current = Current(name: "speakup_repeated_none", sql: "SELECT NULL")

    static var name: String { current.name }
    static var sql: String { current.sql }

    typealias Row = PostgresRow

    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
