import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpTUI

/// A store in memory that can be told to fail.
final class MemoryStore: ReportStore, @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [Report] = []
    var failure: StoreError?

    func submit(_ report: Report) throws(StoreError) -> Report {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        reports.append(report)
        return report
    }

    func allReports() throws(StoreError) -> [Report] { lock.withLock { reports } }

    func events(for reference: CaseReference) throws(StoreError) -> [CaseEvent] { [] }
}

@Suite("A whole session on a headless terminal")
struct ReporterSessionTests {
    static let person = Reporter(userName: "asha", uid: 1001)
    static let clock = FixedClock(Date(timeIntervalSince1970: 1_795_770_106))

    static func keys(way: Int) -> [Key] {
        Array(repeating: .down, count: way) + [.enter, .character(" "), .enter, .enter]
            + "Ward 7".map(Key.character) + [.enter, .paste("He shouted."), .tab, .enter]
    }

    @Test("a confidential report is saved with the reporter, and the confirmation shows its reference")
    func confidential() throws {
        let store = MemoryStore()
        let terminal = TestTerminal(keys: Self.keys(way: 1) + [.enter])
        let outcome = ReporterSession(store: store, reporter: Self.person, clock: Self.clock).run(on: terminal)
        let saved = try #require(try store.allReports().first)
        #expect(outcome == .submitted(saved))
        #expect(saved.reporter == Self.person)
        #expect(saved.account == "He shouted.")
        #expect(terminal.frames.contains { $0.text.contains("Your case reference is  \(saved.reference.text)") })
    }

    @Test("an anonymous report never carries the person at the terminal")
    func anonymous() throws {
        let store = MemoryStore()
        _ = ReporterSession(store: store, reporter: Self.person, clock: Self.clock)
            .run(on: TestTerminal(keys: Self.keys(way: 2)))
        let saved = try #require(try store.allReports().first)
        #expect(saved.reporter == nil)
        #expect(saved.submitted == .day("2026-11-27"))
    }

    @Test("a store failure keeps the form and shows the sentence; trying again after it clears works")
    func failureThenRetry() throws {
        let store = MemoryStore()
        store.failure = StoreError(.diskFull, "The disk holding the store is full.")
        let terminal = TestTerminal(keys: Self.keys(way: 0))
        _ = ReporterSession(store: store, reporter: Self.person, clock: Self.clock).run(on: terminal)
        #expect(terminal.screen.contains("The disk holding the store is full. Press Enter to try again."))
        #expect(terminal.screen.contains("He shouted."))
        #expect(try store.allReports().isEmpty)

        store.failure = nil
        let retry = TestTerminal(keys: Self.keys(way: 0) + [.enter])
        let outcome = ReporterSession(store: store, reporter: Self.person, clock: Self.clock).run(on: retry)
        #expect(try store.allReports().count == 1)
        if case .submitted = outcome {} else { Issue.record("expected a submitted outcome, got \(outcome)") }
    }

    @Test("the confirmation is drawn only after the store has the report")
    func confirmationAfterCommit() {
        let store = MemoryStore()
        store.failure = StoreError(.busy, "busy")
        let terminal = TestTerminal(keys: Self.keys(way: 0))
        _ = ReporterSession(store: store, reporter: nil, clock: Self.clock).run(on: terminal)
        #expect(!terminal.frames.contains { $0.text.contains("Your report is saved") })
    }

    @Test("a hang-up mid-form ends the session without saving")
    func hangUp() throws {
        let store = MemoryStore()
        let outcome = ReporterSession(store: store, reporter: nil, clock: Self.clock)
            .run(on: TestTerminal(keys: [.enter, .character(" ")]))
        #expect(outcome == .hungUp)
        #expect(try store.allReports().isEmpty)
    }

    @Test("a burst of keys is drawn once, not once a key")
    func burstDrawnOnce() {
        let terminal = TestTerminal(batches: [Array(repeating: Key.down, count: 50)])
        _ = ReporterSession(store: MemoryStore(), reporter: nil, clock: Self.clock).run(on: terminal)
        #expect(terminal.frames.count == 2)  // the first screen, then one for the burst
    }
}
