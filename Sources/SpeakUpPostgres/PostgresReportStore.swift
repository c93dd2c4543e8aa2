import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore
import Synchronization

/// Reports kept in a PostgreSQL database: the same contract, the same tables and the same
/// texts as the SQLite store, with the server doing what SQLite's file locks do. Each write is
/// one transaction (a submit with its routing inside it), committed synchronously
/// (`synchronous_commit = on`, set on every session) so a report is on the server's disk when
/// `submit` returns; the audit chain is serialised by its head row, locked inside the transaction.
///
/// The store keeps one session and runs one thing at a time on it; a session that was lost (the
/// server restarted, a standby was promoted) is replaced at the next call, which connects again.
public final class PostgresReportStore: ReportStore, StoreHousekeeping {
    /// The store's address, with no secret in it.
    public let location: String
    /// Where the store's own times come from (an import's moment, "now" for what is overdue).
    public let clock: any Clock
    let connection: PostgresConnectionKeeper
    private let receiptRounds: Int
    private let cachedHasher = Mutex<ReceiptHasher?>(nil)
    /// Whether the store sealed reports when it was opened (or since, as a submit found): a submit
    /// to a store that does not seals nothing, and checks that inside its one write rather than
    /// reading first (`PostgresReportRows.insert`'s `unlessSealing`).
    let seals: Mutex<Bool>
    /// Whether a submit may be one statement (`PostgresSubmitStatement`): false where the tables are not
    /// as it writes them (read as the store opens), or a test or the bench turns it off.
    let oneStatement: Mutex<Bool>
    /// Whether that statement is prepared on the server once the session sends it a second time
    /// (`PostgresSession.query(repeating:)`); the bench turns it off to compare.
    let preparesRepeats = Mutex(true)

    /// How long each call may take, shared with the screen (which says it is waiting, and whose
    /// Ctrl-C stops it).
    let wait: StoreWait
    public var writeWait: StoreWait? { wait }

    /// Seconds the store waits for a server to accept its connection.
    public static let connectSeconds = 10.0

    /// Opens the store at `address` (the first of its hosts that accepts writes), logging in with
    /// `password` (nil: a client certificate, or no password on a socket), and brings its schema up to date.
    /// `receiptRounds` sets the receipt hash's cost; tests lower it to stay quick.
    /// `wait` limits how long each write or read may take (10 s at a form, 30 s for a command) and
    /// lets the person at the screen stop it (Ctrl-C): the connection is then closed, so the server
    /// drops the work, and nothing is saved.
    public convenience init(address: PostgresAddress, password: String?, receiptRounds: Int = ReceiptHasher.defaultRounds,
                            clock: any Clock = SystemClock(), wait: StoreWait = StoreWait()) throws(StoreError) {
        let connect: @Sendable () throws(StoreError) -> PostgresSession = {
            () throws(StoreError) in try PostgresSession.connect(to: address, password: password, deadline: Self.connectSeconds)
        }
        try self.init(first: try connect(), reconnect: connect, location: address.description, receiptRounds: receiptRounds, clock: clock,
                      wait: wait)
    }

    /// Opens the store on a session already connected (tests; a command that connected to check
    /// the server first). When the session is lost, the store says so and does not connect again.
    public convenience init(session: PostgresSession, location: String? = nil, receiptRounds: Int = ReceiptHasher.defaultRounds,
                            clock: any Clock = SystemClock(), wait: StoreWait = StoreWait()) throws(StoreError) {
        try self.init(first: session, reconnect: nil, location: location ?? session.endpoint.description, receiptRounds: receiptRounds, clock: clock,
                      wait: wait)
    }

