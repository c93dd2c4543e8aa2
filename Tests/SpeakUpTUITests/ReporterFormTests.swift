import Testing
import SpeakUpCore
@testable import SpeakUpTUI

@Suite("Reporter form: every transition")
struct ReporterFormTests {
    @Test("the form starts by asking how to raise the concern, with nothing chosen")
    func start() {
        let form = FormDriver()
        #expect(form.step == .wayOfRaising)
        #expect(!form.state.hasStarted)
    }

    @Test("arrows move and Enter chooses the way of raising, then asks who it is about")
    func chooseWay() {
        var form = FormDriver()
        form.press(.down, .down, .down, .up)
        #expect(form.state.ways.highlighted == 1)
        form.press(.enter)
        #expect(form.state.draft.wayOfRaising == .confidential)
        #expect(form.step == .subject)
        #expect(form.effects == [.saveDraft(form.state.draftToKeep), .loadDirectory])
        #expect(form.state.draftToKeep.leftAt == ReportDraft.Place(page: "subject", answer: 0, reviewed: false))
    }

    @Test("an anonymous form is never kept as a draft: choosing anonymity asks for any draft to be forgotten")
    func anonymousNeverDrafted() {
        var form = FormDriver()
        form.press(.down, .enter)  // open
        form.press(.escape)
        form.press(.down, .down, .enter)  // now anonymous
        #expect(form.state.draft.wayOfRaising == .anonymous)
        #expect(form.effects.suffix(2).contains(.discardDraft))
        form.fillIn(way: 2)
        #expect(!form.effects.contains { if case .saveDraft(let draft) = $0 { draft.wayOfRaising == .anonymous } else { false } })
    }

    @Test("who it is about: name, a box to leave them unnamed, and role; all optional")
    func subject() {
        var form = FormDriver()
        form.press(.down, .enter)
        form.type("Dr Smith")
        #expect(form.state.focusedField == .subjectName)
        form.press(.enter)
        #expect(form.state.focusedField == .subjectNotNamed)
        form.press(.character(" "))
        #expect(form.state.draft.subjectNotNamed && form.state.draft.subjectName == "")
        form.press(.tab)
        form.type("charge nurse?")  // ? is typed in a text field
        #expect(form.state.overlay == nil)
        form.press(.backTab, .backTab)
        #expect(form.state.focusedField == .subjectName)
        form.type("!")  // typing a name again unticks "rather not name"
        #expect(!form.state.subjectNotNamed)
        form.press(.tab, .tab, .tab)
        #expect(form.step == .seniority)
        #expect(form.state.draft.subjectRole == "charge nurse?")
    }

    @Test("who it is about: the staff directory is loaded on the page, searched as the name is typed, and a pick fills the answers")
    func directorySearch() {
        var form = FormDriver()
        form.press(.down, .enter)
        #expect(form.effects.last == .loadDirectory)
        form.state.directory = Self.directory
        form.type("n")
        #expect(form.state.directoryMatches.isEmpty)  // two letters first
        form.type("i")
        #expect(form.state.directoryMatches.isEmpty)  // "ni" is no one's name, nor the start of one long enough to say
        form.type("a")
        #expect(form.state.directoryMatches.map(\.id) == ["S2"])
        #expect(form.state.step?.fields(form.state) == [.subjectName, .subjectMatch, .subjectNotNamed, .subjectRole])
        form.press(.down)
        #expect(form.state.focusedField == .subjectMatch)
        form.press(.enter)
        #expect(form.state.subjectID == "S2")
        #expect(form.state.draft.subjectName == "Nia Nurse" && form.state.draft.subjectRole == "chief nurse")
        #expect(form.state.draft.subjectSeniority == .executive)
        #expect(form.state.focusedField == .subjectNotNamed)
        form.press(.up)
        form.type("!")  // editing the name undoes the pick
        #expect(form.state.subjectID == nil)
    }

    static let directory = StaffDirectory([
        StaffMember(id: "S2", name: "Nia Nurse", unixUser: "nnurse", role: "chief nurse", seniority: .executive, managerID: "S1", ward: "Board"),
        StaffMember(id: "S9", name: "Nick Porter", unixUser: nil, role: "porter", seniority: .staff, managerID: nil, ward: "Estates"),
        StaffMember(id: "S3", name: "William Smith", unixUser: "wsmith", role: "medical director", seniority: .executive, managerID: nil, ward: ""),
        StaffMember(id: "S4", name: "Wilhelmina Smith", unixUser: "wismith", role: "staff nurse", seniority: .practitioner, managerID: "S2", ward: "Ward 7"),
    ])

