import Foundation
import Testing
@testable import SpeakUpCore

@Suite("Subject access: the source protected")
struct SubjectAccessRedactionTests {
    static let subject = StaffMember(id: "S1", name: "Samuel Jones", unixUser: "sjones", role: "Charge Nurse", seniority: .seniorPractitioner,
                                     managerID: "M1", ward: "Ward 9")
    static let reporterEntry = StaffMember(id: "N7", name: "Priya Raman", unixUser: "praman", role: "Staff Nurse", seniority: .practitioner,
                                           managerID: "M1", ward: "Ward 7", knownAs: ["Pri"])
    static let manager = StaffMember(id: "M1", name: "Olu Adeyemi", unixUser: "oadeyemi", role: "Ward Manager", seniority: .manager, managerID: nil,
                                     ward: "Medicine")
    static let directory = [subject, reporterEntry, manager]

    static func report(_ account: String, way: WayOfRaising = .confidential, subject: Subject = Subject(name: "Samuel Jones", role: "charge nurse", seniority: .seniorPractitioner),
                       reference: String = "SU-AAAA-1111", witnesses: String = "", location: String = "Ward 7") -> Report {
        Report(reference: CaseReference(reference)!, wayOfRaising: way, concerns: [.rudeOrAggressive], subject: subject,
               occurred: Occurrence(day: CalendarDay(year: 2026, month: 10, day: 3)!, time: "03:15"), location: location, account: account,
               witnesses: witnesses, reporter: way == .anonymous ? nil : Reporter(userName: "praman", uid: 1007),
               reporterDetails: way == .anonymous ? nil : ReporterDetails(name: "Priya Raman", contact: "bleep 4411 or priya.raman@nhs.net", professionalGroup: .nursing),
               submitted: way == .anonymous ? .day("2026-10-04") : .instant(Date(timeIntervalSince1970: 1_791_100_000)))
    }

    static let account = """
        I, the nurse on nights in Ward 7, saw Samuel Jones shout at a student on 3rd October at 03:15. Priya Raman (praman) \
        was the only one there. I am the only band 5 on that shift, so he knows it was me. Pri told Olu afterwards. \
        My ward manager said to call 07700 900123. Samuel Jones then threw a chart on Tuesday.
        """

    @Test("the reporter's name, login, ward and self-description never appear; the subject's name does")
    func reporterRedacted() throws {
        let holdings = SubjectAccessHoldings(
            person: Self.subject,
            aboutThem: [.init(report: Self.report(Self.account, witnesses: "Olu Adeyemi and a student"), events: [
                CaseEvent(reference: CaseReference("SU-AAAA-1111")!, sequence: 2, kind: .handlerMessage, at: .instant(Date(timeIntervalSince1970: 1_791_200_000)),
                          text: "Thank you Priya, I will speak to Samuel.", actor: "guardian"),
                CaseEvent(reference: CaseReference("SU-AAAA-1111")!, sequence: 3, kind: .reporterMessage, at: .instant(Date(timeIntervalSince1970: 1_791_300_000)),
                          text: "As the only nurse from Ward 7 on that night, I'm worried.", actor: "praman"),
            ], match: .certain("picked"))],
            raisedByThem: [], mentions: [], ownActions: [])
        let text = SubjectAccessDisclosure.text(holdings, directory: Self.directory, drafted: CalendarDay(year: 2026, month: 11, day: 30)!)
        for secret in ["Priya", "Raman", "praman", "Pri ", "Ward 7", "nurse on nights", "band 5", "only one there", "Olu", "Adeyemi",
                       "07700", "4411", "priya.raman", "3rd", "03:15", "Tuesday", "SU-AAAA-1111", "1007", "Staff Nurse", "ward manager",
                       "confidential"] {
            #expect(!text.contains(secret), "\(secret) should be redacted:\n\(text)")
        }
        #expect(text.contains("saw Samuel Jones shout"))
        #expect(text.contains("I will speak to Samuel."))
        #expect(text.contains("[redacted: words that could identify the person who raised the concern]"))
        #expect(text.contains("[redacted: the person who raised the concern]"))
        #expect(text.contains("[redacted: another member of staff]"))
        #expect(text.contains("Raised: October 2026"))
        #expect(text.contains("Happened: October 2026"))
        #expect(text.contains("[redacted: who else saw it"))
    }

    @Test("an anonymous report has no identity to take out, but its self-descriptions and places go")
    func anonymous() {
        let redaction = SourceRedaction(traces: .init(), requester: Self.subject, directory: Self.directory, location: "Ward 7")
        let text = redaction.redact("I'm on nights in Ward 7. Samuel Jones shouted. As the only student there I was scared.")
        #expect(!text.contains("nights") && !text.contains("Ward 7") && !text.contains("only student"), "\(text)")
        #expect(text.contains("Samuel Jones"))
    }

    @Test("phrases: every first-person self-description is taken out to the end of its clause", arguments: [
        ("I, the nurse on nights in Ward 7, saw it.", "nurse on nights"),
        ("I am the only healthcare assistant on the unit.", "healthcare assistant"),
        ("I'm a newly qualified nurse.", "newly qualified"),
        ("I've been a porter here for ten years.", "porter"),
        ("I work in the discharge lounge.", "discharge lounge"),
        ("My mentor saw it too.", "mentor"),
        ("It was late, and as a student I could not say anything.", "student"),
        ("me, the only agency nurse, was blamed", "agency nurse"),
    ])
    func phrases(_ sentence: String, _ secret: String) {
        let redaction = SourceRedaction(traces: .init(), requester: Self.subject, directory: Self.directory)
        let text = redaction.redact(sentence)
        #expect(!text.contains(secret), "\(text)")
    }

