import Foundation
import GRDB
import Testing
import SpeakUpCore
import SpeakUpRules
@testable import SpeakUpStore

/// A router that sends every report to fixed handlers (urgent when harm is severe).
struct FixedRouter: CaseRouter {
    var handlers: [String]
    func route(_ report: Report, history: any ReportHistory, from: Date) -> CaseRouting {
        let urgent = report.harm == .severe
        return CaseRouting(level: urgent ? .urgent : .informal, roles: ["guardian"], handlers: handlers,
                           acknowledgeBy: from.addingTimeInterval(urgent ? 86_400 : 7 * 86_400),
                           feedBackBy: from.addingTimeInterval(90 * 86_400), explanation: ["Fixed."])
    }
}

@Suite("The guardian's workspace over the store")
struct CaseDeskTests {
    static let day: TimeInterval = 86_400

    static func report(_ account: String, harm: PatientHarm = .none, concerns: [ConcernCategory] = [.rudeOrAggressive],
                       location: String = "Ward 7", at moment: Date = Reports.moment) -> Report {
        Report(reference: .random(), wayOfRaising: .confidential, concerns: concerns,
               subject: Subject(name: "Dr Smith", role: "consultant", seniority: .seniorClinician), location: location, harm: harm,
               account: account, reporter: Reporter(userName: "ben", uid: 1002),
               reporterDetails: ReporterDetails(name: "Ben", contact: "", professionalGroup: .nursing),
               submitted: .recorded(for: .confidential, at: moment))
    }

    static func store(_ folder: TemporaryFolder) throws -> SQLiteReportStore {
        try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
    }

