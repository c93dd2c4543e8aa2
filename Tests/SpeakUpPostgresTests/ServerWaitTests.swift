import Foundation
import PostgresNIO
import Synchronization
import Testing
import SpeakUpCore
@testable import SpeakUpPostgres

/// A write kept waiting by the server (another session holding what it needs) is told to the
/// screen, ends at its deadline or at Ctrl-C, and saves nothing; the store carries on afterwards.
@Suite("PostgreSQL store: no wait without a deadline, and Ctrl-C stops one")
struct ServerWaitTests {
    static func report() -> Report {
        Report(reference: .random(), wayOfRaising: .confidential, concerns: [.rudeOrAggressive],
               subject: Subject(name: "Dr Smith", role: "consultant", seniority: .seniorClinician), location: "Ward 7",
               account: "Shouted at a patient.", reporter: Reporter(userName: "ben", uid: 1002),
               submitted: .recorded(for: .confidential, at: Date()))
    }

    /// The store, and another session holding the table a submit writes to until it is let go.
    static func heldStore(seconds: Double) throws -> (PostgresReportStore, PostgresSession) {
        let database = try TestDatabase()
        let store = try PostgresReportStore(address: database.socketAddress, password: nil, receiptRounds: 1 << 10,
                                            wait: StoreWait(seconds: seconds))
        let holder = try database.superuserSession()
        _ = try holder.query("BEGIN")
        _ = try holder.query("LOCK TABLE report IN ACCESS EXCLUSIVE MODE")
        return (store, holder)
    }

    @Test("held past its wait: told it is waiting, gives up at the deadline with a sentence, nothing saved; then saves once free")
    func deadline() throws {
        let (store, holder) = try Self.heldStore(seconds: 1)
        let seen = Atomic<Bool>(false)
        Thread.detachNewThread {
            for _ in 0..<100 {
                if store.writeWait?.waitingFor != nil { seen.store(true, ordering: .relaxed) }
                usleep(10_000)
            }
        }
        let started = Date()
        let error = #expect(throws: StoreError.self) { _ = try store.submit(Self.report(), receipt: nil, discardingDraftOf: nil, router: nil) }
        let took = Date().timeIntervalSince(started)
        #expect(took < 3, "gave up after \(took) s")
        #expect(error?.kind == .busy)
        #expect(error?.sentence.contains("did not answer within 1 second") == true, "\(error?.sentence ?? "")")
        let told = seen.load(ordering: .relaxed)
        #expect(told, "the screen was told the store is waiting")
        _ = try holder.query("ROLLBACK")
        holder.close()
        let saved = try store.submit(Self.report(), receipt: nil, discardingDraftOf: nil, router: nil)
        #expect(try store.allReports().map(\.reference) == [saved.reference])
    }

    @Test("Ctrl-C at the screen stops the wait at once: nothing saved, and the sentence says so")
    func cancelled() throws {
        let (store, holder) = try Self.heldStore(seconds: 30)
        Thread.detachNewThread {
            usleep(500_000)
            store.writeWait?.cancel()
        }
        let started = Date()
        let error = #expect(throws: StoreError.self) { _ = try store.submit(Self.report(), receipt: nil, discardingDraftOf: nil, router: nil) }
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(error?.sentence.hasPrefix("You stopped waiting for the store, so nothing was saved.") == true, "\(error?.sentence ?? "")")
        _ = try holder.query("ROLLBACK")
        holder.close()
        #expect(try store.allReports().isEmpty)
    }

    /// An import is one transaction on the server, so its deadline grows with it: ten reports may
    /// take the store's second and one more. Held for good, it gives up after those two seconds with
    /// nothing imported; held for a second and a half (past the store's own wait), it waits and saves all ten.
    @Test("an import may take the wait and a tenth of a second for each report it brings, and no more")
    func importDeadline() throws {
        func reports(_ count: Int) -> [(Report, [CaseEvent])] {
            (0..<count).map { _ in
                let report = Self.report()
                return (report, [CaseEvent(reference: report.reference, sequence: 1, kind: .received, at: report.submitted)])
            }
        }
        let (store, holder) = try Self.heldStore(seconds: 1)
        let started = Date()
        let error = #expect(throws: StoreError.self) { try store.importReports(reports(10), router: nil, by: "importer", at: nil) }
        let took = Date().timeIntervalSince(started)
        #expect(took > 1.8 && took < 5, "gave up after \(took) s")
        #expect(error?.sentence.contains("did not answer within 2 seconds, so nothing was saved. Nothing was imported.") == true, "\(error?.sentence ?? "")")
        _ = try holder.query("ROLLBACK")
        #expect(try store.allReports().isEmpty)

        _ = try holder.query("BEGIN")
        _ = try holder.query("LOCK TABLE report IN ACCESS EXCLUSIVE MODE")
        let released = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            usleep(1_500_000)
            _ = try? holder.query("ROLLBACK")
            released.signal()
        }
        let ten = reports(10)
        try store.importReports(ten, router: nil, by: "importer", at: nil)
        released.wait()
        holder.close()
        #expect(Set(try store.allReports().map(\.reference)) == Set(ten.map(\.0.reference)))
    }

    /// To the server, a SpeakUp process stopped by the person who ran it (`kill -STOP`) in the middle
    /// of a transaction is a session that sends nothing more: here, one that has locked the audit
    /// chain's head, as a submit's statement does before its COMMIT, and then says nothing.
    @Test("a session silent inside a transaction that holds the audit chain's head is ended by the server after 5 s; a submit waiting behind it saves")
    func silentHolder() throws {
        let database = try TestDatabase()
        let store = try PostgresReportStore(address: database.socketAddress, password: nil, receiptRounds: 1 << 10, wait: StoreWait(seconds: 10))
        defer { store.close() }
        let holder = try database.superuserSession()
        defer { holder.close() }
        _ = try holder.query("BEGIN")
        _ = try holder.query("SELECT position FROM audit_head FOR UPDATE")
        let started = Date()
        let saved = try store.submit(Self.report(), receipt: nil, discardingDraftOf: nil, router: nil)
        let took = Date().timeIntervalSince(started)
        #expect(took > PostgresSession.idleInTransactionSeconds - 1 && took < 9, "saved after \(took) s")
        #expect(try store.allReports().map(\.reference) == [saved.reference])
        #expect(throws: StoreError.self, "the silent session was ended") { _ = try holder.query("SELECT 1") }
        #expect(try store.verifyAudit(today: CalendarDay.local(Date()), anchor: nil).firstBroken == nil)
    }
}