    private init(first: PostgresSession, reconnect: (@Sendable () throws(StoreError) -> PostgresSession)?, location: String, receiptRounds: Int,
                 clock: any Clock, wait: StoreWait) throws(StoreError) {
        self.wait = wait
        self.location = location
        self.clock = clock
        self.receiptRounds = receiptRounds
        try PostgresSchema.migrate(first)
        let opened = try first.row(PostgresQuery(unsafeSQL: """
            SELECT EXISTS (SELECT 1 FROM recovery_key) AS seals, \(PostgresSubmitStatement.storedColumns) AS columns
            """))
        // Not known is taken as sealing: the submit then reads whom to seal for first.
        seals = Mutex(try opened?.flag("seals") ?? true)
        oneStatement = Mutex(PostgresSubmitStatement.tablesAsWritten(try opened?.list("columns") ?? []))
        connection = PostgresConnectionKeeper(session: first, reconnect: reconnect, location: location)
    }

    /// Has this store's submits write one statement at a time, as they did before `PostgresSubmitStatement`
    /// (the bench compares the two; the tests check that both write the same rows).
    public func writeSubmitsOneByOne() {
        oneStatement.withLock { $0 = false }
    }

    /// Has this store send its submit's statement as it is every time, never prepared by name (the
    /// bench compares the two; the tests check that both write the same rows).
    public func sendSubmitsUnprepared() {
        preparesRepeats.withLock { $0 = false }
    }

    /// Closes the store's connection (the next call connects again, if it can).
    public func close() {
        connection.close()
    }

    /// Runs `body` in one transaction on the store's session; every failure becomes a sentence.
    /// `wait`: the store's own (the one the screen watches and Ctrl-C cancels), unless given another;
    /// `allowing`: seconds this call may take, when not the wait's limit (an import's, by its size).
    func write<T>(_ activity: StoreActivity, wait: StoreWait? = nil, allowing seconds: Double? = nil,
                  _ body: (PostgresSession) throws -> T) throws(StoreError) -> T {
        do {
            return try transaction(activity, wait: wait, allowing: seconds, body)
        } catch let ended as WaitEnded {
            throw ended.error
        } catch {
            throw PostgresStoreFailure.translate(error, at: location, doing: activity)
        }
    }

    /// The wait ran out, or the person stopped it: the sentence to give, as it is.
    struct WaitEnded: Error {
        let error: StoreError
    }

    /// One transaction on the store's session, within the store's wait (`PostgresWaitWatch`): past
    /// its deadline, or when the person stops waiting, the connection is closed and `WaitEnded`
    /// thrown; other errors come back as they are.
    func transaction<T>(_ activity: StoreActivity, wait: StoreWait? = nil, allowing seconds: Double? = nil,
                        _ body: (PostgresSession) throws -> T) throws -> T {
        let wait = wait ?? self.wait
        let allowed = seconds ?? wait.seconds
        wait.begin(seconds: allowed)
        defer { wait.end() }
        let watch = PostgresWaitWatch(wait: wait)
        defer { watch.finish() }
        do {
            return try connection.use { session in
                watch.start(on: session)
                return try session.transaction(body)
            }
        } catch {
            switch watch.gaveUp {
            case .cancelled:
                throw WaitEnded(error: StoreError(.busy, "You stopped waiting for the store, so nothing was saved.\(activity.unchanged)"))
            case .timedOut:
                throw WaitEnded(error: StoreError(.busy, "The PostgreSQL store at \(location) did not answer within \(Int(allowed.rounded()).counted("second")), so nothing was saved.\(activity.unchanged) Please try again; if it keeps happening, please tell IT."))
            case nil:
                throw error
            }
        }
    }

    /// Reads, in one transaction (so what is read together was true together).
    func read<T>(_ body: (PostgresSession) throws -> T) throws(StoreError) -> T {
        try write(.read, body)
    }

    /// Reads as `read` does, under a wait of its own: what a background thread reads (the workspace's
    /// sealed words, opened ahead) must not start, end or lose the cancelling of the wait of a write the
    /// person at the screen is watching.
    func readApart<T>(_ body: (PostgresSession) throws -> T) throws(StoreError) -> T {
        try write(.read, wait: StoreWait(seconds: StoreWait.commandSeconds), body)
    }