    @Test("the offer reads names as routing does (a short form, a slip), and 'none of these' keeps the name as typed")
    func directoryOffer() {
        var form = FormDriver()
        form.press(.down, .enter)
        form.state.directory = Self.directory
        form.type("Bill Smyth")
        #expect(form.state.directoryMatches.map(\.id) == ["S3"])
        form.press(.backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace)
        form.type("Wil Smith")
        #expect(Set(form.state.directoryMatches.map(\.id)) == ["S3", "S4"])
        form.press(.down, .down, .down)  // past both people, onto "None of these"
        #expect(form.state.matchHighlight == 2)
        form.press(.enter)
        #expect(form.state.subjectID == nil)
        #expect(form.state.draft.subjectName == "Wil Smith")
        #expect(form.state.directoryMatches.isEmpty)
        #expect(form.state.focusedField == .subjectNotNamed)
        form.press(.up)
        form.type("l")  // a changed name is offered again
        #expect(!form.state.directoryMatches.isEmpty)
    }

    @Test("a kiosk never loads the staff directory: a passer-by cannot list staff by typing letters")
    func kioskOffersNoNames() {
        var form = FormDriver(station: .kiosk(location: nil))
        form.press(.enter)
        #expect(!form.effects.contains(.loadDirectory))
        form.type("Nia")
        #expect(form.state.directoryMatches.isEmpty)
    }

    @Test("the seniority ladder runs from student to board, then Not sure; Enter chooses")
    func seniority() {
        var form = FormDriver()
        form.press(.down, .enter, .tab, .tab, .tab)
        #expect(form.state.seniorities.highlightedItem == nil)
        form.press(.enter)  // nothing chosen yet: Enter says what is needed and stays
        #expect(form.step == .seniority && form.state.draft.subjectSeniority == nil)
        #expect(form.state.notice?.text.hasPrefix("Nothing is chosen yet.") == true)
        form.press(.end)
        #expect(form.state.seniorities.highlightedItem == .unknown)
        form.press(.up, .enter)
        #expect(form.state.draft.subjectSeniority == .board)
        #expect(form.step == .concerns)
    }

    @Test("concerns are ticked with Space; continuing with none ticked names the problem and marks the field")
    func concerns() {
        var form = FormDriver()
        form.press(.down, .enter, .tab, .tab, .tab, .down, .enter)
        form.press(.enter)
        #expect(form.step == .concerns)
        #expect(form.state.notice == .problem(ReportProblem.noConcern.sentence))
        #expect(form.state.problemField == .concerns)
        form.press(.character(" "))  // nothing highlighted: nothing ticked
        #expect(form.state.concerns.chosen.isEmpty)
        form.press(.down, .character(" "), .down, .down, .character(" "), .down, .character("x"), .character("x"))
        #expect(form.state.concerns.chosen == [.rudeOrAggressive, .lackOfCompassion])
        form.press(.enter)
        #expect(form.step == .whenWhere)
        #expect(form.state.problemField == nil)
    }

    @Test("when: today and yesterday need nothing more; another day asks for a date, checked")
    func whenAndWhere() {
        var form = FormDriver()
        form.press(.down, .enter, .tab, .tab, .tab, .down, .enter, .down, .character(" "), .enter)
        #expect(form.state.focusedField == .when)
        form.press(.tab, .tab, .tab)  // step past the list without choosing
        #expect(form.state.notice == .problem(ReportProblem.noWhen.sentence))
        #expect(form.state.focusedField == .when)
        form.press(.down, .down, .down, .enter)  // chooses "Another day"
        #expect(form.state.focusedField == .date)
        for (typed, problem) in [("", ReportProblem.noDate), ("31/02/2026", .badDate), ("28/11/2026", .dateInFuture),
                                 ("01/01/1947", .dateTooEarly)] {
            form.press(.home)
            for _ in 0..<12 { form.press(.delete) }
            form.type(typed)
            form.press(.tab, .tab, .tab)
            #expect(form.state.notice == .problem(problem.sentence), "\(typed)")
            #expect(form.state.focusedField == .date)
        }
        form.press(.home); for _ in 0..<12 { form.press(.delete) }
        form.type("2026-11-20")
        form.press(.enter)
        form.type("25:00")
        form.press(.enter, .enter)
        #expect(form.state.notice == .problem(ReportProblem.badTime.sentence))
        #expect(form.state.focusedField == .time)
        for _ in 0..<5 { form.press(.backspace) }
        form.type("9:05")
        form.press(.enter)
        form.type("Ward 7")
        form.press(.enter)
        #expect(form.step == .impact)
        #expect(form.state.draft.occurredDay(today: FormDriver.today) == CalendarDay(year: 2026, month: 11, day: 20))
        #expect(Occurrence.time(typed: form.state.draft.timeText) == "09:05")
    }

