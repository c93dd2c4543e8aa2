import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpStore

/// Search as you type: every key, whichever way the store answers it (reading the queue in
/// order, or asking the full-text index first), gives the cases whose words match, in queue
/// order; and a reference typed as people type one finds its case.
@Suite("Store: search as you type")
struct SearchAsYouTypeTests {
    static let words = ["shouted", "porter", "student", "night", "shift", "café", "Über", "marker", "mocked", "rota", "lift", "such"]

    @Test("every prefix of every search gives the same cases as reading each case's words, by both ways of answering (seeded; seed printed)")
    func bothWaysAgree() throws {
        let seed: UInt64 = ProcessInfo.processInfo.environment["SPEAKUP_TEST_SEED"].flatMap(UInt64.init) ?? 20_261_130
        print("SearchAsYouTypeTests seed: \(seed) (replay with SPEAKUP_TEST_SEED=\(seed))")
        var random = SeededRandom(seed: seed)
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 2)
        let router = FixedRouter(handlers: ["gita"])
        var accounts: [CaseReference: String] = [:]
        for index in 0..<120 {
            // Common words in most cases, rare ones in few.
            var picked = (0..<6).map { _ in Self.words[Int(Double(Self.words.count) * pow(Double.random(in: 0..<1, using: &random), 2))] }
            if index % 17 == 0 { picked.append("zebra") }
            let report = try store.submit(CaseDeskTests.report(picked.joined(separator: " ") + "."), router: router)
            accounts[report.reference] = report.account
        }
        let queue = try store.queue(QueueQuery(), for: "gita", now: Reports.moment).map(\.reference)
        for typed in ["shouted at", "s", "su", "such ", "cafe", "CAFÉ ub", "uber", "zebra", "zeb", "marker night", "nothing here", "\"*:( NEAR", "porter "] {
            for end in typed.indices.dropFirst().map({ $0 }) + [typed.endIndex] {
                let search = String(typed[..<end])
                var query = QueueQuery()
                query.search = search
                query.limit = 15
                let expected: [CaseReference]
                if let terms = SearchTerms(search) {
                    var everything = QueueQuery()
                    everything.limit = 1000
                    let all = try store.queue(everything, for: "gita", now: Reports.moment).map(\.reference)
                    expected = Array(all.filter { terms.matches([accounts[$0]!, "Dr Smith", "consultant", "Ward 7"].joined(separator: "\n")) }.prefix(15))
                } else {
                    expected = Array(queue.prefix(15))
                }
                for budget in [SQLiteReportStore.walkBudget, 5] {
                    let found = try store.queue(query, for: "gita", now: Reports.moment, walkBudget: budget).map(\.reference)
                    #expect(found == expected, "\"\(search)\" with a walk of \(budget) rows")
                }
            }
        }
    }

    @Test("a reference typed as people type one (spaces, no dashes, lower case, O for 0) finds its case, and only by reference")
    func referenceTyped() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 2)
        let router = FixedRouter(handlers: ["gita"])
        let first = try store.submit(CaseDeskTests.report("Shouted."), router: router)
        _ = try store.submit(CaseDeskTests.report("Shouted again."), router: router)
        let symbols = first.reference.text.filter { $0 != "-" }.dropFirst(2)
        var forms = ["SU \(symbols.prefix(4)) \(symbols.suffix(4))", first.reference.text.lowercased(),
                     "SU-\(symbols.prefix(4))".replacingOccurrences(of: "0", with: "O")]
        // Run together, a reference needs a digit to be told from a word ("SUCF001X", not "SUCHWORD").
        if symbols.contains(where: \.isNumber) { forms.append("su" + String(symbols)) }
        for typed in forms {
            var query = QueueQuery()
            query.search = typed
            #expect(try store.queue(query, for: "gita", now: Reports.moment).map(\.reference).contains(first.reference), "\(typed)")
        }
        #expect(CaseReference.typedPrefix("SU cf00 1x") == "SU-CF00-1X")
        #expect(CaseReference.typedPrefix("sucf001x") == "SU-CF00-1X" && CaseReference.typedPrefix("suabcdefgh") == nil)
        #expect(CaseReference.typedPrefix("su") == nil && CaseReference.typedPrefix("such") == nil && CaseReference.typedPrefix("SU CF00 12345") == nil)
    }

    @Test("the words of a search: whole words, then the one being typed")
    func terms() {
        #expect(SearchTerms("shouted at the p") == SearchTerms(whole: ["shouted", "at", "the"], start: "p"))
        #expect(SearchTerms("Café ") == SearchTerms(whole: ["cafe"], start: nil))
        #expect(SearchTerms("\"*:() AND") == SearchTerms(whole: [], start: "and"))
        #expect(SearchTerms("  --  ") == nil)
        #expect(SearchTerms("a b c d e f g h i j k")?.whole.count == 8)
        #expect(SearchTerms("a b c d e f g h i j k")?.start == nil)
        #expect(SearchTerms("shouted at the p")?.ftsQuery == "\"shouted\" \"at\" \"the\" \"p\"*")
    }
}