    @Test("the queue holds only the handler's cases, urgent first, then by deadline; closed ones only when asked")
    func queueOrder() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let gita = FixedRouter(handlers: ["gita"]), sam = FixedRouter(handlers: ["sam"])
        let older = try store.submit(Self.report("Older."), router: gita)
        let later = try store.submit(Self.report("Later.", at: Reports.moment.addingTimeInterval(3600)), router: gita)
        let urgent = try store.submit(Self.report("Severe.", harm: .severe, at: Reports.moment.addingTimeInterval(7200)), router: gita)
        _ = try store.submit(Self.report("Someone else's."), router: sam)
        let rows = try store.queue(QueueQuery(), for: "gita", now: Reports.moment)
        #expect(rows.map(\.reference) == [urgent.reference, older.reference, later.reference])
        // The conflict check reads the reports of a page in one go.
        #expect(Set(try store.reports(rows.map(\.reference)).map(\.reference)) == Set(rows.map(\.reference)))
        #expect(rows[0].level == .urgent && rows[0].deadlineKind == .acknowledge)
        try store.act(.close(.resolvedInformally, learned: "Talked it through."), on: older.reference, by: "gita", at: Reports.moment)
        #expect(try store.queue(QueueQuery(), for: "gita", now: Reports.moment).map(\.reference) == [urgent.reference, later.reference])
        var closed = QueueQuery()
        closed.status = .closed
        #expect(try store.queue(closed, for: "gita", now: Reports.moment).map(\.reference) == [older.reference])
    }

    @Test("each queue row says who the report is about, as written (name, role), or nothing when nobody was named")
    func queueAbout() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let gita = FixedRouter(handlers: ["gita"])
        let named = try store.submit(Self.report("Named."), router: gita)
        var unnamed = Self.report("Unnamed.", at: Reports.moment.addingTimeInterval(3600))
        unnamed.subject = Subject(name: nil, role: "  ", seniority: .unknown)
        let nobody = try store.submit(unnamed, router: gita)
        let rows = try store.queue(QueueQuery(), for: "gita", now: Reports.moment)
        #expect(rows.first { $0.reference == named.reference }?.about == "Dr Smith, consultant")
        #expect(rows.first { $0.reference == nobody.reference }?.about == "")
    }

    @Test("filters: status, level, overdue, category, location; and full-text search over accounts and notes, by word start")
    func filtersAndSearch() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let router = FixedRouter(handlers: ["gita"])
        let a = try store.submit(Self.report("Threw a clipboard at the porter.", concerns: [.rudeOrAggressive], location: "Ward 7"), router: router)
        let b = try store.submit(Self.report("Left the drug cupboard open.", harm: .severe, concerns: [.unsafePractice], location: "Theatre 2"), router: router)
        try store.act(.acknowledge, on: a.reference, by: "gita", at: Reports.moment)
        try store.act(.note("Spoke to the porter; he saw the clipboard too."), on: b.reference, by: "gita", at: Reports.moment)
        func refs(_ configure: (inout QueueQuery) -> Void, now: Date = Reports.moment) throws -> [CaseReference] {
            var query = QueueQuery()
            configure(&query)
            return try store.queue(query, for: "gita", now: now).map(\.reference)
        }
        #expect(try refs { $0.status = .new } == [b.reference])
        #expect(try refs { $0.status = .acknowledged } == [a.reference])
        #expect(try refs { $0.level = .urgent } == [b.reference])
        #expect(try refs { $0.category = .rudeOrAggressive } == [a.reference])
        #expect(try refs { $0.location = "theatre" } == [b.reference])
        #expect(try refs({ $0.overdueOnly = true }, now: Reports.moment.addingTimeInterval(2 * Self.day)) == [b.reference])
        #expect(try refs { $0.search = "cupb" } == [b.reference])
        #expect(try Set(refs { $0.search = "porter" }) == [a.reference, b.reference])  // the note is searched too
        #expect(try refs { $0.search = "clipboard porter" }.count == 2)
        #expect(try refs { $0.search = "\" OR NEAR(* AND" }.isEmpty)  // FTS syntax typed is only words
        #expect(try refs { $0.search = "nothing-like-this" }.isEmpty)
    }

    @Test("opening a case: only its handlers may, and each opening is in the audit trail")
    func openingAudited() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let report = try store.submit(Self.report("Shouted."), router: FixedRouter(handlers: ["gita"]))
        #expect(try store.openCase(report.reference, for: "sam", at: Reports.moment) == nil)
        let file = try #require(try store.openCase(report.reference, for: "gita", at: Reports.moment))
        #expect(file.report == report && file.status == .new && file.routing?.handlers == ["gita"])
        #expect(try store.auditRecords().filter { $0.entry.action == "opened" }.map(\.entry.actor) == ["gita"])
        #expect(throws: StoreError.self) { try store.act(.acknowledge, on: report.reference, by: "sam", at: Reports.moment) }
    }

    @Test("actions are appended events with the acting handler; notes and reassignments never reach follow-up's list of kinds")
    func actionsAsEvents() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let report = try store.submit(Self.report("Shouted."), router: FixedRouter(handlers: ["gita", "sam"]))
        try store.act(.acknowledge, on: report.reference, by: "gita", at: Reports.moment)
        try store.act(.note("Internal: check the rota."), on: report.reference, by: "gita", at: Reports.moment)
        try store.act(.message("Thank you. Which shift was it?"), on: report.reference, by: "sam", at: Reports.moment)
        try store.act(.changeLevel(.awareness), on: report.reference, by: "gita", at: Reports.moment)
        try store.act(.close(.upheld, learned: "Handover now has a checklist."), on: report.reference, by: "gita", at: Reports.moment)
        let events = try store.events(for: report.reference)
        #expect(events.map(\.kind) == [.received, .routed, .acknowledged, .note, .handlerMessage, .levelChanged, .note, .closed])
        #expect(events.dropFirst(2).map(\.actor) == ["gita", "gita", "sam", "gita", "gita", "gita"])
        // What was learned is an internal note; the reporter reads only the outcome.
        #expect(events[6].text == "What was learned: Handover now has a checklist.")
        #expect(events.last?.text == "Outcome: Upheld: action taken.")
        #expect(events.filter(\.kind.isShownToReporter).map(\.kind) == [.received, .routed, .acknowledged, .handlerMessage, .closed])
        #expect(throws: StoreError.self) { try store.act(.note("   "), on: report.reference, by: "gita", at: Reports.moment) }
        // A closed case takes notes only.
        #expect(throws: StoreError.self) { try store.act(.message("More?"), on: report.reference, by: "gita", at: Reports.moment) }
        try store.act(.note("Followed up at the team meeting."), on: report.reference, by: "gita", at: Reports.moment)
        // The level shown is the handler's, not the first routing's.
        let reopened = try #require(try store.openCase(report.reference, for: "gita", at: Reports.moment))
        #expect(reopened.routing?.level == .awareness)
    }

    @Test("reassigning moves the case; recusing moves it and the recused handler never gets it back, even from an escalation")
    func reassignAndRecuse() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let report = try store.submit(Self.report("Shouted."), router: FixedRouter(handlers: ["gita"]))
        try store.act(.reassign(to: "sam"), on: report.reference, by: "gita", at: Reports.moment)
        #expect(try store.queue(QueueQuery(), for: "gita", now: Reports.moment).isEmpty)
        #expect(try store.queue(QueueQuery(), for: "sam", now: Reports.moment).map(\.reference) == [report.reference])
        try store.act(.recuse(to: ["ria"]), on: report.reference, by: "sam", at: Reports.moment)
        #expect(try store.queue(QueueQuery(), for: "sam", now: Reports.moment).isEmpty)
        #expect(try store.openCase(report.reference, for: "sam", at: Reports.moment) == nil)
        #expect(try store.queue(QueueQuery(), for: "ria", now: Reports.moment).count == 1)
        // ria cannot pass it back to sam, who stepped away.
        #expect(throws: StoreError.self) { try store.act(.reassign(to: "sam"), on: report.reference, by: "ria", at: Reports.moment) }
        // An escalation that names everyone again leaves sam (recused) and gita (passed it on) out.
        _ = try store.escalate(report.reference, missed: .acknowledge, at: Reports.moment.addingTimeInterval(8 * Self.day)) { _, routing in
            var next = routing
            next.handlers = ["gita", "sam", "ria", "zoe"]
            return next
        }
        let holders = try store.withDatabase { db in
            try String.fetchAll(db, sql: "SELECT handler FROM case_handler WHERE reference = ? ORDER BY handler", arguments: [report.reference.text])
        }
        #expect(holders == ["ria", "zoe"])
        // The last handler cannot recuse into nobody.
        let lone = try store.submit(Self.report("Alone."), router: FixedRouter(handlers: ["gita"]))
        #expect(throws: StoreError.self) { try store.act(.recuse(to: []), on: lone.reference, by: "gita", at: Reports.moment) }
    }

    @Test("two handlers acting on one case at the same moment both land, in order")
    func simultaneousActions() async throws {
        let folder = TemporaryFolder()
        let path = folder.file()
        let report = try Self.store(folder).submit(Self.report("Shouted."), router: FixedRouter(handlers: ["gita", "sam"]))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for handler in ["gita", "sam"] {
                group.addTask {
                    let store = try SQLiteReportStore(path: path, receiptRounds: 1 << 10)
                    for n in 0..<20 { try store.act(.note("\(handler) \(n)"), on: report.reference, by: handler, at: Reports.moment) }
                }
            }
            try await group.waitForAll()
        }
        let events = try Self.store(folder).events(for: report.reference)
        #expect(events.count == 42)
        #expect(events.map(\.sequence) == Array(1...42))
        for handler in ["gita", "sam"] {
            #expect(events.filter { $0.actor == handler }.map(\.text) == (0..<20).map { "\(handler) \($0)" })
        }
    }

    @Test("reminders: a deadline within a day, then passed, each once per handler; seen ones go")
    func reminders() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let report = try store.submit(Self.report("Shouted."), router: FixedRouter(handlers: ["gita", "sam"]))
        #expect(try store.makeReminders(at: Reports.moment).isEmpty)
        let nearing = try store.makeReminders(at: Reports.moment.addingTimeInterval(6.5 * Self.day))
        #expect(nearing.count == 2 && nearing.allSatisfy { $0.stage == .nearing && $0.deadline == .acknowledge })
        #expect(try store.makeReminders(at: Reports.moment.addingTimeInterval(6.6 * Self.day)).isEmpty)  // once
        let passed = try store.makeReminders(at: Reports.moment.addingTimeInterval(8 * Self.day))
        #expect(passed.count == 2 && passed.allSatisfy { $0.stage == .passed })
        #expect(!passed[0].sentence.contains("Shouted"))
        #expect(try store.reminders(for: "gita").count == 2)
        try store.dismissReminders(for: "gita")
        #expect(try store.reminders(for: "gita").isEmpty && store.reminders(for: "sam").count == 2)
        try store.act(.acknowledge, on: report.reference, by: "sam", at: Reports.moment.addingTimeInterval(8 * Self.day))
        #expect(try store.makeReminders(at: Reports.moment.addingTimeInterval(9 * Self.day)).isEmpty)
    }

    @Test("statistics facts: times to acknowledge and close, lateness, and the speak-up-again answer")
    func facts() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let report = try store.submit(Self.report("Shouted."), router: FixedRouter(handlers: ["gita"]))
        try store.act(.acknowledge, on: report.reference, by: "gita", at: Reports.moment.addingTimeInterval(2 * Self.day))
        try store.act(.close(.upheld, learned: ""), on: report.reference, by: "gita", at: Reports.moment.addingTimeInterval(100 * Self.day))
        _ = try store.appendEvent(to: report.reference, kind: .speakUpAgain, text: "yes", at: Reports.moment.addingTimeInterval(101 * Self.day))
        let fact = try #require(try store.caseFacts().first)
        #expect(fact.acknowledgedAfterDays == 2 && fact.closedAfterDays == 100)
        #expect(!fact.acknowledgedLate && fact.closedLate)
        #expect(fact.speakUpAgain == .yes && fact.professionalGroup == .nursing)
    }

    @Test("stepping away after a co-handler left still passes the case on; never to someone who stepped away")
    func recuseAfterCoHandler() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let report = try store.submit(Self.report("Shouted."), router: FixedRouter(handlers: ["gita", "sam"]))
        try store.act(.recuse(to: ["ria"]), on: report.reference, by: "sam", at: Reports.moment)  // gita still has it
        #expect(try store.queue(QueueQuery(), for: "ria", now: Reports.moment).isEmpty)
        try store.act(.recuse(to: ["sam", "ria"]), on: report.reference, by: "gita", at: Reports.moment)
        #expect(try store.queue(QueueQuery(), for: "ria", now: Reports.moment).count == 1)
        #expect(try store.queue(QueueQuery(), for: "sam", now: Reports.moment).isEmpty)
    }

    @Test("a held report about the same person is neither counted nor listed until released")
    func heldStaysSealed() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        struct Holding: CaseRouter {
            func route(_ report: Report, history: any ReportHistory, from: Date) -> CaseRouting {
                var routing = FixedRouter(handlers: ["gita"]).route(report, history: history, from: from)
                routing.held = report.account.hasPrefix("Hold")
                return routing
            }
        }
        _ = try store.submit(Self.report("Hold this one."), router: Holding())
        let open = try store.submit(Self.report("Not held."), router: Holding())
        let file = try #require(try store.openCase(open.reference, for: "gita", at: Reports.moment))
        #expect(file.reportsAboutSamePerson == 1)
    }

    @Test("a handler's action on an anonymous case is in the audit chain under their name; the reporter's is not")
    func handlerNamedOnAnonymousCase() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        var anonymous = Self.report("Shouted.")
        anonymous = Report(reference: .random(), wayOfRaising: .anonymous, concerns: [.rudeOrAggressive], subject: anonymous.subject,
                           location: "", account: "Shouted.", reporter: nil, submitted: .recorded(for: .anonymous, at: Reports.moment))
        let stored = try store.submit(anonymous, receipt: .random(), router: FixedRouter(handlers: ["gita"]))
        try store.act(.acknowledge, on: stored.reference, by: "gita", at: Reports.moment)
        let records = try store.auditRecords()
        #expect(records.contains { $0.entry.action == "acknowledged" && $0.entry.actor == "gita" })
        #expect(!records.contains { $0.entry.action == "received" })  // still waiting, unordered, for its day to end
    }

    @Test("a timeline imported with a step-away keeps the recusal: re-routing by today's rules does not give the case back")
    func importKeepsRecusal() throws {
        let folder = TemporaryFolder()
        let store = try Self.store(folder)
        let report = Self.report("Shouted.")
        let events = [
            CaseEvent(reference: report.reference, sequence: 1, kind: .received, at: report.submitted),
            CaseEvent(reference: report.reference, sequence: 2, kind: .recused, at: report.submitted, text: "gita stepped away.", actor: "gita"),
        ]
        try store.importReports([(report, events)], router: FixedRouter(handlers: ["gita", "sam"]), by: "adam")
        #expect(try store.queue(QueueQuery(), for: "gita", now: Reports.moment).isEmpty)
        #expect(try store.queue(QueueQuery(), for: "sam", now: Reports.moment).count == 1)
        // The import is in the audit trail under the administrator, with the file's own words in the detail.
        let imported = try store.auditRecords().filter { $0.entry.action == "imported" }
        #expect(imported.count == 2 && imported.allSatisfy { $0.entry.actor == "adam" })
        #expect(imported[1].entry.detail?.contains("recused") == true && imported[1].entry.detail?.contains("by gita") == true)
    }
}
