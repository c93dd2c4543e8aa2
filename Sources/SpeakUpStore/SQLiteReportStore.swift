import Foundation
import GRDB
import Synchronization
import SpeakUpCore

/// Reports kept in one SQLite file through GRDB: WAL, synchronous=FULL, one
/// immediate transaction per report.
public final class SQLiteReportStore: ReportStore, StoreHousekeeping {
    /// The file the store lives in.
    public let path: String
    let queue: DatabaseQueue
    private let receiptRounds: Int
    private let cachedHasher = Mutex<ReceiptHasher?>(nil)
    private let turn: WriterTurn
    private let logSize: LogSize
    /// An erasure's checkpoints, run beside its batches (`CheckpointAside`).
    let checkpointAside: CheckpointAside
    /// How long writes wait for other terminals (see `StoreWait`), shared with the screen.
    public let wait: StoreWait
    /// The same, as the form sees any store.
    public var writeWait: StoreWait? { wait }
    public var location: String { path }
    /// Where the store's own times come from (an import's moment, a directory import's, "now"
    /// for what is overdue): the commands' clock, so tests and `--now` move it.
    public let clock: any Clock

    /// Opens the store at `path`, creating it when `createIfMissing` allows, and
    /// brings its schema up to date.
    /// `receiptRounds` sets the receipt hash's cost; tests lower it to stay quick.
    /// `wait` limits how long any write (or the opening) waits for other terminals.
    public init(
        path: String, createIfMissing: Bool = true, readOnly: Bool = false,
        receiptRounds: Int = ReceiptHasher.defaultRounds, wait: StoreWait = StoreWait(), clock: any Clock = SystemClock()
    ) throws(StoreError) {
        self.path = path
        self.clock = clock
        self.receiptRounds = receiptRounds
        self.wait = wait
        try StoreLocation.checkOpenable(path, createIfMissing: createIfMissing)
        turn = WriterTurn(storePath: path, clock: clock)
        let logSize = LogSize()
        self.logSize = logSize
        checkpointAside = CheckpointAside(path: path)

        var config = Configuration()
        config.readonly = readOnly
        // Other terminals may be writing at the same moment: wait for them rather than
        // fail, in short sleeps, until the write's deadline or the person says stop.
        config.busyMode = .callback { tries in
            guard wait.keepWaiting() else { return false }
            usleep(tries < 20 ? 1_000 : 5_000)
            return true
        }
        config.label = "SpeakUp store"
        config.prepareDatabase { db in
            // FULL: a commit returns only once the report is on disk, through a
            // crash or a power cut.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Deleted content (a discarded draft) is overwritten, not left in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // Sorting and temporary tables stay in memory, never in a temporary file elsewhere.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // No checkpoint inside a commit: see `writeTurn`.
            logSize.watch(db.sqliteConnection)
        }
        wait.begin()
        defer { wait.end() }
        do {
            queue = try Self.firstLook(at: path, configuration: config, waiting: wait) { db in
                try Self.checkIsSpeakUpStore(db, path: path, mayBeNew: createIfMissing)
            }
            let migrator = StoreSchema.migrator(clock: clock)
            let newer = StoreError(.newerVersion, "The store at \(path) was written by a newer version of SpeakUp. Please use that version, or ask IT to update this one.")
            // A store that is up to date (or newer) is only read here: an opening never needs the write
            // lock, which a terminal stopped inside a commit may hold. (A look that fails, another
            // terminal making the store at this very moment, takes the careful way below.)
            if readOnly || (try? queue.read({ db in try migrator.hasCompletedMigrations(db) })) == true {
                if try queue.read({ db in try migrator.hasBeenSuperseded(db) }) { throw newer }
            } else {
                // A store being made or upgraded, in the writers' turn: 32 terminals making one new store at
                // once take turns, rather than race through the schema (where one saw another's half-made
                // tables and gave up, measured by `make torture`).
                try turn.take(waiting: wait) {
                    if try queue.read({ db in try migrator.hasBeenSuperseded(db) }) { throw newer }
                    // WAL is switched on here, once the file is known to be ours, rather than through
                    // `journalMode = .wal`, which would also lower synchronous to NORMAL (and would change
                    // another program's file).
                    if try queue.read({ db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }) != "wal" {
                        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
                    }
                    try Self.migrate(queue, with: migrator)
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "open")
        }
    }

    /// Opens the connection and takes the first look, on a thread of its own, waiting for it no longer
    /// than `wait` allows (or the person lets it).
    ///
    /// The first terminal to look at a store after every terminal has closed it rebuilds SQLite's shared
    /// index of the log, holding SQLite's write lock meanwhile. One stopped there (SIGSTOP) leaves every
    /// other terminal's first look in SQLite's own retries, which call no busy handler, keep no deadline,
    /// and end after some ten seconds in "locking protocol" (`make torture`, stopped-holder). Waited for
    /// here, such a look ends at the deadline with "busy", as any other wait does; the thread left behind
    /// ends on its own with SQLite's retries (the process, a command, has usually exited by then).
    static func firstLook(at path: String, configuration: Configuration, waiting wait: StoreWait,
                          _ look: @escaping @Sendable (Database) throws -> Void) throws -> DatabaseQueue {
        let outcome = Mutex<Result<DatabaseQueue, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let opened = Result { () throws -> DatabaseQueue in
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                try queue.read(look)
                return queue
            }
            outcome.withLock { $0 = opened }
            done.signal()
        }
        // A look that is not held up takes a few milliseconds: only a longer one counts as waiting (for the screen).
        if done.wait(timeout: .now() + .milliseconds(250)) == .timedOut {
            while done.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
                if !wait.keepWaiting() { throw StoreWaitEnded(cancelled: wait.wasCancelled) }
            }
        }
        guard let opened = outcome.withLock({ $0 }) else { throw StoreWaitEnded(cancelled: false) }
        return try opened.get()
    }

    public func submit(
        _ report: Report, receipt: ReceiptCode? = nil, discardingDraftOf owner: Reporter? = nil, router: (any CaseRouter)? = nil
    ) throws(StoreError) -> Report {
        var candidate = report
        // The slow hash is worked out before the transaction, so other terminals never wait on it.
        let derived = try receipt.map { code throws(StoreError) in try hasher().derive(code) }
        let router = try Self.prepare(router)
        for _ in 0..<8 {
            do {
                try writeTurn(checkpointing: false) { db in
                    try db.inTransaction(.immediate) {
                        _ = try Self.store(candidate, receipt: derived, owner: owner, router: router, in: db)
                        return .commit
                    }
                }
                if candidate.wayOfRaising == .anonymous { wipeLog() }
                return candidate
            } catch let error as DatabaseError where ReportRows.isReferenceCollision(error) {
                candidate.reference = .random()
            } catch {
                // A disk error while committing can leave the commit on disk after all (the
                // log was written, the flush reported failure). Look before saying it failed,
                // so a retry never files the same report twice.
                if let stored = try? queue.read({ db in try ReportRows.all(in: db, reference: candidate.reference.text).first }),
                    stored.sealed != nil ? stored.submitted == candidate.submitted && stored.location == candidate.location
                        && stored.concerns == candidate.concerns : stored.account == candidate.account {
                    // (A sealed report's words cannot be read back here: its place, time and concerns stand for them,
                    // and the reference is random.)
                    return candidate
                }
                throw StoreErrors.translate(error, path: path, doing: "save")
            }
        }
        throw StoreError(.failed, "SpeakUp could not find a free case reference. Your report was not saved; please try again.")
    }

    /// Whom this store seals for, read inside the writing transaction; nil when it does not seal.
    static func sealingRecipients(in db: Database) throws -> SealingRecipients? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT public_key, made_at FROM recovery_key")) else { return nil }
        let handlers = try Row.fetchAll(db.cachedStatement(sql: "SELECT handler, public_key FROM sealing_key")).map { row in
            HandlerSealingKey(handler: row["handler"], publicKey: Array(row["public_key"] as Data), lockedKey: [], keptAt: Date())
        }
        return try SealingRecipients(recovery: TrustRecoveryKey(publicKey: Array(row["public_key"] as Data), madeAt: Date()), handlers: handlers)
    }

    /// Everything a submit writes, inside its transaction; returns the routing kept with it.
    static func store(_ candidate: Report, receipt: ReceiptDerivation?, owner: Reporter?, router: (any CaseRouter)?,
                      in db: Database) throws -> CaseRouting? {
        // Route first, so the history it counts does not yet hold this report.
        let routing = try router?.route(candidate, history: ReportRows.History(db: db, digest: router?.subjectKeyDigest), from: candidate.deadlineStart)
        // A sealing store keeps the words sealed for whoever may hold the case, never in clear.
        if let recipients = try sealingRecipients(in: db) {
            let (sealed, keys) = try recipients.seal(candidate, mayHold: SealingRecipients.mayHold(routing), reporter: receipt?.replySecret,
                                                     subject: SealingRecipients.subjectSealing(candidate, routing: routing, digest: router?.subjectKeyDigest))
            try ReportRows.insert(sealed, into: db)
            // One statement for every recipient's row (kept prepared for each count: a submit writes eleven or more).
            if !keys.isEmpty {
                let rows = Array(repeating: "(?, ?, ?)", count: keys.count).joined(separator: ", ")
                let insert = try db.cachedStatement(sql: "INSERT INTO case_key (reference, recipient, wrapped) VALUES \(rows)")
                var values: [(any DatabaseValueConvertible)?] = []
                values.reserveCapacity(keys.count * 3)
                for key in keys { values += [candidate.reference.text, key.recipient, Data(key.bytes)] }
                try insert.execute(arguments: StatementArguments(values))
            }
        } else {
            try ReportRows.insert(candidate, into: db)
        }
        try ReportRows.insertCharacteristics(of: candidate, into: db)
        if let routing {
            try ReportRows.insertRouting(routing, for: candidate, kind: .routed, sequence: 2, at: candidate.submitted, into: db)
        }
        // A report about someone releases every report held until someone else reported them.
        if let router, let key = SubjectKey.of(candidate.subject, directoryID: nil) {
            for held in try ReportRows.heldCases(subjectKey: StoredForm.subjectKeys(key, digest: router.subjectKeyDigest), holdEndedBy: nil, in: db)
            where held != candidate.reference.text {
                _ = try ReportRows.reroute(
                    held, router: router, at: candidate.deadlineStart,
                    recordedAs: candidate.wayOfRaising == .anonymous ? candidate.submitted : nil, in: db)
            }
        }
        // A receipt is the way back for reports no login leads to: anonymous
        // ones, and those from a shared terminal.
        if let receipt, candidate.reporter == nil {
            try db.execute(
                sql: "INSERT INTO receipt (hash, reference) VALUES (?, ?)",
                arguments: [Data(receipt.hash), candidate.reference.text])
        }
        // Only the draft the caller names: one that could not be read is left alone.
        if let owner {
            try db.execute(sql: "DELETE FROM draft WHERE owner_uid = ?", arguments: [Int64(owner.uid)])
        }
        return routing
    }

    /// The router for one write, made before the transaction (it may read the directory).
    static func prepare(_ router: (any CaseRouter)?) throws(StoreError) -> (any CaseRouter)? {
        guard let router else { return nil }
        do {
            return try router.prepared()
        } catch let failure as RoutingFailure {
            throw StoreError(.failed, failure.sentence + " Your report has not been saved, and nothing on this screen is lost.")
        } catch {
            throw StoreError(.failed, "SpeakUp could not work out where the report goes (\(error)). Your report has not been saved, and nothing on this screen is lost.")
        }
    }

    /// Which of these references the store already has: an import's check, one indexed lookup each,
    /// rather than reading every report (32 imports at once each reading thousands of reports kept
    /// two cores busy for seconds, measured by `make torture`).
    public func takenReferences(_ references: [String]) throws(StoreError) -> Set<String> {
        do {
            return try queue.read { db in
                var taken: Set<String> = []
                let lookup = try db.cachedStatement(sql: "SELECT 1 FROM report WHERE reference = ?")
                for reference in Set(references) where try Bool.fetchOne(lookup, arguments: [reference]) == true {
                    taken.insert(reference)
                }
                return taken
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func characteristics(from first: CalendarDay, through last: CalendarDay) throws(StoreError) -> [ReporterCharacteristics] {
        let months = CharacteristicsRow.months(from: first, through: last)
        let rows: [[String]]
        do {
            rows = try queue.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT \(CharacteristicsRow.columns.joined(separator: ", ")) FROM reporter_characteristics WHERE month BETWEEN ? AND ?",
                    arguments: [months.first, months.last]
                ).map { row in row.databaseValues.map { String.fromDatabaseValue($0) ?? "" } }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
        return try rows.map { answers throws(StoreError) in try CharacteristicsRow.read(answers, in: path) }
    }

    public func allReports() throws(StoreError) -> [Report] {
        do {
            return try queue.read { db in try ReportRows.all(in: db) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func events(for reference: CaseReference) throws(StoreError) -> [CaseEvent] {
        do {
            return try queue.read { db in try ReportRows.events(for: reference, in: db) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    /// Adds reports received by other channels, with their timelines, all in one
    /// transaction: either every one is stored or none is. A reference already in
    /// the store is refused, never overwritten.
    public func importReports(_ items: [(Report, [CaseEvent])], router: (any CaseRouter)? = nil, by importer: String? = nil,
                              at moment: Date? = nil) throws(StoreError) {
        let moment = moment ?? clock.now()
        let router = try Self.prepare(router)
        do {
            try writeTurn { db in
                try db.inTransaction(.immediate) {
                    let sealing = try Self.sealingRecipients(in: db)
                    for (report, _) in items
                    where try Bool.fetchOne(db, sql: "SELECT 1 FROM report WHERE reference = ?", arguments: [report.reference.text]) == true {
                        throw StoreError(.failed, "The store already has a report \(report.reference); nothing was imported.")
                    }
                    for (report, events) in items {
                        // Imported timelines carry no routing decision (export keeps only the words), so each
                        // report is routed now, by today's rules, with its deadlines from its own date.
                        let routing = try router?.route(report, history: ReportRows.History(db: db, excluding: report.reference.text, digest: router?.subjectKeyDigest),
                                                        from: report.deadlineStart)
                        if let sealing {
                            // A sealing store seals what it imports, as a submit would, before any of it is kept.
                            let mayHold = SealingRecipients.mayHold(routing) + (routing?.handlers ?? [])
                            let sealed = try SealingInPlace.sealImported(report, events: events, recipients: sealing, mayHold: mayHold,
                                                                         subject: SealingRecipients.subjectSealing(report, routing: routing, digest: router?.subjectKeyDigest))
                            try ReportRows.insert(sealed.report, events: sealed.events, importer: (importer, moment), into: db)
                            for key in sealed.keys {
                                try db.execute(sql: "INSERT INTO case_key (reference, recipient, wrapped) VALUES (?, ?, ?)",
                                               arguments: [report.reference.text, key.recipient, Data(key.bytes)])
                            }
                        } else {
                            try ReportRows.insert(report, events: events, importer: (importer, moment), into: db)
                        }
                        if let routing {
                            try ReportRows.insertRouting(routing, for: report, kind: .routed, sequence: (events.map(\.sequence).max() ?? 1) + 1,
                                                         at: report.submitted, into: db)
                        }
                    }
                    return .commit
                }
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "import")
        }
    }

    public func sealsReports() throws(StoreError) -> Bool {
        try recoveryKey() != nil
    }

    public func replySecret(forReceipt code: ReceiptCode) throws(StoreError) -> [UInt8] {
        try hasher().derive(code).replySecret
    }

    public func report(forReceipt code: ReceiptCode) throws(StoreError) -> Report? {
        let hash = try hasher().hash(code)
        do {
            return try queue.read { db in
                guard let reference = try String.fetchOne(
                    db, sql: "SELECT reference FROM receipt WHERE hash = ?", arguments: [Data(hash)])
                else { return nil }
                return try ReportRows.all(in: db, reference: reference).first
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func routing(for reference: CaseReference) throws(StoreError) -> CaseRouting? {
        do {
            let (detail, keyless) = try queue.read { db in
                (try String.fetchOne(
                    db, sql: "SELECT detail FROM case_event WHERE reference = ? AND kind IN ('routed', 'escalated') ORDER BY sequence DESC LIMIT 1",
                    arguments: [reference.text]),
                 try Bool.fetchOne(db, sql: StoredForm.noHandlerHoldsKey, arguments: [reference.text]) ?? false)
            }
            guard let detail else { return nil }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            var routing = try decoder.decode(CaseRouting.self, from: Data(detail.utf8))
            routing.noHandlerHoldsKey = keyless
            return routing
        } catch let error as StoreError {
            throw error
        } catch let error as DecodingError {
            throw StoreError(.damaged, "The routing kept with \(reference) could not be read: \(error).")
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    /// Routes a report against this store's history without storing anything
    /// (for benchmarks, and for trying rules against real data).
    public func dryRoute(_ report: Report, router: any CaseRouter) throws(StoreError) -> CaseRouting {
        guard let router = try Self.prepare(router) else { throw StoreError(.failed, "No router was given.") }
        do {
            return try queue.read { db in try router.route(report, history: ReportRows.History(db: db, digest: router.subjectKeyDigest), from: report.deadlineStart) }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    /// Replaces the staff directory in one transaction (with an audit record
    /// naming `actor`, when given: who manages whom decides who sees a case).
    public func replaceStaff(_ members: [StaffMember], by actor: String? = nil, at moment: Date? = nil) throws(StoreError) {
        let moment = moment ?? clock.now()
        do {
            for member in members {
                let texts = [member.id, member.name, member.unixUser ?? "", member.role, member.managerID ?? "", member.ward] + member.knownAs
                if texts.contains(where: StorableText.holdsNul) { throw TextRefused(what: "The directory's entry \(member.id.debugDescription)") }
            }
            try writeTurnInTransaction { db in
                try db.execute(sql: "DELETE FROM staff")
                let insert = try db.cachedStatement(
                    sql: "INSERT INTO staff (id, name, unix_user, role, seniority, manager_id, ward, known_as) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                for member in members {
                    try insert.execute(arguments: [member.id, member.name, member.unixUser, member.role, member.seniority.rawValue, member.managerID,
                                                   member.ward, member.knownAs.joined(separator: "; ")])
                }
                // Every import is recorded, with the directory as imported, so a later change outside SpeakUp shows.
                try AuditTrail.append(
                    AuditEntry(at: .instant(moment), actor: actor, action: "directory-replaced", reference: nil,
                               detail: "\(members.count) people", content: try ContentDigest.ofStaff(in: db)), in: db)
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "import-directory")
        }
    }

    /// How many reports were raised at a station like this one (same kind, same location) on `day`:
    /// what a kiosk's hourly limit starts from after a restart, read from the reports themselves,
    /// so nothing that could date a report is written to keep it.
    public func reportCount(at station: Station, on day: CalendarDay) throws(StoreError) -> Int {
        do {
            return try queue.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM report WHERE station = ? AND station_location IS ? AND substr(submitted, 1, 10) = ?",
                    arguments: [station.kind, station.location, day.description]) ?? 0
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    /// The staff directory (empty until one is imported).
    public func staff() throws(StoreError) -> [StaffMember] {
        do {
            return try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM staff ORDER BY id").map { row in
                    StaffMember(
                        id: row["id"], name: row["name"], unixUser: row["unix_user"], role: row["role"],
                        seniority: Seniority(rawValue: row["seniority"]) ?? .unknown, managerID: row["manager_id"], ward: row["ward"],
                        knownAs: (row["known_as"] as String? ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) })
                }
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func casesPastDeadline(at now: Date) throws(StoreError) -> [(CaseReference, CaseDeadline)] {
        let moment = now.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        do {
            return try queue.read { db in
                try Row.fetchAll(db, sql: """
                    WITH latest AS (
                        SELECT e.reference, e.detail FROM case_event e
                        WHERE e.kind IN ('routed', 'escalated') AND e.detail IS NOT NULL
                          AND e.sequence = (SELECT max(x.sequence) FROM case_event x
                                            WHERE x.reference = e.reference AND x.kind IN ('routed', 'escalated') AND x.detail IS NOT NULL)
                    ), open AS (
                        SELECT * FROM latest
                        WHERE NOT EXISTS (SELECT 1 FROM case_event c WHERE c.reference = latest.reference AND c.kind = 'closed')
                          AND json_extract(latest.detail, '$.held') IS NOT 1
                    )
                    SELECT reference, 'acknowledge' AS deadline FROM open
                    WHERE json_extract(detail, '$.acknowledge_by') < :now
                      AND NOT EXISTS (SELECT 1 FROM case_event c WHERE c.reference = open.reference
                                      AND c.kind IN ('acknowledged', 'handler-message')
                                      AND c.at <= json_extract(open.detail, '$.acknowledge_by'))
                      AND NOT EXISTS (SELECT 1 FROM case_event c WHERE c.reference = open.reference
                                      AND c.kind = 'escalated' AND c.text LIKE :acknowledgeHeading || '%')
                    UNION ALL
                    SELECT reference, 'feed-back' FROM open
                    WHERE json_extract(detail, '$.feed_back_by') < :now
                      AND NOT EXISTS (SELECT 1 FROM case_event c WHERE c.reference = open.reference AND c.kind = 'handler-message'
                                      AND c.at <= json_extract(open.detail, '$.feed_back_by'))
                      AND NOT EXISTS (SELECT 1 FROM case_event c WHERE c.reference = open.reference
                                      AND c.kind = 'escalated' AND c.text LIKE :feedBackHeading || '%')
                    ORDER BY reference, deadline
                    """,
                    arguments: ["now": moment, "acknowledgeHeading": CaseDeadline.acknowledge.escalationHeading,
                                "feedBackHeading": CaseDeadline.feedBack.escalationHeading]
                ).compactMap { row in
                    guard let reference = CaseReference(row["reference"] as String), let deadline = CaseDeadline(rawValue: row["deadline"]) else { return nil }
                    return (reference, deadline)
                }
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func releaseEndedHolds(at now: Date, router: any CaseRouter) throws(StoreError) -> [CaseReference] {
        guard let router = try Self.prepare(router) else { return [] }
        do {
            return try writeTurn { db in
                var released: [CaseReference] = []
                try db.inTransaction(.immediate) {
                    for reference in try ReportRows.heldCases(subjectKey: nil, holdEndedBy: CalendarDay(now, in: .gmt), in: db)
                    where try ReportRows.reroute(reference, router: router, at: now, in: db) != nil {
                        if let parsed = CaseReference(reference) { released.append(parsed) }
                    }
                    return .commit
                }
                return released
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save-escalation")
        }
    }

    public func escalate(_ reference: CaseReference, missed deadline: CaseDeadline, at now: Date,
                         decide: (Report, CaseRouting) -> CaseRouting) throws(StoreError) -> Bool {
        do {
            return try writeTurn { db in
                var escalated = false
                try db.inTransaction(.immediate) {
                    // Everything is read again inside the transaction: another tick may have just escalated.
                    guard let report = try ReportRows.all(in: db, reference: reference.text).first,
                        let routing = try ReportRows.latestRouting(for: reference, in: db)
                    else { return .rollback }
                    let events = try ReportRows.events(for: reference, in: db)
                    let due = deadline == .acknowledge ? routing.acknowledgeBy : routing.feedBackBy
                    guard !routing.held, now > due, !deadline.isMet(by: events, due: due), !deadline.wasEscalated(in: events) else { return .rollback }
                    let next = decide(report, routing)
                    try ReportRows.insertRouting(next, for: report, kind: .escalated, sequence: (events.map(\.sequence).max() ?? 0) + 1,
                                                 at: .recorded(for: report.wayOfRaising, at: now), into: db)
                    escalated = true
                    return .commit
                }
                return escalated
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save-escalation")
        }
    }

    public func reports(raisedBy reporter: Reporter) throws(StoreError) -> [Report] {
        do {
            return try queue.read { db in try ReportRows.all(in: db, uid: reporter.uid) }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func appendEvent(to reference: CaseReference, kind: CaseEvent.Kind, text: String?, actor: String?, at moment: Date) throws(StoreError) -> CaseEvent {
        do {
            return try writeTurn { db in
                var event: CaseEvent? = nil
                try db.inTransaction(.immediate) {
                    event = try ReportRows.appendEvent(to: reference, kind: kind, text: text, actor: actor, at: moment, in: db)
                    return .commit
                }
                return event!
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save-message")
        }
    }

    public func answerCheckIn(on reference: CaseReference, answer: DetrimentCheckIn.Answer, account: String, receipt: ReceiptCode?,
                              actor: String?, router: (any CaseRouter)?, at moment: Date) throws(StoreError) -> CheckInAnswered {
        // The slow hash and the router are made before the transaction, as for a submit.
        let derived = answer == .yes ? try receipt.map { code throws(StoreError) in try hasher().derive(code) } : nil
        let router = answer == .yes ? try Self.prepare(router) : nil
        var linkedReference = CaseReference.random()
        for _ in 0..<8 {
            do {
                let answered = try writeTurn { db in
                    var answered: CheckInAnswered? = nil
                    try db.inTransaction(.immediate) {
                        guard let original = try ReportRows.all(in: db, reference: reference.text).first else {
                            throw StoreError(.missing, "There is no case \(reference) in this store.")
                        }
                        // Read inside the transaction: the same check-in answered a moment ago elsewhere is refused.
                        let events = try ReportRows.events(for: reference, in: db)
                        let months = try CheckInRules.due(events, on: moment)
                        let actor = original.wayOfRaising == .anonymous ? nil : actor
                        var linked: Report? = nil
                        var routing: CaseRouting? = nil
                        if answer == .yes {
                            let report = DetrimentCheckIn.linkedReport(from: original, months: months, account: account, reference: linkedReference, at: moment)
                            routing = try Self.store(report, receipt: derived, owner: nil, router: router, in: db)
                            linked = report
                        }
                        let text = DetrimentCheckIn.Recorded(months: months, answer: answer, linked: linked?.reference).text
                        let event = try ReportRows.appendEvent(to: reference, kind: .detrimentCheckIn, text: text, actor: actor, at: moment, in: db)
                        if let linked {
                            _ = try ReportRows.appendEvent(to: linked.reference, kind: .detrimentLinked,
                                                           text: DetrimentCheckIn.Link(months: months, original: reference).text,
                                                           actor: actor, at: moment, in: db)
                        }
                        answered = CheckInAnswered(event: event, linked: linked, routing: routing)
                        return .commit
                    }
                    return answered!
                }
                if answered.event.actor == nil, answered.linked?.wayOfRaising == .anonymous { wipeLog() }
                return answered
            } catch let error as DatabaseError where ReportRows.isReferenceCollision(error) {
                linkedReference = .random()
            } catch {
                throw StoreErrors.translate(error, path: path, doing: "save-message")
            }
        }
        throw StoreError(.failed, "SpeakUp could not find a free case reference. Your answer was not saved; please try again.")
    }

    /// A draft is a convenience: saving one never holds the reporter up for longer than this.
    static let draftWait = 2.0

    public func saveDraft(_ draft: ReportDraft, owner: Reporter, at moment: Date) throws(StoreError) {
        guard draft.wayOfRaising != .anonymous else { return }  // never on disk before submit
        do {
            let body = String(decoding: try JSONEncoder().encode(draft), as: UTF8.self)
            try writeTurnInTransaction(waitingAtMost: Self.draftWait) { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO draft (owner_uid, saved, body) VALUES (?, ?, ?)",
                    arguments: [Int64(owner.uid), SubmissionTime.instant(moment).text, body])
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save-draft")
        }
    }

    public func draft(owner: Reporter) throws(StoreError) -> ReportDraft? {
        do {
            let body = try queue.read { db in
                try String.fetchOne(db, sql: "SELECT body FROM draft WHERE owner_uid = ?", arguments: [Int64(owner.uid)])
            }
            guard let body else { return nil }
            do {
                return try JSONDecoder().decode(ReportDraft.self, from: Data(body.utf8))
            } catch {
                // Never taken for "no draft": the next save would overwrite what the person wrote.
                throw StoreError(.damaged, "Your unsent report from earlier is kept, but it could not be read (it may have been written by another version of SpeakUp).")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    public func discardDraft(owner: Reporter) throws(StoreError) {
        do {
            try writeTurnInTransaction { db in try db.execute(sql: "DELETE FROM draft WHERE owner_uid = ?", arguments: [Int64(owner.uid)]) }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "save-draft")
        }
        wipeLog()
    }

    /// Copies the log into the file and empties it, so earlier page images (a
    /// draft's words, before an anonymous report) do not stay in the -wal file.
    /// secure_delete has already zeroed the deleted rows in the pages copied.
    /// Another terminal reading at that moment can stop the log emptying fully;
    /// the next quiet moment completes it.
    private func wipeLog() {
        // Housekeeping: it never keeps a reporter waiting on another terminal for long.
        wait.begin(seconds: 0.5)
        defer { wait.end() }
        _ = try? queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// The receipt hasher for this store (its salt is read once).
    private func hasher() throws(StoreError) -> ReceiptHasher {
        if let cached = cachedHasher.withLock({ $0 }) { return cached }
        do {
            let salt = try queue.read { db in
                try Data.fetchOne(db, sql: "SELECT value FROM store_secret WHERE name = 'receipt-salt'")
            }
            guard let salt else { throw StoreError(.damaged, "The store at \(path) has lost its receipt salt. Please tell IT.") }
            let hasher = ReceiptHasher(salt: Array(salt), rounds: receiptRounds)
            cachedHasher.withLock { $0 = hasher }
            return hasher
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    /// Records in the audit trail that a handler opened a case.
    public func recordOpening(_ reference: CaseReference, by actor: String, at moment: Date) throws(StoreError) {
        do {
            try writeTurn { db in
                try db.inTransaction(.immediate) {
                    try AuditTrail.append(
                        AuditEntry(at: .instant(moment), actor: actor, action: "opened", reference: reference.text), in: db)
                    return .commit
                }
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "audit")
        }
    }

    /// Records a handler's decision on a subject access disclosure in the audit trail.
    public func recordSubjectAccess(_ decision: SubjectAccessDecision, by actor: String, at moment: Date) throws(StoreError) {
        do {
            try writeTurn { db in
                try db.inTransaction(.immediate) {
                    try AuditTrail.append(decision.entry(by: actor, at: moment), in: db)
                    return .commit
                }
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "audit")
        }
    }

    /// Chains the audit records still waiting from days before `today`, then checks the whole chain.
    public func verifyAudit(today: CalendarDay, anchor: (position: Int, hash: String)? = nil) throws(StoreError) -> AuditVerification {
        try sealAudit(today: today)
        do {
            return try queue.read { db in try AuditTrail.verify(in: db, anchor: anchor) }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "audit")
        }
    }

    /// Chains the audit records still waiting from days before `today` (the tick does this, so
    /// a quiet day's anonymous records do not wait longer than they must).
    public func sealAudit(today: CalendarDay) throws(StoreError) {
        do {
            try writeTurn { db in
                try db.inTransaction(.immediate) {
                    try AuditTrail.sealWaiting(before: today, in: db)
                    return .commit
                }
            }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "audit")
        }
    }

    /// The audit chain, oldest first.
    public func auditRecords() throws(StoreError) -> [AuditRecord] {
        do {
            return try queue.read { db in try AuditTrail.records(in: db) }
        } catch {
            throw StoreErrors.translate(error, path: path, doing: "read")
        }
    }

    /// The schema versions applied to this store, oldest first.
    public func appliedMigrations() throws -> [String] {
        try queue.read { db in try StoreSchema.migrator.appliedMigrations(db) }
    }

    /// Runs raw SQL against the store: for tests and benchmarks that need to
    /// provoke failures (such as a full disk) or look under the hood.
    public func withDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.writeWithoutTransaction(body)
    }

    /// Writes, in this process's turn among every process using the store (see WriterTurn).
    ///
    /// Copying the log back into the database (a checkpoint, with its own flush) is
    /// done after the turn is let go, not inside some unlucky reporter's commit:
    /// a passive checkpoint runs beside other writers and never waits for them.
    func writeTurn<T>(checkpointing: Bool = true, _ body: (Database) throws -> T) throws -> T {
        wait.begin()
        defer { wait.end() }
        let result = try givingUpWhenStopped { try turn.take(waiting: wait) { try queue.writeWithoutTransaction(body) } }
        if checkpointing { checkpoint() }
        return result
    }

    /// Copies the log back into the file if it has grown (see `writeTurn`). A submit leaves this
    /// to its caller, who calls it once the reporter has been told their report is saved.
    public func tidy() {
        checkpoint()
    }

    /// As `writeTurn`, inside one transaction.
    /// `seconds` shortens the wait for housekeeping that should never hold a person up (a draft).
    func writeTurnInTransaction<T>(waitingAtMost seconds: Double? = nil, _ body: (Database) throws -> T) throws -> T {
        wait.begin(seconds: seconds.map { min($0, wait.seconds) })
        defer { wait.end() }
        let result = try givingUpWhenStopped { try turn.take(waiting: wait) { try queue.write(body) } }
        checkpoint()
        return result
    }

    /// SQLite says "busy" when its busy handler gives up; if that was because the person
    /// stopped waiting, say that instead.
    private func givingUpWhenStopped<T>(_ write: () throws -> T) throws -> T {
        do {
            return try write()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && wait.wasCancelled {
            throw StoreWaitEnded(cancelled: true)
        }
    }

    /// Whether the log has grown enough for a checkpoint (`LogSize`), forgetting it when it has: the caller runs one.
    func takeCheckpointDue() -> Bool {
        guard logSize.needsCheckpoint else { return false }
        logSize.record(0)
        return true
    }

    private func checkpoint() {
        guard logSize.needsCheckpoint else { return }
        logSize.record(0)
        _ = try? queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
    }

    /// Brings the schema up to date. Two terminals opening a new store at the same
    /// moment both try; each migration is its own transaction, so the one that loses
    /// a race rolls back and simply reads again what the other has applied.
    private static func migrate(_ queue: DatabaseQueue, with migrator: DatabaseMigrator) throws {
        var attempt = 0
        while true {
            do {
                try migrator.migrate(queue)
                return
            } catch {
                attempt += 1
                if try queue.read({ db in try migrator.hasCompletedMigrations(db) }) { return }
                if attempt >= 20 { throw error }
                usleep(useconds_t(20_000 * attempt))
            }
        }
    }

    private static func checkIsSpeakUpStore(_ db: Database, path: String, mayBeNew: Bool) throws {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        if tables.isEmpty && !mayBeNew {
            throw StoreError(.notAStore, "\(path) is empty, not a SpeakUp store. Please check the path; SpeakUp will not change it.")
        }
        if !tables.isEmpty && !tables.contains("grdb_migrations") {
            throw StoreError(.notAStore, "\(path) is an SQLite database, but not a SpeakUp store. Please check the path; SpeakUp will not change it.")
        }
    }
}
