import Foundation
import Testing
@testable import SpeakUpCore

@Suite("Drafts become reports")
struct ReportDraftTests {
    static let moment = Date(timeIntervalSince1970: 1_795_770_106.75)  // 2026-11-27T09:01:46.75Z
    static let person = Reporter(userName: "asha", uid: 1001)

    static func complete(_ way: WayOfRaising) -> ReportDraft {
        var draft = ReportDraft()
        draft.wayOfRaising = way
        draft.concerns = [.unsafePractice, .rudeOrAggressive]
        draft.subjectSeniority = .seniorClinician
        draft.location = "Ward 7"
        draft.account = "Shouted at a patient."
        return draft
    }

    @Test("an empty draft is empty, and lists what is missing in the order the form asks")
    func emptyDraft() {
        let draft = ReportDraft()
        #expect(draft.isEmpty)
        #expect(draft.problems == [.noWayOfRaising, .noConcern, .noSeniority, .emptyAccount])
    }

    @Test("a whitespace-only account is missing", arguments: ["", " ", "\n\n", " \t \n"])
    func blankAccount(_ account: String) {
        var draft = Self.complete(.open)
        draft.account = account
        #expect(draft.problems == [.emptyAccount])
    }

    @Test("over-long text is refused with a sentence that says the limit")
    func overLong() {
        var draft = Self.complete(.open)
        draft.account = String(repeating: "a", count: ReportLimits.accountCharacters + 1)
        draft.location = String(repeating: "b", count: ReportLimits.locationCharacters + 1)
        #expect(draft.problems == [.locationTooLong, .accountTooLong])
        #expect(ReportProblem.accountTooLong.sentence.contains("10,000"))
    }

    @Test("an open report keeps the reporter and the time to the second")
    func openReport() throws {
        let report = try Self.complete(.open).report(reference: .random(), reporter: Self.person, at: Self.moment).get()
        #expect(report.reporter == Self.person)
        #expect(report.submitted.text == "2026-11-27T09:01:46Z")
        #expect(report.concerns == [.rudeOrAggressive, .unsafePractice])
    }

    @Test("an anonymous report keeps no reporter and only the day")
    func anonymousReport() throws {
        let report = try Self.complete(.anonymous).report(reference: .random(), reporter: Self.person, at: Self.moment).get()
        #expect(report.reporter == nil)
        #expect(report.submitted == .day("2026-11-27"))
    }

    @Test("Report itself refuses to carry identity or an exact time for an anonymous report")
    func reportEnforcesAnonymity() {
        let report = Report(
            reference: .random(), wayOfRaising: .anonymous, concerns: [.other, .other], subjectSeniority: .board,
            location: "", account: "x", reporter: Self.person, submitted: .instant(Self.moment))
        #expect(report.reporter == nil)
        #expect(report.submitted == .day("2026-11-27"))
        #expect(report.concerns == [.other])
    }

    @Test("submission times read back from their text")
    func submissionTimeText() {
        #expect(SubmissionTime(text: "2026-11-27") == .day("2026-11-27"))
        #expect(SubmissionTime(text: "2026-11-27T08:21:46Z")?.text == "2026-11-27T08:21:46Z")
        #expect(SubmissionTime(text: "27/11/2026") == nil)
        #expect(SubmissionTime(text: "2026-1a-27") == nil)
    }

    @Test("seniority is ordered from student to board, with unknown below all")
    func seniorityOrder() {
        #expect(Seniority.ladder.first == .student && Seniority.ladder.last == .board)
        #expect(Seniority.ladder == Seniority.ladder.sorted())
        #expect(Seniority.unknown < .student)
        #expect(Seniority.executive > .director)
    }
}