    @Test("in an editor Enter starts a new line and Tab continues; a blank account is refused")
    func account() {
        var form = FormDriver()
        form.fillIn(way: 2)
        form.press(.character("7"))
        #expect(form.step == .account)
        form.press(.home, .end)
        for _ in 0..<30 { form.press(.backspace) }
        form.press(.character(" "), .enter, .tab)
        #expect(form.step == .account)
        #expect(form.state.notice == .problem(ReportProblem.emptyAccount.sentence))
        form.type("First")
        form.press(.enter)
        form.type("second?")
        #expect(form.state.account.text == " \nFirst\nsecond?")
        form.press(.tab)
        #expect(form.step == .review)  // reached the check page before: back to it
    }

    @Test("Tab only moves: passing a list with the highlight on another answer keeps the answer chosen")
    func tabDoesNotChoose() {
        var form = FormDriver()
        form.press(.down, .down, .enter)  // confidential
        form.press(.escape)
        form.press(.down, .tab)    // highlight anonymous, then Tab
        #expect(form.state.draft.wayOfRaising == .confidential)
        #expect(!form.effects.contains(.discardDraft))
        #expect(form.step == .subject)
    }

    @Test("the professional group is optional: Tab skips it and records nothing")
    func groupSkipped() {
        var form = FormDriver()
        form.fillIn(way: 1)
        #expect(form.state.draft.professionalGroup == nil)
    }

    @Test("leaving from the resume offer keeps the draft")
    func leaveResumeOffer() {
        var earlier = FormDriver()
        earlier.fillIn(way: 1)
        var form = FormDriver(resumable: earlier.state.draft)
        form.press(.escape)
        #expect(form.effects == [.finish])
        #expect(form.state.keptDraft)
    }

    @Test("holding for a match shows the months, chosen with arrows; 12 is the default")
    func hold() {
        var form = FormDriver()
        form.fillIn(way: 2)
        form.press(.character("9"))
        #expect(form.step == .outcome)
        form.press(.tab, .character(" "))
        #expect(form.state.hold)
        form.press(.tab)
        #expect(form.state.focusedField == .holdMonths)
        #expect(form.state.draft.holdMonths == 12)
        form.press(.left, .left)
        #expect(form.state.draft.holdMonths == 3)
        form.press(.up)
        #expect(form.state.focusedField == .hold)
        form.press(.down, .right, .enter)
        #expect(form.state.focusedField == .excluded)
        form.type("Sam Smith, jbloggs ,")
        form.press(.enter)
        #expect(form.step == .review)
        #expect(ReportDraft.names(in: form.state.draft.excludeText) == ["Sam Smith", "jbloggs"])
        #expect(form.state.draft.holdMonths == 6 && form.state.draft.holdForMatch)
    }

    @Test("open and confidential reports ask about the reporter; the name is offered and required")
    func aboutYou() {
        var form = FormDriver(reporterName: "Asha Patel")
        form.fillIn(way: 1)
        #expect(form.step == .review)
        #expect(form.state.draft.reporterName == "Asha Patel")
        form.press(.character("0"))
        #expect(form.step == .aboutYou)
        form.press(.home)
        for _ in 0..<20 { form.press(.delete) }
        form.press(.enter, .enter)
        #expect(form.state.notice == .problem(ReportProblem.noReporterName.sentence))
        form.type("Asha")
        form.press(.enter)
        form.type("ext 4321")
        form.press(.enter)
        #expect(form.step == .professionalGroup, "\"You\" goes on through the group and the descriptions")
        form.press(.tab)
        for _ in Characteristic.allCases { form.press(.tab) }
        #expect(form.step == .review)
    }

    @Test("anonymous reports skip the pages about the reporter and keep none of it")
    func anonymousSkipsAboutYou() {
        var form = FormDriver(reporterName: "Asha Patel")
        form.fillIn(way: 2)
        #expect(form.step == .review)
        #expect(!form.state.steps.contains(.aboutYou))
        #expect(form.state.draft.reporterName == "")
        #expect(ReporterFormReview.sections(form.state).count == 9)
    }