    /// The router for one write, made before the transaction (it may read the directory).
    static func prepare(_ router: (any CaseRouter)?) throws(StoreError) -> (any CaseRouter)? {
        guard let router else { return nil }
        do {
            return try router.prepared()
        } catch let failure as RoutingFailure {
            throw StoreError(.failed, failure.sentence + StoreActivity.save.unchanged)
        } catch {
            throw StoreError(.failed, "SpeakUp could not work out where the report goes (\(error)).\(StoreActivity.save.unchanged)")
        }
    }

    /// The receipt hasher for this store (its salt is read once).
    func hasher() throws(StoreError) -> ReceiptHasher {
        if let cached = cachedHasher.withLock({ $0 }) { return cached }
        let salt = try read { session in try session.row("SELECT value FROM store_secret WHERE name = 'receipt-salt'")?.bytes("value") }
        guard let salt else { throw StoreError(.damaged, "The PostgreSQL store at \(location) has lost its receipt salt. Please tell IT.") }
        let hasher = ReceiptHasher(salt: Array(salt), rounds: receiptRounds)
        cachedHasher.withLock { $0 = hasher }
        return hasher
    }

    /// PostgreSQL needs no tidying after a report: its log is its own business.
    public func tidy() {}

    /// A submit rehearsed in a transaction that is rolled back (`PostgresSubmitStatement.rehearse`), under
    /// a wait of its own (never the screen's): a new connection's server process then has the tables, the
    /// triggers and their plans ready when the reporter sends. Nothing is kept, and the chain's head is
    /// not locked. A store that seals, or whose tables the statement does not write as they are, is left
    /// as it is; a failure here is not the reporter's (the submit says what it finds).
    public func warmUpForSubmit() {
        _ = rehearseSubmit()
    }

    /// The warm-up; true when the rehearsal ran whole (and was rolled back).
    func rehearseSubmit() -> Bool {
        guard !seals.withLock({ $0 }), oneStatement.withLock({ $0 }) else { return false }
        struct Rehearsed: Error {}
        do {
            try transaction(.read, wait: StoreWait(seconds: 5)) { session in
                try PostgresSubmitStatement.rehearse(in: session)
                throw Rehearsed()
            }
        } catch is Rehearsed {
            return true
        } catch {
            // Rolled back as well; the submit will say whatever is wrong.
        }
        return false
    }

    /// Indexes the words of any case left waiting (none: cases are indexed as they are written).
    public func indexPendingWords() throws(StoreError) {
        try indexPendingWords(batch: 500)
    }

    /// Indexes the waiting cases `batch` at a time, each batch its own transaction within the store's
    /// wait, so a store copied in with a million cases is indexed in as long as it takes, never
    /// against one deadline, and what is done stays done if it is stopped.
    func indexPendingWords(batch: Int) throws(StoreError) {
        while try write(.read, { session in try PostgresCaseProjection.indexPending(batch: batch, in: session) }) > 0 {}
    }
}

/// The store's one session, used by one caller at a time, and replaced by a new connection
/// when it was lost.
final class PostgresConnectionKeeper: @unchecked Sendable {
    // `lock` guards `session`: a session runs one thing at a time for one caller.
    private let lock = NSLock()
    private var session: PostgresSession?
    private let reconnect: (@Sendable () throws(StoreError) -> PostgresSession)?
    private let location: String

    init(session: PostgresSession, reconnect: (@Sendable () throws(StoreError) -> PostgresSession)?, location: String) {
        self.session = session
        self.reconnect = reconnect
        self.location = location
    }

    /// Runs `body` on the session, connecting again first if it was lost.
    func use<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let current: PostgresSession
        if let session, !session.isClosed {
            current = session
        } else {
            guard let reconnect else {
                throw StoreError(.busy, "The connection to the PostgreSQL store at \(location) was lost, and this store does not connect again by itself. Please try again; if it keeps happening, please tell IT.")
            }
            current = try reconnect()
            session = current
        }
        return try body(current)
    }

    func close() {
        lock.withLock { session?.close() }
    }
}
