import Foundation
import PostgresNIO
import Testing
import SpeakUpCore
@testable import SpeakUpPostgres

/// `audit verify` reads the trail a page at a time, with the digests of each page's events read
/// together: the same answer as a whole read, whatever the page, and a changed event found where it is.
@Suite("PostgreSQL audit verify: the trail read a page at a time")
struct AuditPagesTests {
    @Test("read three records at a time the trail verifies as it does whole; an event changed in a later page is found at its record")
    func pages() throws {
        let database = try TestDatabase()
        let store = try PostgresReportStore(address: database.socketAddress, password: nil, receiptRounds: 1 << 10)
        var references: [CaseReference] = []
        for index in 0..<8 {
            let report = ServerWaitTests.report()
            references.append(try store.submit(report, receipt: nil, discardingDraftOf: nil, router: nil).reference)
            _ = try store.appendEvent(to: report.reference, kind: .reporterMessage, text: "It happened again (\(index)).", actor: nil, at: Date())
        }
        func verified(page: Int) throws -> AuditVerification {
            try store.read { session in try PostgresAuditTrail.verify(in: session, anchor: nil, page: page) }
        }
        let whole = try verified(page: 10_000)
        #expect(whole.firstBroken == nil)
        #expect(whole.records >= 16)
        for page in [1, 3, 5] { #expect(try verified(page: page) == whole, "page of \(page)") }

        let superuser = try database.superuserSession()
        defer { superuser.close() }
        _ = try superuser.query("ALTER TABLE case_event DISABLE TRIGGER USER")
        _ = try superuser.query("UPDATE case_event SET text = 'It never happened.' WHERE reference = \(references[6].text) AND sequence = 2")
        let position = try #require(try superuser.number(
            "SELECT position FROM audit_record WHERE reference = \(references[6].text) AND event = 2"))
        for page in [1, 3, 10_000] {
            let found = try verified(page: page)
            #expect(found.firstBroken?.position == position, "page of \(page): \(String(describing: found.firstBroken))")
        }
    }
}