    @Test("Esc goes back one page at a time and keeps every answer")
    func escapeGoesBack() {
        var form = FormDriver()
        form.fillIn(way: 2)
        let draft = form.state.draft
        var seen: [ReporterFormState.Step] = []
        for _ in 0..<10 {
            form.press(.escape)
            if let step = form.step { seen.append(step) }
        }
        #expect(seen == [.outcome, .witnesses, .account, .impact, .whenWhere, .concerns, .seniority, .subject, .wayOfRaising, .wayOfRaising])
        #expect(form.state.overlay == .confirmLeave)  // back from the first page is leaving: asked first
        #expect(form.state.draft == draft)
        #expect(form.state.ways.highlightedItem == .anonymous)
    }

    @Test("the check page scrolls and a number goes to that page")
    func reviewJumpsAndScrolls() {
        var form = FormDriver()
        form.fillIn(way: 1, account: (1...30).map { "Line \($0)." }.joined(separator: " "))
        form.press(.pageDown)
        #expect(form.state.reviewTop == ReporterFormReview.maxTop(form.state))
        form.press(.pageUp, .pageUp)
        #expect(form.state.reviewTop == 0)
        form.press(.character("5"))
        #expect(form.step == .whenWhere)
        form.press(.tab, .tab)
        form.type(", bay 2")
        form.press(.enter)
        #expect(form.step == .review)
        #expect(form.state.draft.location == "Ward 7, bay 2")
    }

    @Test("S on the check page asks for the draft to be saved, exactly as given; Enter there sends nothing")
    func submit() {
        var form = FormDriver()
        form.fillIn(account: "Zoë \u{1B}[2J 患者")
        form.press(.enter)
        #expect(form.step == .review)
        #expect(!form.effects.contains { if case .submit = $0 { true } else { false } })
        #expect(form.state.notice == .info("Nothing has been sent yet. When you are ready, press S to send your report."))
        form.press(.character("S"))
        #expect(form.state.phase == .saving)
        #expect(form.effects.last == .submit(form.state.draft))
        #expect(form.state.draft.account == "Zoë \u{1B}[2J 患者")
        form.press(.escape, .character("1"))
        #expect(form.state.phase == .saving)
    }

    @Test("a failed save returns to the check page with every answer and the reason")
    func saveFailed() {
        var form = FormDriver()
        form.fillIn()
        let draft = form.state.draft
        form.press(.character("s"))
        ReporterForm.saveFailed(&form.state, "The disk holding the store is full.")
        #expect(form.step == .review)
        #expect(form.state.draft == draft)
        #expect(form.state.notice?.text == "The disk holding the store is full. Everything you wrote is still here. Press S to try again.")
    }

    @Test("after saving, the confirmation shows and Enter finishes")
    func saved() throws {
        var form = FormDriver()
        form.fillIn()
        form.press(.character("s"))
        let report = try form.state.draft.report(reference: CaseReference("SU-7KQ4-M2XD")!, reporter: nil, at: .now, today: FormDriver.today).get()
        ReporterForm.saved(&form.state, report, receipt: ReceiptCode(typed: "1234 5678 9012 3456"))
        form.press(.character("z"))
        #expect(form.state.phase == .saved(report, ReceiptCode(typed: "1234567890123456")))
        form.press(.enter)
        #expect(form.state.phase == .finished)
        #expect(form.effects.last == .finish)
    }

    @Test("Ctrl-C on an untouched form leaves at once; on a started one it asks; Y forgets the draft")
    func leaving() {
        var empty = FormDriver()
        empty.press(.control("c"))
        #expect(empty.effects == [.finish])

        var form = FormDriver()
        form.press(.down, .enter)
        form.press(.control("c"))
        #expect(form.state.overlay == .confirmLeave)
        form.press(.character("q"))
        #expect(form.state.overlay == .confirmLeave)
        form.press(.character("n"))
        #expect(form.state.overlay == nil && form.step == .subject)
        form.press(.function(1), .control("c"))  // from help too
        #expect(form.state.overlay == .confirmLeave)
        form.press(.character("Y"))
        #expect(Array(form.effects.suffix(2)) == [.discardDraft, .finish])
    }

    @Test("F1 opens help everywhere; ? opens it where nothing is typed; Esc closes it")
    func help() {
        var form = FormDriver()
        form.press(.character("?"))
        #expect(form.state.overlay == .help)
        form.press(.down)
        #expect(form.state.ways.highlighted == nil)
        form.press(.escape)
        #expect(form.state.overlay == nil && form.step == .wayOfRaising)
        form.press(.down, .enter)
        form.press(.function(1))
        #expect(form.state.overlay == .help)
    }

