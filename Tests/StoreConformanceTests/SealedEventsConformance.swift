import Foundation
import Testing
import SpeakUpCore
import SpeakUpStore
import TestPostgres
@testable import SpeakUpSealing

@Suite("Conformance: notes and messages on a sealed case are sealed, opened by its handlers and by the reporter's receipt code (each engine)")
struct SealedEventsConformance {
    typealias Sealing = SealedReportConformance

    static let code = ReceiptCode(typed: "1234 5678 9012 3456")!

    /// The texts of a case's events as the store keeps them.
    static func storedTexts(_ reference: CaseReference, _ made: StoreUnderTest) throws -> [String] {
        try made.store.events(for: reference).compactMap(\.text)
    }

    @Test("a handler's note, message and what was learned are sealed on a sealed case, and opened again by the workspace",
          arguments: Engine.allCases)
    func handlerWords(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try Sealing.sealing(made)
        let stored = try made.store.submit(Examples.report(.anonymous), receipt: Self.code, discardingDraftOf: nil, router: Sealing.SealingRouter())
        let desk = SealedSearchDesk(inner: made.store.desk(policy: EveryoneMay()), store: made.store, key: { keys.gita })
        try desk.act(.note("Spoke to Ottoline Nurse in confidence."), on: stored.reference, by: "gita", at: Examples.moment)
        try desk.act(.message("Thank you: we are looking into it."), on: stored.reference, by: "gita", at: Examples.moment)
        try desk.act(.close(.upheld, learned: "Handovers need a second person."), on: stored.reference, by: "gita", at: Examples.moment)
        let texts = try Self.storedTexts(stored.reference, made).joined(separator: "\n")
        for words in ["Ottoline", "looking into it", "Handovers"] { #expect(!texts.contains(words), "kept in clear: \(words)") }
        #expect(texts.contains("Outcome: Upheld"), "what SpeakUp writes itself stays readable")
        let file = ReportSeal.open(try #require(try desk.openCase(stored.reference, for: "gita", at: Examples.moment)), with: keys.gita)
        let opened = file.events.compactMap(\.text)
        #expect(opened.contains("Spoke to Ottoline Nurse in confidence."))
        #expect(opened.contains("Thank you: we are looking into it."))
        #expect(opened.contains("What was learned: Handovers need a second person."))
        // A handler holding the case without a wrapping (ina) sees none of the words, nor their sealed form.
        let ina = ReportSeal.open(try #require(try desk.openCase(stored.reference, for: "ina", at: Examples.moment)), with: SealingKeyPair.generate())
        #expect(!ina.events.contains { $0.text.map(SealedEventText.isSealed) == true || $0.text?.contains("Ottoline") == true })
        #expect(ina.events.contains { $0.text == SealedEventText.notOpened })
        // The note is not in the search index; the handler's search does not find it either way in clear.
        var query = QueueQuery()
        query.status = .all  // (it was closed)
        query.search = "Ottoline"
        #expect(try made.store.desk(policy: EveryoneMay()).queue(query, for: "gita", now: Examples.moment).rows.isEmpty)
        // The handler's own search opens sealed notes with the rest: in a new session, and at once for a note just written.
        let fresh = SealedSearchDesk(inner: made.store.desk(policy: EveryoneMay()), store: made.store, key: { keys.gita })
        #expect(try fresh.queue(query, for: "gita", now: Examples.moment).rows.map(\.reference) == [stored.reference])
        query.search = "Handovers second"
        #expect(try fresh.queue(query, for: "gita", now: Examples.moment).rows.map(\.reference) == [stored.reference], "what was learned too")
        try fresh.act(.note("Spoke to Zebedee on the phone."), on: stored.reference, by: "gita", at: Examples.moment)
        query.search = "Zebedee"
        #expect(try fresh.queue(query, for: "gita", now: Examples.moment).rows.map(\.reference) == [stored.reference])
        #expect(try made.store.verifyAudit(today: CalendarDay(year: 2027, month: 1, day: 1)!, anchor: nil).firstBroken == nil)
    }

    @Test("words in clear on a sealed case are refused by the store, nothing saved; a handler with no wrapping cannot write on it",
          arguments: Engine.allCases)
    func clearRefused(engine: Engine) throws {
        let made = try engine.freshStore()
        _ = try Sealing.sealing(made)
        let stored = try made.store.submit(Examples.report(.anonymous), receipt: Self.code, discardingDraftOf: nil, router: Sealing.SealingRouter())
        let plain = made.store.desk(policy: EveryoneMay())
        let before = try made.store.events(for: stored.reference).count
        for action in [CaseAction.note("In clear"), .message("In clear"), .close(.upheld, learned: "In clear")] {
            let error = #expect(throws: StoreError.self) { try plain.act(action, on: stored.reference, by: "gita", at: Examples.moment) }
            #expect(error?.sentence.contains("must be sealed too") == true)
        }
        let reply = #expect(throws: StoreError.self) {
            _ = try made.store.appendEvent(to: stored.reference, kind: .reporterMessage, text: "In clear", at: Examples.moment)
        }
        #expect(reply?.sentence.contains("nothing was saved") == true)
        #expect(try made.store.events(for: stored.reference).count == before)
        // ina holds the case but no wrapping: what she writes is refused before it reaches the store.
        let inaDesk = SealedSearchDesk(inner: plain, store: made.store, key: { SealingKeyPair.generate() })
        let ina = #expect(throws: StoreError.self) { try inaDesk.act(.note("Mine"), on: stored.reference, by: "ina", at: Examples.moment) }
        #expect(ina?.sentence.contains("not for your key") == true)
        // Actions with no words of the reporter's or a handler's still go through.
        try plain.act(.acknowledge, on: stored.reference, by: "gita", at: Examples.moment)
        #expect(try made.store.events(for: stored.reference).count == before + 1)
    }

    @Test("the reporter's receipt code opens the handler's message and seals their reply, which the handler opens; a wrong code opens nothing",
          arguments: Engine.allCases)
    func reporterReplies(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try Sealing.sealing(made)
        let stored = try made.store.submit(Examples.report(.anonymous), receipt: Self.code, discardingDraftOf: nil, router: Sealing.SealingRouter())
        #expect(try made.store.caseKeys(stored.reference)[SealedEventText.reporterRecipient] != nil)
        let desk = SealedSearchDesk(inner: made.store.desk(policy: EveryoneMay()), store: made.store, key: { keys.gita })
        try desk.act(.message("Could you tell us which shift?"), on: stored.reference, by: "gita", at: Examples.moment)
        try desk.act(.note("Internal only."), on: stored.reference, by: "gita", at: Examples.moment)
        let found = try #require(try made.store.report(forReceipt: Self.code))
        let replies = try #require(try ReceiptReplyKeys(store: made.store).replies(to: found, receipt: Self.code))
        let seen = replies.open(try made.store.events(for: stored.reference))
        #expect(seen.contains { $0.kind == .handlerMessage && $0.text == "Could you tell us which shift?" })
        let sealedReply = try replies.seal("The night shift, on Tuesday.", actor: nil)
        #expect(SealedEventText.isSealed(sealedReply))
        _ = try made.store.appendEvent(to: stored.reference, kind: .reporterMessage, text: sealedReply, at: Examples.moment)
        #expect(!(try Self.storedTexts(stored.reference, made)).joined().contains("Tuesday"))
        let file = ReportSeal.open(try #require(try desk.openCase(stored.reference, for: "gita", at: Examples.moment)), with: keys.gita)
        #expect(file.events.contains { $0.kind == .reporterMessage && $0.text == "The night shift, on Tuesday." })
        // Another code finds nothing; the reply key another code makes does not open this case's key.
        let other = ReceiptCode(typed: "9999 8888 7777 6666")!
        #expect(try made.store.report(forReceipt: other) == nil)
        #expect(throws: StoreError.self) { _ = try ReceiptReplyKeys(store: made.store).replies(to: found, receipt: other) }
    }

    @Test("a note moved into a message (which the reporter would read), or given another writer, does not open", arguments: Engine.allCases)
    func movedWords(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try Sealing.sealing(made)
        let stored = try made.store.submit(Examples.report(.anonymous), receipt: Self.code, discardingDraftOf: nil, router: Sealing.SealingRouter())
        let desk = SealedSearchDesk(inner: made.store.desk(policy: EveryoneMay()), store: made.store, key: { keys.gita })
        try desk.act(.note("Manager Mallory is a friend of mine."), on: stored.reference, by: "gita", at: Examples.moment)
        let sequence = try #require(try made.store.events(for: stored.reference).last { $0.kind == .note }?.sequence)
        // Someone who can write to the database turns the note into a message to the reporter.
        if engine == .sqlite {
            try made.asOwner("DROP TRIGGER case_event_no_update")
            try made.asOwner("UPDATE case_event SET kind = 'handler-message' WHERE reference = '\(stored.reference.text)' AND sequence = \(sequence)")
        } else {
            try made.asOwner("ALTER TABLE case_event DISABLE TRIGGER USER")
            try made.asOwner("UPDATE case_event SET kind = 'handler-message' WHERE reference = '\(stored.reference.text)' AND sequence = \(sequence)")
            try made.asOwner("ALTER TABLE case_event ENABLE TRIGGER USER")
        }
        let found = try #require(try made.store.report(forReceipt: Self.code))
        let replies = try #require(try ReceiptReplyKeys(store: made.store).replies(to: found, receipt: Self.code))
        let moved = try #require(replies.open(try made.store.events(for: stored.reference)).first { $0.sequence == sequence })
        #expect(moved.text?.contains("Mallory") == false)
        #expect(moved.text?.contains("changed outside SpeakUp") == true)
        #expect(moved.text?.contains(stored.reference.text) == true)
    }

    @Test("on a named report (no receipt code, so no key for the reporter) messages stay readable and notes are sealed", arguments: Engine.allCases)
    func namedReport(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try Sealing.sealing(made)
        let stored = try made.store.submit(Sealing.report(), receipt: nil, discardingDraftOf: nil, router: Sealing.SealingRouter())
        #expect(try made.store.caseKeys(stored.reference)[SealedEventText.reporterRecipient] == nil)
        let desk = SealedSearchDesk(inner: made.store.desk(policy: EveryoneMay()), store: made.store, key: { keys.gita })
        try desk.act(.message("Can we meet on Friday?"), on: stored.reference, by: "gita", at: Examples.moment)
        try desk.act(.note("Check the rota first."), on: stored.reference, by: "gita", at: Examples.moment)
        let texts = try Self.storedTexts(stored.reference, made)
        #expect(texts.contains("Can we meet on Friday?"), "the reporter reads it by their login, with no key")
        #expect(!texts.joined().contains("rota"))
        _ = try made.store.appendEvent(to: stored.reference, kind: .reporterMessage, text: "Friday suits me.", actor: "ben", at: Examples.moment)
    }

    @Test("a named report given a reply code: its messages are sealed for the code, which opens them but is no way to find the report",
          arguments: Engine.allCases)
    func namedWithReplyCode(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try Sealing.sealing(made)
        #expect(try made.store.sealsReports())
        let stored = try made.store.submit(Sealing.report(), receipt: Self.code, discardingDraftOf: nil, router: Sealing.SealingRouter())
        #expect(try made.store.report(forReceipt: Self.code) == nil, "a login leads to it; the code only opens the replies")
        #expect(try made.store.caseKeys(stored.reference)[SealedEventText.reporterRecipient] != nil)
        let desk = SealedSearchDesk(inner: made.store.desk(policy: EveryoneMay()), store: made.store, key: { keys.gita })
        try desk.act(.message("Can we meet on Friday?"), on: stored.reference, by: "gita", at: Examples.moment)
        #expect(!(try Self.storedTexts(stored.reference, made)).joined().contains("Friday"))
        let mine = try #require(try made.store.reports(raisedBy: Examples.ben).first { $0.reference == stored.reference })
        let replyKeys = ReceiptReplyKeys(store: made.store)
        #expect(try replyKeys.repliesSealed(for: mine))
        let replies = try #require(try replyKeys.replies(to: mine, receipt: Self.code))
        #expect(replies.open(try made.store.events(for: stored.reference)).contains { $0.text == "Can we meet on Friday?" })
        let wrong = #expect(throws: StoreError.self) { _ = try replyKeys.replies(to: mine, receipt: ReceiptCode(typed: "0000 0000 0000 0001")!) }
        #expect(wrong?.sentence.contains("does not open the replies") == true)
        // Their reply in clear is refused; sealed with the code, it is kept, and the handler opens it.
        #expect(throws: StoreError.self) {
            _ = try made.store.appendEvent(to: stored.reference, kind: .reporterMessage, text: "Friday suits me.", actor: "ben", at: Examples.moment)
        }
        _ = try made.store.appendEvent(to: stored.reference, kind: .reporterMessage, text: try replies.seal("Friday suits me.", actor: "ben"),
                                       actor: "ben", at: Examples.moment)
        let file = ReportSeal.open(try #require(try desk.openCase(stored.reference, for: "gita", at: Examples.moment)), with: keys.gita)
        #expect(file.events.contains { $0.kind == .reporterMessage && $0.actor == "ben" && $0.text == "Friday suits me." })
    }

    @Test("the store's files hold none of a sealed case's notes or replies", arguments: Engine.allCases)
    func bytesOnDisk(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try Sealing.sealing(made)
        let unique = "Xanthippe\(UUID().uuidString.prefix(6))"
        let stored = try made.store.submit(Examples.report(.anonymous), receipt: Self.code, discardingDraftOf: nil, router: Sealing.SealingRouter())
        let desk = SealedSearchDesk(inner: made.store.desk(policy: EveryoneMay()), store: made.store, key: { keys.gita })
        try desk.act(.note("Note about \(unique)."), on: stored.reference, by: "gita", at: Examples.moment)
        try desk.act(.message("Message about \(unique)."), on: stored.reference, by: "gita", at: Examples.moment)
        let found = try #require(try made.store.report(forReceipt: Self.code))
        let replies = try #require(try ReceiptReplyKeys(store: made.store).replies(to: found, receipt: Self.code))
        _ = try made.store.appendEvent(to: stored.reference, kind: .reporterMessage, text: try replies.seal("Reply about \(unique).", actor: nil),
                                       at: Examples.moment)
        try desk.act(.close(.upheld, learned: "Learned about \(unique)."), on: stored.reference, by: "gita", at: Examples.moment)
        let needle = Data(unique.utf8)
        for file in try SealedReportConformance.storeFiles(made, engine) {
            guard let bytes = FileManager.default.contents(atPath: file) else { continue }
            #expect(bytes.range(of: needle) == nil, "\(file) holds a sealed case's words")
        }
    }
}
