import Foundation
import SpeakUpCore
import SpeakUpRules
import SpeakUpSealing
import SpeakUpStore

/// Sealed reports' figures (docs/performance.md, "Sealed reports"): unlocking a handler's key, a
/// submit sealed for ten handlers beside the same submit unsealed, opening a sealed case beside an
/// unsealed one, and searching a queue of sealed cases in memory beside the full-text index over
/// the same cases unsealed. All on SQLite, each beside its floor in the same run.
struct SealingBench {
    let scratch: String
    let submits: Int
    let searchCases: Int

    /// Routes to one handler; any of ten may hold the case. With the installation's subject-key secret,
    /// so a sealing store seals the subject's name too (the facts are given, as a rules router works them out).
    struct TenHandlers: CaseRouter {
        static let handlers = (1...10).map { "handler\($0)" }
        static let secret = try! SubjectNameSecret(bytes: SubjectNameSecret.fresh())
        var subjectKeyDigest: (any SubjectKeyDigest)? { Self.secret }
        func route(_ report: Report, history: any ReportHistory, from: Date) throws -> CaseRouting {
            var routing = CaseRouting(level: .informal, roles: ["guardian"], handlers: ["handler1"], acknowledgeBy: from.addingTimeInterval(604_800),
                                      feedBackBy: from.addingTimeInterval(7_776_000), explanation: ["Routed for the bench."])
            routing.mayHold = Self.handlers
            routing.subjectFacts = SubjectFacts(certainty: .nobody, candidates: [], nameGiven: true, roleGiven: true, checked: Self.handlers, fitting: [])
            return routing
        }
    }

    static let words = ["porter", "sluice", "handover", "medication", "shouted", "ignored", "belittled", "rota", "night", "theatre",
                        "mocked", "student", "agency", "bay", "discharge", "relatives", "breakfast", "call", "bell", "pressure"]

    static func report(_ index: Int) -> Report {
        var generator = SeededRandom(seed: UInt64(index) &+ 17)
        let picked = (0..<40).map { _ in words[Int(generator.next() % UInt64(words.count))] }
        var report = CommitBench.report()
        // One rare word in a hundredth of cases, one in a thousandth.
        report.account = picked.joined(separator: " ") + (index % 100 == 0 ? " quarrel\(index % 7)" : "") + (index % 1000 == 0 ? " zebra" : "")
        report.reporterDetails = ReporterDetails(name: "Reporter \(index)", contact: "extension \(1000 + index % 9000)", professionalGroup: .nursing)
        return report
    }