    @Test("a draft from an earlier session is offered: R restores every answer, N deletes it")
    func resume() {
        var earlier = FormDriver()
        earlier.fillIn(way: 1, account: "Kept for later.")
        let draft = earlier.state.draft

        var resumed = FormDriver(resumable: draft)
        #expect(resumed.state.phase == .offerResume(draft))
        resumed.press(.character("r"))
        #expect(resumed.step == .wayOfRaising)  // a draft that does not say where it was left starts at the top
        #expect(resumed.state.draft == draft)

        var fresh = FormDriver(resumable: draft)
        fresh.press(.character("n"))
        #expect(fresh.effects == [.discardDraft])
        #expect(!fresh.state.hasStarted)
    }

    @Test("a resumed draft opens on the page and the answer it was left on, having reached the check page or not")
    func resumeWhereLeft() {
        var earlier = FormDriver()
        earlier.press(.down, .down, .enter, .tab, .tab)  // confidential; on the role
        earlier.type("ward sister")
        let onRole = earlier.state.draftToKeep
        #expect(onRole.leftAt == ReportDraft.Place(page: "subject", answer: 2, reviewed: false))
        var resumed = FormDriver(resumable: onRole)
        resumed.press(.character("r"))
        #expect(resumed.step == .subject && resumed.state.focusedField == .subjectRole)
        #expect(resumed.effects == [.loadDirectory])
        resumed.press(.tab)
        #expect(resumed.step == .seniority && resumed.state.seniorities.highlightedItem == .manager)

        var reviewed = FormDriver()
        reviewed.fillIn(way: 1)
        reviewed.press(.character("5"))  // back to "when and where" from the check page
        var again = FormDriver(resumable: reviewed.state.draftToKeep)
        again.press(.enter)
        #expect(again.step == .whenWhere && again.state.hasReviewed)
        again.press(.tab, .tab, .tab)
        #expect(again.step == .review)  // later pages return to the check page, as before the break
    }

    @Test("one-line boxes take the readline keys: Ctrl-A, Ctrl-E, Ctrl-U, Ctrl-K, Ctrl-W")
    func readlineKeys() {
        var form = FormDriver(reporterName: "Asha Patel")
        form.fillIn(way: 1)
        form.press(.character("0"))
        #expect(form.state.focusedField == .reporterName)
        form.press(.control("u"))  // the offered name goes in one key
        #expect(form.state.reporterName.text == "")
        form.type("Dr Asha Patel")
        form.press(.control("w"))
        #expect(form.state.reporterName.text == "Dr Asha ")
        form.press(.control("a"))
        form.type("Ms ")
        #expect(form.state.reporterName.text == "Ms Dr Asha ")
        form.press(.right, .right, .right, .control("k"))
        #expect(form.state.reporterName.text == "Ms Dr ")
        form.press(.control("a"), .control("e"))
        form.type("A")
        #expect(form.state.reporterName.text == "Ms Dr A")
        form.press(.control("a"), .right, .right, .right, .control("u"))
        #expect(form.state.reporterName.text == "Dr A" && form.state.reporterName.buffer.cursor == 0)
    }

    @Test("Esc on the first page leaves an untouched form at once, and asks on a started one")
    func escapeFromFirstPage() {
        var empty = FormDriver()
        empty.press(.escape)
        #expect(empty.effects == [.finish])
        var started = FormDriver()
        started.press(.down, .enter, .escape)
        #expect(started.step == .wayOfRaising)
        started.press(.escape)
        #expect(started.state.overlay == .confirmLeave)
        started.press(.character("n"))
        #expect(started.state.overlay == nil && started.step == .wayOfRaising)
    }

    @Test("a window below 80x24 changes nothing until it is large enough again")
    func tooSmall() {
        var form = FormDriver()
        form.press(.down, .enter)
        form.press(.resize(Size(columns: 60, rows: 20)))
        form.type("ignored")
        #expect(form.state.subjectName.text == "")
        form.press(.resize(Size(columns: 120, rows: 40)))
        form.type("Dr")
        #expect(form.state.subjectName.text == "Dr")
    }

    @Test("a megabyte paste keeps the first 10,000 characters and says why")
    func hugePaste() {
        var form = FormDriver()
        form.fillIn()
        form.press(.character("7"))
        form.press(.paste(String(repeating: "x", count: 1_000_000)))
        #expect(form.state.account.buffer.count == ReportLimits.accountCharacters)
        #expect(form.state.notice?.tone == .problem)
        #expect(form.state.notice?.text.contains("10,000") == true)
    }
}
