import Foundation
import PostgresNIO
import SpeakUpCore
@_spi(StoreEngines) import SpeakUpStore

/// What a reporter comes back for, on PostgreSQL: their reports (by login, or by receipt), each
/// case's timeline and routing, and their answers.
extension PostgresReportStore {
    public func sealsReports() throws(StoreError) -> Bool {
        try recoveryKey() != nil
    }

    public func replySecret(forReceipt code: ReceiptCode) throws(StoreError) -> [UInt8] {
        try hasher().derive(code).replySecret
    }

    public func report(forReceipt code: ReceiptCode) throws(StoreError) -> Report? {
        let hash = try hasher().hash(code)
        return try read { session in
            guard let reference = try session.texts("SELECT reference FROM receipt WHERE hash = \(Data(hash))").first else { return nil }
            return try PostgresReportRows.reports(in: session, reference: reference).first
        }
    }

    public func reports(raisedBy reporter: Reporter) throws(StoreError) -> [Report] {
        try read { session in try PostgresReportRows.reports(in: session, uid: reporter.uid) }
    }

    public func events(for reference: CaseReference) throws(StoreError) -> [CaseEvent] {
        try read { session in try PostgresReportRows.events(for: reference, in: session) }
    }

    public func routing(for reference: CaseReference) throws(StoreError) -> CaseRouting? {
        try read { session in
            guard var routing = try PostgresReportRows.latestRouting(for: reference, in: session) else { return nil }
            routing.noHandlerHoldsKey = try session.rows(PostgresQuery(unsafeSQL: StoredForm.noHandlerHoldsKey, binds: {
                var binds = PostgresBindings()
                binds.append(reference.text)
                return binds
            }())).first.map { row throws(StoreError) in try row.flag("keyless") } ?? false
            return routing
        }
    }

    public func appendEvent(to reference: CaseReference, kind: CaseEvent.Kind, text: String?, actor: String?, at moment: Date) throws(StoreError)
        -> CaseEvent {
        try write(.saveMessage) { session in
            try PostgresReportRows.appendEvent(to: reference, kind: kind, text: text, actor: actor, at: moment, in: session)
        }
    }

    public func answerCheckIn(on reference: CaseReference, answer: DetrimentCheckIn.Answer, account: String, receipt: ReceiptCode?,
                              actor: String?, router: (any CaseRouter)?, at moment: Date) throws(StoreError) -> CheckInAnswered {
        // The slow hash and the router are made before the transaction, as for a submit.
        let derived = answer == .yes ? try receipt.map { code throws(StoreError) in try hasher().derive(code) } : nil
        let router = answer == .yes ? try Self.prepare(router) : nil
        for _ in 0..<8 {
            let linkedReference = CaseReference.random()
            do {
                return try transaction(.saveMessage) { session in
                    guard let original = try PostgresReportRows.reports(in: session, reference: reference.text).first else {
                        throw StoreError(.missing, "There is no case \(reference) in this store.")
                    }
                    // The case's row is locked before its events are read, so the same check-in answered at
                    // the same moment elsewhere waits, then finds it answered and is refused.
                    _ = try session.query("SELECT 1 FROM case_file WHERE reference = \(reference.text) FOR UPDATE")
                    let events = try PostgresReportRows.events(for: reference, in: session)
                    let months = try CheckInRules.due(events, on: moment)
                    let actor = original.wayOfRaising == .anonymous ? nil : actor
                    var linked: Report? = nil
                    var routing: CaseRouting? = nil
                    if answer == .yes {
                        let report = DetrimentCheckIn.linkedReport(from: original, months: months, account: account, reference: linkedReference, at: moment)
                        routing = try Self.store(report, receipt: derived, owner: nil, router: router, in: session)
                        linked = report
                    }
                    let text = DetrimentCheckIn.Recorded(months: months, answer: answer, linked: linked?.reference).text
                    let event = try PostgresReportRows.appendEvent(to: reference, kind: .detrimentCheckIn, text: text, actor: actor, at: moment, in: session)
                    if let linked {
                        _ = try PostgresReportRows.appendEvent(to: linked.reference, kind: .detrimentLinked,
                                                               text: DetrimentCheckIn.Link(months: months, original: reference).text,
                                                               actor: actor, at: moment, in: session)
                    }
                    return CheckInAnswered(event: event, linked: linked, routing: routing)
                }
            } catch is ReferenceTaken {
                continue
            } catch let ended as WaitEnded {
                throw ended.error
            } catch {
                throw PostgresStoreFailure.translate(error, at: location, doing: .saveMessage)
            }
        }
        throw StoreError(.failed, "SpeakUp could not find a free case reference. Your answer was not saved; please try again.")
    }
}

