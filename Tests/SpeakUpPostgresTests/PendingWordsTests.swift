import Foundation
import PostgresNIO
import Testing
import SpeakUpCore
@testable import SpeakUpPostgres

/// Cases whose words are not in the search index yet (a store copied in leaves every case so) are
/// indexed a batch at a time, each batch its own transaction, so no single deadline bounds how
/// many there may be.
@Suite("PostgreSQL search index: cases left waiting are indexed a batch at a time")
struct PendingWordsTests {
    struct ToAsha: CaseRouter {
        func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
            CaseRouting(level: .informal, roles: ["guardian"], handlers: ["asha"], acknowledgeBy: from.addingTimeInterval(86_400),
                        feedBackBy: from.addingTimeInterval(28 * 86_400), explanation: ["For the test."])
        }
    }

    struct EveryoneMay: HandlerPolicy {
        func refusal(of handler: String, for report: CaseSubject) -> String? { nil }
    }

    @Test("five cases waiting, indexed two at a time: every one found by its words and its note afterwards, none left waiting; a note with no text left is passed over")
    func batches() throws {
        let database = try TestDatabase()
        let store = try PostgresReportStore(address: database.socketAddress, password: nil, receiptRounds: 1 << 10)
        var references: [CaseReference] = []
        for index in 0..<5 {
            let report = Report(reference: .random(), wayOfRaising: .confidential, concerns: [.rudeOrAggressive],
                                subject: Subject(name: "Dr Smith", role: "consultant", seniority: .seniorClinician), location: "Ward 7",
                                account: "Shouted at porter \(index) by the zebrafinch cage.", reporter: Reporter(userName: "ben", uid: 1002),
                                submitted: .recorded(for: .confidential, at: Date()))
            references.append(try store.submit(report, receipt: nil, discardingDraftOf: nil, router: ToAsha()).reference)
        }
        let desk = store.desk(policy: EveryoneMay())
        try desk.act(.note("Spoke to the kestrel keeper."), on: references[3], by: "asha", at: Date())
        // As a copy leaves a store: no words indexed, every case waiting.
        let superuser = try database.superuserSession()
        defer { superuser.close() }
        _ = try superuser.query("DELETE FROM case_text")
        _ = try superuser.query("INSERT INTO case_text_pending (reference) SELECT reference FROM case_file ON CONFLICT DO NOTHING")
        func found(_ words: String) throws -> Set<CaseReference> {
            var query = QueueQuery()
            query.search = words
            query.status = .all
            return Set(try desk.queue(query, for: "asha", now: Date()).rows.map(\.reference))
        }
        #expect(try found("zebrafinch").isEmpty)

        try store.indexPendingWords(batch: 2)
        #expect(try superuser.number("SELECT count(*) FROM case_text_pending") == 0)
        #expect(try superuser.number("SELECT count(*) FROM case_text") == 5)
        #expect(try found("zebrafinch") == Set(references))
        #expect(try found("porter 2") == [references[2]])
        #expect(try found("kestrel") == [references[3]], "a note is indexed with its case")
        try store.indexPendingWords(batch: 2)
        #expect(try superuser.number("SELECT count(*) FROM case_text") == 5, "nothing waiting: nothing done")

        // An erased case's events keep no text (retention): its case is indexed without the note.
        _ = try superuser.query("ALTER TABLE case_event DISABLE TRIGGER USER")
        _ = try superuser.query("UPDATE case_event SET text = NULL WHERE kind = 'note'")
        _ = try superuser.query("ALTER TABLE case_event ENABLE TRIGGER USER")
        _ = try superuser.query("INSERT INTO case_text_pending (reference) SELECT reference FROM case_file ON CONFLICT DO NOTHING")
        try store.indexPendingWords(batch: 2)
        #expect(try found("kestrel").isEmpty)
        #expect(try found("zebrafinch") == Set(references))
    }
}
