import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpStore

/// Every code point a person gives is kept byte for byte, but NUL, which SQLite's C interface
/// reads as the end of a text: before, everything after it was dropped without a word. Now a
/// text holding one is refused whole, with a sentence, and nothing of the write is stored.
@Suite("Store: text is kept whole, or refused whole")
struct TextKeptWholeTests {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["SPEAKUP_TEST_SEED"].flatMap(UInt64.init) ?? 20_261_130

    /// Code points from every awkward corner: controls (not NUL), ESC, C1, bidi, joiners, combining
    /// marks, surrogate neighbours, noncharacters, private use, emoji, CJK, line separators.
    static let awkward: [ClosedRange<UInt32>] = [
        0x01...0x1F, 0x7F...0x9F, 0xA0...0x2FF, 0x300...0x36F, 0x200B...0x200F, 0x2028...0x202E, 0x2066...0x2069,
        0xD7FF...0xD7FF, 0xE000...0xE0FF, 0xFDD0...0xFDEF, 0xFE00...0xFE0F, 0xFEFF...0xFEFF, 0xFFF9...0xFFFF,
        0x1F300...0x1F6FF, 0x4E00...0x4E80, 0x10FFFE...0x10FFFF, 0x20...0x7E,
    ]

    static func awkwardText(_ random: inout SeededRandom) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 1...200, using: &random) {
            let range = awkward.randomElement(using: &random)!
            scalars.append(Unicode.Scalar(UInt32.random(in: range, using: &random))!)
        }
        return String(scalars)
    }

    @Test("random texts of awkward code points come back from the store exactly, byte for byte (seeded; seed printed)")
    func awkwardTextsRoundTrip() throws {
        print("TextKeptWholeTests seed: \(Self.seed) (replay with SPEAKUP_TEST_SEED=\(Self.seed))")
        var random = SeededRandom(seed: Self.seed)
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 2)
        var sent: [CaseReference: Report] = [:]
        for _ in 0..<100 {
            var report = Reports.make(account: Self.awkwardText(&random))
            report.location = Self.awkwardText(&random)
            report.witnesses = Self.awkwardText(&random)
            report.subject.name = Self.awkwardText(&random)
            let stored = try store.submit(report, receipt: nil, discardingDraftOf: nil, router: nil)
            sent[stored.reference] = stored
            let message = Self.awkwardText(&random)
            let event = try store.appendEvent(to: stored.reference, kind: .handlerMessage, text: message, actor: "guardian", at: Reports.moment)
            #expect(try store.events(for: stored.reference).last?.text.map { Array($0.utf8) } == Array(message.utf8))
            #expect(event.text == message)
        }
        for report in try store.allReports() {
            let original = try #require(sent[report.reference])
            #expect(Array(report.account.utf8) == Array(original.account.utf8))
            #expect(Array(report.location.utf8) == Array(original.location.utf8))
            #expect(Array(report.witnesses.utf8) == Array(original.witnesses.utf8))
            #expect(report.subject.name.map { Array($0.utf8) } == original.subject.name.map { Array($0.utf8) })
        }
    }

    @Test("a report with a NUL anywhere is refused whole with a sentence; nothing of it is stored")
    func nulRefused() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 2)
        #expect {
            _ = try store.submit(Reports.make(account: "He shouted.\u{0}And then he left the ward."), receipt: nil, discardingDraftOf: nil, router: nil)
        } throws: { error in
            (error as? StoreError)?.sentence
                == "The report's account \(StorableText.nulAdvice) Your report has not been saved, and nothing on this screen is lost."
        }
        var located = Reports.make()
        located.location = "Ward\u{0}7"
        #expect(throws: StoreError.self) { _ = try store.submit(located, receipt: nil, discardingDraftOf: nil, router: nil) }
        #expect(try store.count("report") == 0 && store.count("case_event") == 0)

        let kept = try store.submit(Reports.make(), receipt: nil, discardingDraftOf: nil, router: nil)
        #expect(throws: StoreError.self) {
            _ = try store.appendEvent(to: kept.reference, kind: .handlerMessage, text: "Thank you\u{0} for telling us.", actor: "guardian", at: Reports.moment)
        }
        #expect(try store.events(for: kept.reference).count == 1)
    }

    @Test("a directory with a NUL in a name is refused; the old directory is kept")
    func nulInDirectoryRefused() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteReportStore(path: folder.file(), receiptRounds: 2)
        let before = [StaffMember(id: "P1", name: "Sam Lord", unixUser: "slord", role: "Consultant", seniority: .seniorClinician, managerID: nil, ward: "")]
        try store.replaceStaff(before)
        let after = [StaffMember(id: "P1", name: "Sam\u{0} Lord", unixUser: "slord", role: "Consultant", seniority: .seniorClinician, managerID: nil, ward: "")]
        #expect {
            try store.replaceStaff(after)
        } throws: { error in
            (error as? StoreError)?.sentence.contains("The old directory is kept.") == true
        }
        #expect(try store.staff().map(\.name) == ["Sam Lord"])
    }
}
