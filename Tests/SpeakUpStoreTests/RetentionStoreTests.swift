import Foundation
import GRDB
import Testing
import SpeakUpCore
@testable import SpeakUpStore

/// Routes every report to asha, for erasure tests.
private struct ToAsha: CaseRouter {
    func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
        CaseRouting(level: .informal, roles: ["guardian"], handlers: ["asha"], acknowledgeBy: from.addingTimeInterval(7 * 86_400),
                    feedBackBy: from.addingTimeInterval(90 * 86_400), explanation: ["Routed for the retention test."], candidates: ["S-1"])
    }
}

private struct Anyone: HandlerPolicy {
    func refusal(of handler: String, for report: CaseSubject) -> String? { nil }
}

@Suite("Retention on SQLite: erased words leave the file and its log")
struct RetentionStoreTests {
    static let phrase = "the quokkaberry incident on the night of the eclipse"
    static let word = "Zyxquokkaberry"

    static func bytes(_ folder: TemporaryFolder) -> (main: Data, wal: Data) {
        ((try? Data(contentsOf: URL(fileURLWithPath: folder.file()))) ?? Data(),
         (try? Data(contentsOf: URL(fileURLWithPath: folder.file() + "-wal"))) ?? Data())
    }

    @Test("a distinctive phrase and word in a report's account and a note are in the main file or the WAL before the run, and in neither after", arguments: [false, true])
    func erasedBytesAreGone(vacuum: Bool) throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        var report = Reports.make(.confidential, account: "I saw \(Self.phrase). \(Self.word) was mentioned by name.")
        report.subject = Subject(name: "Dr Quokkaberryson", role: "registrar", seniority: .seniorClinician)
        let stored = try store.submit(report, receipt: nil, discardingDraftOf: nil, router: ToAsha())
        for index in 0..<30 {  // other cases, kept, so the erased one shares its pages
            _ = try store.submit(Reports.make(.open, account: "Unrelated account \(index) about the rota."), receipt: nil, discardingDraftOf: nil, router: ToAsha())
        }
        try store.indexPendingWords()
        let desk = store.desk(policy: Anyone())
        try desk.act(.note("Followed up \(Self.word) with HR."), on: stored.reference, by: "asha", at: Reports.moment.addingTimeInterval(60))
        try desk.act(.close(.upheld, learned: "Nothing about \(Self.word)."), on: stored.reference, by: "asha", at: Reports.moment.addingTimeInterval(120))
        let before = Self.bytes(folder)
        let all = before.main + before.wal
        #expect(all.range(of: Data(Self.word.utf8)) != nil && all.range(of: Data(Self.phrase.utf8)) != nil, "the words are there to begin with")

        let policy = RetentionPolicy(closedCases: .init(1, .days), receipts: .init(1, .days), drafts: .init(1, .days))
        let today = CalendarDay(Reports.moment.addingTimeInterval(10 * 86_400), in: .gmt)
        let plan = try store.retentionPlan(policy, today: today)
        #expect(plan.cases.map(\.reference) == [stored.reference])
        #expect(try store.eraseCase(plan.cases[0], policy: policy, today: today, by: "root", at: Reports.moment))
        try store.compactAfterErasure()
        if vacuum { try store.vacuum() }

        let after = Self.bytes(folder)
        for (name, data) in [("main file", after.main), ("WAL", after.wal)] {
            #expect(data.range(of: Data(Self.phrase.utf8)) == nil, "the phrase is still in the \(name)")
            #expect(data.range(of: Data(Self.word.utf8)) == nil, "the word is still in the \(name)")
            #expect(data.range(of: Data(Self.word.lowercased().utf8)) == nil, "the indexed word is still in the \(name)")
            #expect(data.range(of: Data("Quokkaberryson".utf8)) == nil, "the subject's name is still in the \(name)")
        }
        #expect(try store.verifyAudit(today: today, anchor: nil).firstBroken == nil)
        #expect(try store.appliedMigrations().contains("v15-retention-and-erasure"))
    }

    @Test("the database refuses to change a report or event that has not been erased, or to remove an open case's receipt")
    func refusals() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 1 << 10)
        let stored = try store.submit(Reports.make(.anonymous), receipt: ReceiptCode.random(), discardingDraftOf: nil, router: ToAsha())
        #expect(throws: (any Error).self) { try store.withDatabase { db in try db.execute(sql: "UPDATE report SET account = '' WHERE reference = ?", arguments: [stored.reference.text]) } }
        #expect(throws: (any Error).self) { try store.withDatabase { db in try db.execute(sql: "UPDATE case_event SET text = NULL WHERE reference = ?", arguments: [stored.reference.text]) } }
        #expect(throws: (any Error).self, "an open case's receipt stays") { try store.withDatabase { db in try db.execute(sql: "DELETE FROM receipt") } }
        #expect(try store.withDatabase { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM receipt") } == 1)
    }
}