/// Drafts of open and confidential reports on PostgreSQL, one per reporter.
extension PostgresReportStore {
    public func saveDraft(_ draft: ReportDraft, owner: Reporter, at moment: Date) throws(StoreError) {
        guard draft.wayOfRaising != .anonymous else { return }  // never stored before submit
        try write(.saveDraft) { session in
            let body = String(decoding: try JSONEncoder().encode(draft), as: UTF8.self)
            try RefusedText.check([body], what: "Your draft")
            _ = try session.query("""
                INSERT INTO draft (owner_uid, saved, body) VALUES (\(Int(owner.uid)), \(SubmissionTime.instant(moment).text), \(body))
                ON CONFLICT (owner_uid) DO UPDATE SET saved = EXCLUDED.saved, body = EXCLUDED.body
                """)
        }
    }

    public func draft(owner: Reporter) throws(StoreError) -> ReportDraft? {
        let body = try read { session in try session.texts("SELECT body FROM draft WHERE owner_uid = \(Int(owner.uid))").first }
        guard let body else { return nil }
        do {
            return try JSONDecoder().decode(ReportDraft.self, from: Data(body.utf8))
        } catch {
            // Never taken for "no draft": the next save would overwrite what the person wrote.
            throw StoreError(.damaged, "Your unsent report from earlier is kept, but it could not be read (it may have been written by another version of SpeakUp).")
        }
    }

    public func discardDraft(owner: Reporter) throws(StoreError) {
        try write(.saveDraft) { session in _ = try session.query("DELETE FROM draft WHERE owner_uid = \(Int(owner.uid))") }
    }
}

/// The staff directory on PostgreSQL, replaced whole by each import.
extension PostgresReportStore {
    public func replaceStaff(_ members: [StaffMember], by actor: String?, at moment: Date?) throws(StoreError) {
        let moment = moment ?? clock.now()
        try write(.directory) { session in
            for member in members {
                try RefusedText.check([member.id, member.name, member.unixUser, member.role, member.managerID, member.ward] + member.knownAs,
                                      what: "The directory's entry \(member.id.debugDescription)")
            }
            _ = try session.query("DELETE FROM staff")
            for member in members {
                _ = try session.query("""
                    INSERT INTO staff (id, name, unix_user, role, seniority, manager_id, ward, known_as)
                    VALUES (\(member.id), \(member.name), \(member.unixUser), \(member.role), \(member.seniority.rawValue), \(member.managerID),
                            \(member.ward), \(member.knownAs.joined(separator: "; ")))
                    """)
            }
            // Every import is recorded, with the directory as imported, so a later change outside SpeakUp shows.
            try PostgresAuditTrail.append(
                AuditEntry(at: .instant(moment), actor: actor, action: "directory-replaced", reference: nil,
                           detail: "\(members.count) people", content: try PostgresContentDigest.ofStaff(in: session)), in: session)
        }
    }

    public func staff() throws(StoreError) -> [StaffMember] {
        try read { session in
            try session.rows("SELECT * FROM staff ORDER BY id").map { row in
                StaffMember(
                    id: try row.string("id"), name: try row.string("name"), unixUser: try row.text("unix_user"), role: try row.string("role"),
                    seniority: Seniority(rawValue: try row.string("seniority")) ?? .unknown, managerID: try row.text("manager_id"),
                    ward: try row.string("ward"),
                    knownAs: (try row.text("known_as") ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) })
            }
        }
    }
}

/// The audit trail on PostgreSQL (see `PostgresAuditTrail`).
extension PostgresReportStore {
    public func recordOpening(_ reference: CaseReference, by actor: String, at moment: Date) throws(StoreError) {
        try write(.audit) { session in
            try PostgresAuditTrail.append(AuditEntry(at: .instant(moment), actor: actor, action: "opened", reference: reference.text), in: session)
        }
    }

    public func recordSubjectAccess(_ decision: SubjectAccessDecision, by actor: String, at moment: Date) throws(StoreError) {
        try write(.audit) { session in
            try PostgresAuditTrail.append(decision.entry(by: actor, at: moment), in: session)
        }
    }

    public func verifyAudit(today: CalendarDay, anchor: (position: Int, hash: String)?) throws(StoreError) -> AuditVerification {
        try sealAudit(today: today)
        let records = try read { session in try session.number("SELECT count(*) FROM audit_record") ?? 0 }
        return try write(.audit, allowing: Self.verifySeconds(records: records, waiting: wait.seconds)) { session in
            try PostgresAuditTrail.verify(in: session, anchor: anchor)
        }
    }

    /// Seconds a verify of `records` audit records may take: one transaction however long the trail,
    /// so the store's wait and a millisecond more a record (a release build reads and checks one in
    /// about 40 µs on the 2-core machine, a page of 2,000 at a time; a trail of a million records
    /// may take 17 minutes). Ctrl-C still stops it at once.
    static func verifySeconds(records: Int, waiting seconds: Double) -> Double {
        seconds + Double(records) * 0.001
    }

    public func sealAudit(today: CalendarDay) throws(StoreError) {
        try write(.audit) { session in try PostgresAuditTrail.sealWaiting(before: today, in: session) }
    }

    public func auditRecords() throws(StoreError) -> [AuditRecord] {
        try read { session in try PostgresAuditTrail.records(in: session) }
    }
}