    func run() throws -> [String] {
        print("## Sealed reports")
        var summary: [String] = []
        // Unlocking: the deliberate cost of one passphrase try (`UnlockingCost.standard`).
        let pair = SealingKeyPair.generate()
        let locked = try PassphraseLockedKey.lock(pair, passphrase: "blue kettle morning", holder: "handler1")
        var unlocks = Sample()
        for _ in 0..<20 {
            let start = now()
            _ = try locked.unlock(passphrase: "blue kettle morning", holder: "handler1")
            unlocks.add(now() - start)
        }
        print("| unlocking a handler's key (scrypt N=2^\(UnlockingCost.standard.log2Rounds), r=\(UnlockingCost.standard.blockSize); 20 tries) | median \(format(unlocks.median)) ms | p99 \(format(unlocks.p99)) ms | aim: about 100-200 ms |")
        summary.append("unlocking a key: median \(format(unlocks.median)) ms (aim 100-200 ms)")

        // Submit sealed for ten handlers (and the recovery key) beside the same submit unsealed.
        let sealedStore = try SQLiteReportStore(path: scratch + "/sealed.sqlite")
        let plainStore = try SQLiteReportStore(path: scratch + "/plain.sqlite")
        var pairs: [String: SealingKeyPair] = [:]
        try sealedStore.keepRecoveryKey(TrustRecoveryKey(publicKey: SealingKeyPair.generate().publicKey.bytes, madeAt: Date()), by: "bench", at: Date())
        for handler in TenHandlers.handlers {
            let pair = SealingKeyPair.generate()
            pairs[handler] = pair
            let locked = try PassphraseLockedKey.lock(pair, passphrase: "blue kettle morning", holder: handler, cost: .forTestsOnly)
            try sealedStore.keepSealingKey(HandlerSealingKey(handler: handler, publicKey: pair.publicKey.bytes, lockedKey: locked.bytes, keptAt: Date()),
                                           replacing: nil, at: Date())
        }
        // The key agreements a form works out while the reporter writes (`SealingKeys.warmUp`), timed: what a
        // submit would add if it had to do them itself.
        let warmStart = now()
        SealingWarmUp.prepare(for: try sealedStore.sealingKeys().map(\.publicKey) + [try sealedStore.recoveryKey()!.publicKey])
        let warmUp = now() - warmStart
        print("| the key agreements for 11 recipients, worked out while the reporter writes | \(format(warmUp * 1000)) ms | | |")
        var sealedTimes = Sample()
        var plainTimes = Sample()
        let router = TenHandlers()
        for index in 0..<20 {
            _ = try sealedStore.submit(Self.report(index), receipt: nil, router: router)
            _ = try plainStore.submit(Self.report(index), receipt: nil, router: router)
        }
        // As a form does (`speakup report`): while the reporter writes, the warm-up makes the next report's
        // kit (its content key wrapped for every recipient, `SealingKit`) and the report takes its reference.
        let warmKeys = try sealedStore.sealingKeys().map(\.publicKey) + [try sealedStore.recoveryKey()!.publicKey]
        var done = 0
        while done < submits {
            let count = min(50, submits - done)
            for index in 0..<count {
                var report = Self.report(done + index)
                SealingWarmUp.prepare(for: warmKeys)
                report.reference = SealingWarmUp.reference()
                let start = now()
                _ = try sealedStore.submit(report, receipt: nil, router: router)
                sealedTimes.add(now() - start)
                sealedStore.tidy()
            }
            for index in 0..<count {
                let report = Self.report(done + index)
                let start = now()
                _ = try plainStore.submit(report, receipt: nil, router: router)
                plainTimes.add(now() - start)
                plainStore.tidy()
            }
            done += count
        }
        let ratio = sealedTimes.median / plainTimes.median
        print("| submit sealed (the words and the subject's name) for 10 handlers + the recovery key (\(submits), no receipt) | median \(format(sealedTimes.median)) ms | p99 \(format(sealedTimes.p99)) ms | |")
        print("| the same submit, unsealed (floor) | median \(format(plainTimes.median)) ms | p99 \(format(plainTimes.p99)) ms | |")
        print("ratio of medians: \(format(ratio))x, of p99: \(format(sealedTimes.p99 / plainTimes.p99))x (goal: within 1.2x)")
        summary.append("sealed submit for 10 handlers: median \(format(sealedTimes.median)) ms beside \(format(plainTimes.median)) ms unsealed, \(format(ratio))x (goal <= 1.2x); the key agreements, done while the reporter writes, \(format(warmUp * 1000)) ms")

        // The sealing alone, in memory (the words encoded and sealed, the content key wrapped for eleven, the
        // subject's facts), with no kit: what a submit would add without the warm-up's kit.
        let recipients = try SealingRecipients(recovery: try sealedStore.recoveryKey()!, handlers: try sealedStore.sealingKeys())
        var sealingAlone = Sample()
        for index in 0..<submits {
            let report = Self.report(index)
            let start = now()
            let routing = try router.route(report, history: SubjectBench.NoHistory(), from: report.deadlineStart)
            _ = try recipients.seal(report, mayHold: SealingRecipients.mayHold(routing), reporter: nil,
                                    subject: SealingRecipients.subjectSealing(report, routing: routing, digest: router.subjectKeyDigest))
            sealingAlone.add(now() - start)
        }
        print("| the sealing alone, in memory, with no kit made ahead (what the submit would do without one; \(submits)) | median \(format(sealingAlone.median)) ms | p99 \(format(sealingAlone.p99)) ms | |")
        summary.append("the sealing alone, in memory, with no kit made ahead: median \(format(sealingAlone.median)) ms")

        // An anonymous report (a kiosk's): its content key is wrapped with an ephemeral key of its own,
        // made while the reporter writes (the form's warm-up, untimed here as there).
        let recipientKeys = try sealedStore.sealingKeys().map(\.publicKey) + [try sealedStore.recoveryKey()!.publicKey]
        var anonymousSealed = Sample()
        var anonymousPlain = Sample()
        for index in 0..<submits {
            var report = Self.report(index)
            report.wayOfRaising = .anonymous
            report.reporter = nil
            report.reporterDetails = nil
            report.submitted = .recorded(for: .anonymous, at: Date())
            SealingWarmUp.prepare(for: recipientKeys)
            var start = now()
            _ = try sealedStore.submit(report, receipt: nil, router: router)
            anonymousSealed.add(now() - start)
            report.reference = .random()
            start = now()
            _ = try plainStore.submit(report, receipt: nil, router: router)
            anonymousPlain.add(now() - start)
            if index % 50 == 49 { sealedStore.tidy(); plainStore.tidy() }
        }
        print("| an anonymous submit sealed for the same (\(submits), no receipt) | median \(format(anonymousSealed.median)) ms | p99 \(format(anonymousSealed.p99)) ms | |")
        print("| the same anonymous submit, unsealed (floor) | median \(format(anonymousPlain.median)) ms | p99 \(format(anonymousPlain.p99)) ms | |")
        print("anonymous: ratio of medians \(format(anonymousSealed.median / anonymousPlain.median))x")
        summary.append("anonymous sealed submit: median \(format(anonymousSealed.median)) ms beside \(format(anonymousPlain.median)) ms unsealed, \(format(anonymousSealed.median / anonymousPlain.median))x")

        // Opening a case: the desk's opening, then the words opened with the handler's key; beside the unsealed opening.
        let sealedDesk = sealedStore.desk(policy: SubjectChainPolicy(directory: StaffDirectory([])))
        let plainDesk = plainStore.desk(policy: SubjectChainPolicy(directory: StaffDirectory([])))
        let sealedRefs = try sealedStore.allReports().map(\.reference).prefix(100)
        let plainRefs = try plainStore.allReports().map(\.reference).prefix(100)
        var openSealed = Sample()
        var openPlain = Sample()
        let key = pairs["handler1"]!
        for (sealed, plain) in zip(sealedRefs, plainRefs) {
            var start = now()
            if let file = try sealedDesk.openCase(sealed, for: "handler1", at: Date()) {
                let opened = ReportSeal.open(file, with: key)
                guard opened.unopened == nil else { throw BenchError("a sealed case did not open: \(opened.unopened!)") }
            }
            openSealed.add(now() - start)
            start = now()
            _ = try plainDesk.openCase(plain, for: "handler1", at: Date())
            openPlain.add(now() - start)
        }
        print("| opening a sealed case (the desk, then its words) | median \(format(openSealed.median)) ms | p99 \(format(openSealed.p99)) ms | |")
        print("| opening the same case unsealed (floor) | median \(format(openPlain.median)) ms | p99 \(format(openPlain.p99)) ms | |")
        summary.append("opening a sealed case: median \(format(openSealed.median)) ms beside \(format(openPlain.median)) ms unsealed")

        // Search: a queue of `searchCases` sealed cases opened in memory, beside the full-text index over the same cases unsealed.
        let searchSealed = try SQLiteReportStore(path: scratch + "/search-sealed.sqlite")
        let searchPlain = try SQLiteReportStore(path: scratch + "/search-plain.sqlite")
        try searchSealed.keepRecoveryKey(TrustRecoveryKey(publicKey: SealingKeyPair.generate().publicKey.bytes, madeAt: Date()), by: "bench", at: Date())
        let locked1 = try PassphraseLockedKey.lock(key, passphrase: "blue kettle morning", holder: "handler1", cost: .forTestsOnly)
        try searchSealed.keepSealingKey(HandlerSealingKey(handler: "handler1", publicKey: key.publicKey.bytes, lockedKey: locked1.bytes, keptAt: Date()),
                                        replacing: nil, at: Date())
        let fillStart = now()
        for index in 0..<searchCases {
            _ = try searchSealed.submit(Self.report(index), receipt: nil, router: router)
            _ = try searchPlain.submit(Self.report(index), receipt: nil, router: router)
            if index % 1000 == 999 { searchSealed.tidy(); searchPlain.tidy() }
        }
        print("(filled two stores of \(searchCases) cases each in \(format(now() - fillStart)) s)")
        let desk = SealedSearchDesk(inner: searchSealed.desk(policy: SubjectChainPolicy(directory: StaffDirectory([]))), store: searchSealed, key: { key })
        let plain = searchPlain.desk(policy: SubjectChainPolicy(directory: StaffDirectory([])))
        var query = QueueQuery()
        query.search = "zebra"
        var start = now()
        let firstRows = try desk.queue(query, for: "handler1", now: Date()).rows.count
        let firstSearch = now() - start
        print("| the first search (opens every sealed case of the queue: \(searchCases)) | \(format(firstSearch * 1000)) ms | \(firstRows) rows | |")
        let searches = ["zebra", "quarrel3", "porter sluice", "shouted", "nothingmatches", "handover medication night", "quarrel", "z", "be", "Reporter 42"]
        var sealedSearch = Sample()
        var plainSearch = Sample()
        for round in 0..<10 {
            for text in searches {
                query.search = text
                start = now()
                let found = try desk.queue(query, for: "handler1", now: Date()).rows.count
                sealedSearch.add(now() - start)
                start = now()
                let floor = try plain.queue(query, for: "handler1", now: Date()).rows.count
                plainSearch.add(now() - start)
                if round == 0 { print("  \"\(text)\": \(found) rows sealed, \(floor) rows by the index unsealed") }
            }
        }
        print("| search over \(searchCases) sealed cases, in memory (100 searches after the first) | median \(format(sealedSearch.median)) ms | p99 \(format(sealedSearch.p99)) ms | goal p99 < 200 ms |")
        print("| the same searches by the full-text index, unsealed (floor) | median \(format(plainSearch.median)) ms | p99 \(format(plainSearch.p99)) ms | |")
        summary.append("search over \(searchCases) sealed cases: first \(format(firstSearch * 1000)) ms, then median \(format(sealedSearch.median)) ms / p99 \(format(sealedSearch.p99)) ms (goal p99 < 200 ms); the index unsealed p99 \(format(plainSearch.p99)) ms")
        return summary
    }
}