    @Test("dates: exact days, times and weekdays in free text go, the month stays; stored dates become their month")
    func dates() {
        let redaction = SourceRedaction(traces: .init(), requester: Self.subject, directory: Self.directory)
        let text = redaction.redact("On Tuesday 14 October at 7.30pm, and again on 2026-10-21 and 3/11 at 0900hrs.")
        for secret in ["Tuesday", "14", "7.30", "21", "3/11", "0900"] { #expect(!text.contains(secret), "\(secret): \(text)") }
        #expect(text.contains("October"))
        #expect(DateCoarsening.month(of: .day("2026-10-04")) == "October 2026")
        #expect(DateCoarsening.month(of: CalendarDay(year: 2027, month: 1, day: 31)!) == "January 2027")
    }

    @Test("gathering: picked, whole name, first name (possible), raised by them, mentioned elsewhere, their audit records")
    func gathering() throws {
        let picked = Self.report("a", subject: Subject(name: nil, role: "", seniority: .unknown, directoryID: "S1"), reference: "SU-AAAA-0001")
        let whole = Self.report("b", subject: Subject(name: "Samuel Jones", role: "", seniority: .unknown), reference: "SU-AAAA-0002")
        let typo = Self.report("c", way: .anonymous, subject: Subject(name: "Sam Jnoes", role: "", seniority: .unknown), reference: "SU-AAAA-0003")
        let other = Self.report("Olu shouted; Jones was there too.", subject: Subject(name: "Olu Adeyemi", role: "", seniority: .unknown), reference: "SU-AAAA-0004")
        let unrelated = Self.report("nothing of him", subject: Subject(name: "Olu Adeyemi", role: "", seniority: .unknown), reference: "SU-AAAA-0005")
        let shortForm = Self.report("Olu and Sam argued.", subject: Subject(name: "Olu Adeyemi", role: "", seniority: .unknown), reference: "SU-AAAA-0007")
        var own = Self.report("mine", subject: Subject(name: "Olu Adeyemi", role: "", seniority: .unknown), reference: "SU-AAAA-0006")
        own.reporter = Reporter(userName: "sjones", uid: 1001)
        let audit = [
            AuditRecord(position: 1, entry: AuditEntry(at: .instant(Date()), actor: "sjones", action: "opened", reference: "SU-AAAA-0009"), previousHash: Data(), hash: Data()),
            AuditRecord(position: 2, entry: AuditEntry(at: .instant(Date()), actor: "praman", action: "opened", reference: "SU-AAAA-0008"), previousHash: Data(), hash: Data()),
        ]
        let found = try #require(try SubjectAccessGathering.gather(
            staffID: "S1", directory: Self.directory, reports: [picked, whole, typo, other, unrelated, own, shortForm],
            events: { (_: CaseReference) throws(StoreError) -> [CaseEvent] in [] }, audit: audit))
        #expect(found.aboutThem.map(\.report.reference.text) == ["SU-AAAA-0001", "SU-AAAA-0002", "SU-AAAA-0003"])
        #expect(found.aboutThem.map(\.match.isPossible) == [false, false, true])
        #expect(found.raisedByThem.map(\.report.reference.text) == ["SU-AAAA-0006"])
        #expect(found.mentions.map(\.report.reference.text) == ["SU-AAAA-0004", "SU-AAAA-0007"])  // by surname; by a short form of his first name
        #expect(found.ownActions.map(\.position) == [1])
        let missing = try SubjectAccessGathering.gather(staffID: "NOBODY", directory: Self.directory, reports: [picked],
                                                        events: { (_: CaseReference) throws(StoreError) -> [CaseEvent] in [] }, audit: [])
        #expect(missing == nil)
    }

    @Test("concerns they raised are theirs, unredacted; a mention shows only its passages, with the other subject's name taken out")
    func ownAndMentions() throws {
        var own = Self.report("I told Olu about the rota.", subject: Subject(name: "Olu Adeyemi", role: "", seniority: .unknown), reference: "SU-AAAA-0006")
        own.reporter = Reporter(userName: "sjones", uid: 1001)
        let other = Self.report("Olu shouted at everyone. Nothing else. Samuel Jones saw it.", subject: Subject(name: "Olu Adeyemi", role: "", seniority: .unknown),
                                reference: "SU-AAAA-0004")
        let found = try #require(try SubjectAccessGathering.gather(
            staffID: "S1", directory: Self.directory, reports: [own, other],
            events: { (_: CaseReference) throws(StoreError) -> [CaseEvent] in [] }, audit: []))
        let text = SubjectAccessDisclosure.text(found, directory: Self.directory, drafted: CalendarDay(year: 2026, month: 11, day: 30)!)
        #expect(text.contains("Case SU-AAAA-0006"))
        #expect(text.contains("I told Olu about the rota."))
        #expect(text.contains("Samuel Jones saw it."))
        #expect(!text.contains("Olu shouted") && !text.contains("Nothing else"), "\(text)")
        #expect(!text.contains("SU-AAAA-0004"))
    }
}
