import Foundation
import Testing
import SpeakUpCore
import SpeakUpStore
import TestPostgres
@testable import SpeakUpSealing

@Suite("Conformance: reports sealed on submit for whoever may hold them, opened only with their keys (each engine)")
struct SealedReportConformance {
    /// Routes to gita and ina (who has no key); asha may hold it too; mo is kept from it.
    struct SealingRouter: CaseRouter {
        func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
            var routing = CaseRouting(level: .informal, roles: ["guardian"], handlers: ["gita", "ina"], acknowledgeBy: from.addingTimeInterval(7 * Examples.day),
                                      feedBackBy: from.addingTimeInterval(90 * Examples.day), explanation: ["Routed for the sealing suite."])
            routing.mayHold = ["gita", "asha", "ina"]
            return routing
        }
    }

    struct Keys {
        let gita: SealingKeyPair
        let asha: SealingKeyPair
        let mo: SealingKeyPair
        let recovery: SealingKeyPair
    }

    /// A sealing store: the recovery key made, and keys for gita, asha and mo.
    static func sealing(_ made: StoreUnderTest) throws -> Keys {
        let recovery = SealingKeyPair.generate()
        try made.store.keepRecoveryKey(TrustRecoveryKey(publicKey: recovery.publicKey.bytes, madeAt: Examples.moment), by: "ivan", at: Examples.moment)
        func key(_ handler: String) throws -> SealingKeyPair {
            try HandlerKeyring(store: made.store, handler: handler, cost: .forTestsOnly, now: { Examples.moment })
                .makeKey(passphrase: "blue kettle morning", again: "blue kettle morning")
        }
        return Keys(gita: try key("gita"), asha: try key("asha"), mo: try key("mo"), recovery: recovery)
    }

    static let secret = "Quixotic-\(UUID().uuidString.prefix(8)) shouted at the student in the sluice room."

    static func report() -> Report {
        var report = Examples.report(.confidential, account: secret)
        report.witnesses = "Wilhelmina Witness saw it."
        report.staffImpact = "The student went home in tears."
        report.reporterDetails = ReporterDetails(name: "Benedetta Reporter", contact: "extension 4471", professionalGroup: .nursing)
        return report
    }

    @Test("a store with no recovery key keeps words as it always did", arguments: Engine.allCases)
    func notSealing(engine: Engine) throws {
        let made = try engine.freshStore()
        let stored = try made.store.submit(Self.report(), receipt: nil, discardingDraftOf: nil, router: SealingRouter())
        let back = try #require(try made.store.allReports().first { $0.reference == stored.reference })
        #expect(back.sealed == nil)
        #expect(back.account == Self.secret)
        #expect(try made.transfer.count(of: "case_key") == 0)
    }

    /// A terminal's program opens the store long before the report is sent (a form takes minutes):
    /// sealing set up in between, from another host, still seals the report.
    @Test("a store that began sealing after it was opened seals the next report, never keeping its words in clear",
          arguments: Engine.allCases)
    func sealingSetUpWhileAFormWasOpen(engine: Engine) throws {
        let made = try engine.freshStore()
        _ = try made.store.submit(Examples.report(), receipt: nil, discardingDraftOf: nil, router: SealingRouter())
        let elsewhere = try made.another()
        _ = try Self.sealing(StoreUnderTest(store: elsewhere, transfer: made.transfer, raw: made.raw, asOwner: made.asOwner,
                                            another: made.another, cleanUp: {}))
        let stored = try made.store.submit(Self.report(), receipt: nil, discardingDraftOf: nil, router: SealingRouter())
        let back = try #require(try made.store.allReports().first { $0.reference == stored.reference })
        #expect(back.sealed != nil)
        #expect(back.account.isEmpty)
        #expect(try made.transfer.count(of: "case_key") > 0)
        #expect(try made.store.verifyAudit(today: CalendarDay(Examples.moment, in: .gmt), anchor: nil).firstBroken == nil)
    }

    @Test("a sealing store keeps the words sealed: read back empty, wrapped for those who may hold it with a key and for the recovery key",
          arguments: Engine.allCases)
    func sealedOnSubmit(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try Self.sealing(made)
        let sent = Self.report()
        let stored = try made.store.submit(sent, receipt: nil, discardingDraftOf: nil, router: SealingRouter())
        #expect(stored.account == Self.secret, "the reporter's confirmation is made from what they sent")
        let back = try #require(try made.store.allReports().first { $0.reference == stored.reference })
        #expect(back.sealed != nil)
        #expect(back.account.isEmpty && back.witnesses.isEmpty && back.staffImpact.isEmpty)
        #expect(back.reporterDetails?.name == "" && back.reporterDetails?.professionalGroup == .nursing)
        #expect(back.location == "Ward 7" && back.concerns == [.rudeOrAggressive], "what routing and the figures need stays readable")
        let wrapped = try made.transfer.rows(of: "case_key")
        let recipients = wrapped.rows.compactMap { row -> String? in
            guard let index = wrapped.columns.firstIndex(of: "recipient"), case .text(let name) = row[index] else { return nil }
            return name
        }
        #expect(recipients.sorted() == ["#recovery", "asha", "gita"], "ina has no key yet; mo may not hold it")
        // The recovery key opens it too.
        let recoveryWrapped = try #require(wrapped.rows.first { row in row.contains(.text("#recovery")) }?.compactMap { value -> [UInt8]? in
            if case .bytes(let bytes) = value { return bytes } else { return nil } }.first)
        #expect(try ReportSeal.open(back, wrapped: recoveryWrapped, with: keys.recovery).account == Self.secret)
        // Nor can anyone else's key open the recovery key's wrapping.
        #expect(throws: SealingFailure.self) { _ = try ReportSeal.open(back, wrapped: recoveryWrapped, with: keys.mo) }
        // The search index holds none of the sealed words.
        let desk = made.store.desk(policy: EveryoneMay())
        var query = QueueQuery()
        query.search = "Quixotic"
        #expect(try desk.queue(query, for: "gita", now: Examples.moment).rows.isEmpty)
        query.search = ""
        #expect(try desk.queue(query, for: "gita", now: Examples.moment).rows.map(\.reference) == [stored.reference])
        #expect(try made.store.verifyAudit(today: CalendarDay(year: 2027, month: 1, day: 1)!, anchor: nil).firstBroken == nil)
    }

    @Test("the workspace opens a sealed case with the handler's key; a handler with no wrapping is told why, never shown the words",
          arguments: Engine.allCases)
    func openedInWorkspace(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try Self.sealing(made)
        let stored = try made.store.submit(Self.report(), receipt: nil, discardingDraftOf: nil, router: SealingRouter())
        let desk = made.store.desk(policy: EveryoneMay())
        let file = try #require(try desk.openCase(stored.reference, for: "gita", at: Examples.moment))
        #expect(file.wrappedKey != nil)
        let opened = ReportSeal.open(file, with: keys.gita)
        #expect(opened.unopened == nil)
        #expect(opened.report.account == Self.secret)
        #expect(opened.report.witnesses == "Wilhelmina Witness saw it.")
        #expect(opened.report.reporterDetails?.name == "Benedetta Reporter")
        #expect(opened.report.reporterDetails?.contact == "extension 4471")
        // Someone the case was not wrapped for (ina, who had no key when it was sent).
        let other = try #require(try desk.openCase(stored.reference, for: "ina", at: Examples.moment))
        #expect(other.wrappedKey == nil)
        let refused = ReportSeal.open(other, with: SealingKeyPair.generate())
        #expect(refused.unopened?.contains("not for your key") == true)
        #expect(refused.unopened?.contains("recovery key opens it") == true)
        #expect(refused.report.account.isEmpty)
        // gita's wrapping offered to asha's key does not open.
        var swapped = file
        swapped.wrappedKey = file.wrappedKey
        #expect(ReportSeal.open(swapped, with: keys.asha).unopened?.contains("sealed for an earlier key of yours") == true)
    }

    @Test("a sealed field changed in the store, or a wrapped key moved from another case, is refused with the case named",
          arguments: Engine.allCases)
    func tampered(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try Self.sealing(made)
        let first = try made.store.submit(Self.report(), receipt: nil, discardingDraftOf: nil, router: SealingRouter())
        let second = try made.store.submit(Self.report(), receipt: nil, discardingDraftOf: nil, router: SealingRouter())
        let desk = made.store.desk(policy: EveryoneMay())
        // The second case's key offered with the first case's words.
        var moved = try #require(try desk.openCase(first.reference, for: "gita", at: Examples.moment))
        moved.wrappedKey = try #require(try desk.openCase(second.reference, for: "gita", at: Examples.moment)).wrappedKey
        #expect(ReportSeal.open(moved, with: keys.gita).unopened?.contains(first.reference.text) == true)
        // One byte of the sealed words changed, by someone who can write to the database.
        // (The store refuses the change itself; its owner can switch that off.)
        if engine == .sqlite {
            try made.asOwner("DROP TRIGGER report_no_update")
            // Byte 21 set to another value than its own, whatever it was. (The new bytes are written whole:
            // SQL's || would read the blob as text and cut it at its first zero byte.)
            let rows = try made.transfer.rows(of: "report")
            let column = try #require(rows.columns.firstIndex(of: "sealed"))
            let reference = try #require(rows.columns.firstIndex(of: "reference"))
            let row = try #require(rows.rows.first { $0[reference] == .text(first.reference.text) })
            guard case .bytes(var sealed) = row[column] else { Issue.record("no sealed bytes"); return }
            sealed[20] ^= 0xFF
            let hex = sealed.map { String(format: "%02X", $0) }.joined()
            try made.asOwner("UPDATE report SET sealed = X'\(hex)' WHERE reference = '\(first.reference.text)'")
        } else {
            try made.asOwner("ALTER TABLE report DISABLE TRIGGER USER")
            try made.asOwner("UPDATE report SET sealed = set_byte(sealed, 20, get_byte(sealed, 20) # 255) WHERE reference = '\(first.reference.text)'")
            try made.asOwner("ALTER TABLE report ENABLE TRIGGER USER")
        }
        let changed = ReportSeal.open(try #require(try desk.openCase(first.reference, for: "gita", at: Examples.moment)), with: keys.gita)
        #expect(changed.unopened?.contains("changed outside SpeakUp") == true, "\(String(describing: changed.unopened))")
        #expect(changed.report.account.isEmpty)
    }

    @Test("the store's own files hold none of a sealed report's words, nor the reporter's name", arguments: Engine.allCases)
    func bytesOnDisk(engine: Engine) throws {
        let made = try engine.freshStore()
        _ = try Self.sealing(made)
        let unique = "Zyzzogeton\(UUID().uuidString.prefix(6))"
        var report = Self.report()
        report.account = "\(unique) threw a tray at the porter."
        report.reporterDetails = ReporterDetails(name: "Reporter\(unique)", contact: "", professionalGroup: .nursing)
        _ = try made.store.submit(report, receipt: nil, discardingDraftOf: nil, router: SealingRouter())
        let needle = Data(unique.utf8)
        for file in try Self.storeFiles(made, engine) {
            guard let bytes = FileManager.default.contents(atPath: file) else { continue }
            #expect(bytes.range(of: needle) == nil, "\(file) holds the sealed words")
        }
    }

    /// Every file the store keeps: SQLite's main file, WAL and shared memory; PostgreSQL's whole data
    /// directory, after a checkpoint.
    static func storeFiles(_ made: StoreUnderTest, _ engine: Engine) throws -> [String] {
        let files: [String]
        switch engine {
        case .sqlite:
            let path = made.store.location
            files = [path, path + "-wal", path + "-shm"].filter { FileManager.default.fileExists(atPath: $0) }
        case .postgres:
            try made.asOwner("CHECKPOINT")
            let cluster = try ThrowawayCluster.shared()
            let enumerator = FileManager.default.enumerator(atPath: cluster.folder)
            var found: [String] = []
            while let name = enumerator?.nextObject() as? String {
                var directory: ObjCBool = false
                let full = cluster.folder + "/" + name
                if FileManager.default.fileExists(atPath: full, isDirectory: &directory), !directory.boolValue { found.append(full) }
            }
            files = found
        }
        #expect(!files.isEmpty)
        return files
    }

    @Test("importing into a sealing store seals what it imports before keeping it: the words and notes sealed, messages readable, routed and opened as any case",
          arguments: Engine.allCases)
    func imports(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try Self.sealing(made)
        let report = Self.report()
        let events = [
            CaseEvent(reference: report.reference, sequence: 1, kind: .received, at: report.submitted),
            CaseEvent(reference: report.reference, sequence: 2, kind: .note, at: report.submitted, text: "Imported note about Yarrow.", actor: "gita"),
            CaseEvent(reference: report.reference, sequence: 3, kind: .handlerMessage, at: report.submitted, text: "Thank you for telling us.", actor: "gita"),
        ]
        try made.store.importReports([(report, events)], router: SealingRouter(), by: "ivan", at: Examples.moment)
        let back = try #require(try made.store.allReports().first)
        #expect(back.sealed != nil && back.account.isEmpty)
        let texts = try made.store.events(for: report.reference).compactMap(\.text)
        #expect(!texts.joined().contains("Yarrow") && texts.contains("Thank you for telling us."))
        #expect(Set(try made.store.caseKeys(report.reference).keys) == ["gita", "asha", "#recovery"])
        let desk = made.store.desk(policy: EveryoneMay())
        let file = ReportSeal.open(try #require(try desk.openCase(report.reference, for: "gita", at: Examples.moment)), with: keys.gita)
        #expect(file.report.account == Self.secret)
        #expect(file.events.contains { $0.text == "Imported note about Yarrow." })
        #expect(try made.store.verifyAudit(today: CalendarDay(year: 2027, month: 1, day: 1)!, anchor: nil).firstBroken == nil)
    }

    @Test("a handler's session wraps the key for whoever the case may be passed to; a replaced key is sealed for again with the recovery key",
          arguments: Engine.allCases)
    func sharedAndRecovered(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try Self.sealing(made)
        let stored = try made.store.submit(Self.report(), receipt: nil, discardingDraftOf: nil, router: SealingRouter())
        // ina chooses a passphrase after the case was sent.
        let ina = try HandlerKeyring(store: made.store, handler: "ina", cost: .forTestsOnly, now: { Examples.moment })
            .makeKey(passphrase: "purple lantern autumn", again: "purple lantern autumn")
        let desk = made.store.desk(policy: EveryoneMay())
        var file = ReportSeal.open(try #require(try desk.openCase(stored.reference, for: "gita", at: Examples.moment)), with: keys.gita)
        file.eligibleHandlers = ["asha", "ina", "mo"]
        let sharing = ReportSeal.sharing(file, openedBy: "gita", with: keys.gita, keys: try made.store.sealingKeys())
        #expect(sharing.map(\.recipient) == ["ina", "mo"], "asha has a wrapping already; gita is the one sharing")
        try made.store.keepCaseKeys(sharing.filter { $0.recipient == "ina" }, by: "gita", at: Examples.moment)
        let forIna = try #require(try desk.openCase(stored.reference, for: "ina", at: Examples.moment))
        #expect(ReportSeal.open(forIna, with: ina).report.account == Self.secret)
        let wrapped = try made.store.auditRecords().filter { $0.entry.action == "case-key-wrapped" }
        #expect(wrapped.map(\.entry.detail) == ["for ina, from gita's session"])
        #expect(wrapped.first?.entry.reference == stored.reference.text && wrapped.first?.entry.actor == "gita")

        // gita forgets her passphrase: a new key, which the old wrapping does not open.
        let renewed = try HandlerKeyring(store: made.store, handler: "gita", cost: .forTestsOnly, now: { Examples.moment })
            .replaceKey(passphrase: "orange harbour winter", again: "orange harbour winter")
        #expect(try made.store.auditRecords().contains { $0.entry.action == "sealing-key-replaced" && $0.entry.actor == "gita" })
        let stale = try #require(try desk.openCase(stored.reference, for: "gita", at: Examples.moment))
        #expect(ReportSeal.open(stale, with: renewed).unopened != nil)
        // The recovery key seals it again for her new key.
        #expect(try made.store.sealedCases(for: "gita", alsoOf: nil) == [stored.reference])
        let recoveryWrapped = try #require(try made.store.caseKeys(stored.reference)[SealedWords.recoveryRecipient])
        let again = try ReportSeal.rewrap(stored.reference, wrapped: recoveryWrapped, with: keys.recovery,
                                          for: [("gita", renewed.publicKey)], how: "with the recovery key")
        try made.store.keepCaseKeys(again, by: "ivan", at: Examples.moment)
        let reopened = try #require(try desk.openCase(stored.reference, for: "gita", at: Examples.moment))
        #expect(ReportSeal.open(reopened, with: renewed).report.account == Self.secret)
        // Someone with no wrapping at all is found through the cases they hold, or through a leaver's.
        #expect(try made.store.sealedCases(for: "nobody", alsoOf: "asha") == [stored.reference])
        #expect(try made.store.sealedCases(for: "nobody", alsoOf: nil).isEmpty)
        #expect(try made.store.verifyAudit(today: CalendarDay(year: 2027, month: 1, day: 1)!, anchor: nil).firstBroken == nil)
    }

    @Test("an open sealed case none of whose handlers holds its key is found, with its handlers, until one is given it", arguments: Engine.allCases)
    func nobodyCanOpen(engine: Engine) throws {
        let made = try engine.freshStore()
        let recovery = SealingKeyPair.generate()
        try made.store.keepRecoveryKey(TrustRecoveryKey(publicKey: recovery.publicKey.bytes, madeAt: Examples.moment), by: "ivan", at: Examples.moment)
        let stored = try made.store.submit(Self.report(), receipt: nil, discardingDraftOf: nil, router: SealingRouter())
        let found = try made.store.sealedCasesNobodyCanOpen()
        #expect(found.map(\.reference) == [stored.reference] && found.first?.handlers == ["gita", "ina"])
        // What the reporter reads says so, truthfully: the team will see it, but nobody can read it yet.
        let routing = try #require(try made.store.routing(for: stored.reference))
        #expect(routing.noHandlerHoldsKey)
        let told = try #require(RoutingForReporter.sentence(routing, report: stored))
        #expect(told.contains("nobody can read it until IT gives one of them access") && told.hasPrefix("Who will see it: the guardian team."))
        let gita = try HandlerKeyring(store: made.store, handler: "gita", cost: .forTestsOnly, now: { Examples.moment })
            .makeKey(passphrase: "blue kettle morning", again: "blue kettle morning")
        #expect(try made.store.sealedCasesNobodyCanOpen().count == 1, "a key chosen since is not a wrapping")
        let again = try ReportSeal.rewrap(stored.reference, wrapped: try #require(try made.store.caseKeys(stored.reference)["#recovery"]), with: recovery,
                                          for: [("gita", gita.publicKey)], how: "with the recovery key")
        try made.store.keepCaseKeys(again, by: "ivan", at: Examples.moment)
        #expect(try made.store.sealedCasesNobodyCanOpen().isEmpty)
        let now = try #require(try made.store.routing(for: stored.reference))
        #expect(!now.noHandlerHoldsKey)
        #expect(RoutingForReporter.sentence(now, report: stored)?.contains("nobody can read it") == false)
    }

    @Test("a search finds sealed words through the handler's key, in memory, with the queue's filters and order; without the key it finds only clear words",
          arguments: Engine.allCases)
    func sealedSearch(engine: Engine) throws {
        let made = try engine.freshStore()
        let keys = try Self.sealing(made)
        var first = Self.report()
        first.account = "The porter was mocked in the lift."
        var second = Self.report()
        second.account = "Mocking the porter again, by the lifts."
        second.location = "Ward 9"
        let one = try made.store.submit(first, receipt: nil, discardingDraftOf: nil, router: SealingRouter())
        let two = try made.store.submit(second, receipt: nil, discardingDraftOf: nil, router: SealingRouter())
        let desk = SealedSearchDesk(inner: made.store.desk(policy: EveryoneMay()), store: made.store, recheck: 0, key: { keys.gita })
        var query = QueueQuery()
        query.search = "porter"
        #expect(Set(try desk.queue(query, for: "gita", now: Examples.moment).rows.map(\.reference)) == [one.reference, two.reference])
        query.search = "mocked"
        #expect(try desk.queue(query, for: "gita", now: Examples.moment).rows.map(\.reference) == [one.reference])
        query.search = "mock"
        #expect(try desk.queue(query, for: "gita", now: Examples.moment).rows.count == 2, "the last word may be the start of one")
        query.search = "porter lifts"
        #expect(try desk.queue(query, for: "gita", now: Examples.moment).rows.map(\.reference) == [two.reference])
        query.search = "porter"
        query.location = "Ward 9"
        #expect(try desk.queue(query, for: "gita", now: Examples.moment).rows.map(\.reference) == [two.reference], "the other filters still apply")
        query.location = ""
        query.search = "Benedetta"
        let named = try desk.queue(query, for: "gita", now: Examples.moment).rows
        #expect(named.count == 2, "the reporter's sealed name is found by its handler: \(named)")
        query.search = "Ward 9"
        #expect(try desk.queue(query, for: "gita", now: Examples.moment).rows.map(\.reference) == [two.reference], "clear words are still found")
        query.search = "nothingatall"
        #expect(try desk.queue(query, for: "gita", now: Examples.moment).rows.isEmpty)
        // A case sent after the words were opened is found too: each search opens what is new.
        var third = Self.report()
        third.account = "The porter's trolley blocked the fire door."
        let three = try made.store.submit(third, receipt: nil, discardingDraftOf: nil, router: SealingRouter())
        query.search = "trolley"
        #expect(try desk.queue(query, for: "gita", now: Examples.moment).rows.map(\.reference) == [three.reference])
        // Opened ahead on a thread of its own, then forgotten: the next search opens them again and still finds them.
        desk.openAhead(for: "gita")
        desk.forget()
        #expect(try desk.queue(query, for: "gita", now: Examples.moment).rows.map(\.reference) == [three.reference])
        // Without the key (or for a handler it was not wrapped for), sealed words find nothing.
        let locked = SealedSearchDesk(inner: made.store.desk(policy: EveryoneMay()), store: made.store, key: { nil })
        query.search = "porter"
        #expect(try locked.queue(query, for: "gita", now: Examples.moment).rows.isEmpty)
        #expect(try desk.queue(query, for: "ina", now: Examples.moment).rows.isEmpty, "ina holds no wrapped key: nothing of the words is found")
    }
}

@Suite("Sealed reports and anonymity")
struct SealedAnonymityTests {
    @Test("two anonymous reports sealed by one process share no ephemeral key; two open ones from the reporter's own login may")
    func noSharedEphemeralForAnonymous() throws {
        let recipients = [SealingKeyPair.generate().publicKey, SealingKeyPair.generate().publicKey]
        func ephemerals(_ way: WayOfRaising) throws -> [[UInt8]] {
            try (0..<2).map { _ in
                let report = Examples.report(way)
                let sealed = try ReportSeal.seal(report, for: recipients.enumerated().map { ("h\($0.offset)", $0.element) })
                return Array(sealed.keys[0].bytes[1..<33])
            }
        }
        let anonymous = try ephemerals(.anonymous)
        #expect(anonymous[0] != anonymous[1])
        let open = try ephemerals(.open)
        #expect(open[0] == open[1], "the reporter is named anyway; the agreements are worked out ahead")
    }
}
