import Testing
import SpeakUpCore
@testable import SpeakUpTUI

@Suite("Reporter form: every transition")
struct ReporterFormTests {
    @Test("the form starts by asking how to raise the concern, with nothing chosen")
    func start() {
        let form = FormDriver()
        #expect(form.state.phase == .asking(.wayOfRaising))
        #expect(form.state.draft.isEmpty)
    }

    @Test("arrows move and Enter chooses the way of raising, then asks about the concern")
    func chooseWay() {
        var form = FormDriver()
        form.press(.down, .down, .down, .up)
        #expect(form.state.ways.highlighted == 1)
        form.press(.enter)
        #expect(form.state.draft.wayOfRaising == .confidential)
        #expect(form.state.phase == .asking(.concerns))
    }

    @Test("concerns are ticked and unticked with Space; Enter with none ticked gives a sentence")
    func tickConcerns() {
        var form = FormDriver()
        form.press(.enter)
        form.press(.enter)
        #expect(form.state.phase == .asking(.concerns))
        #expect(form.state.notice == .problem(ReportProblem.noConcern.sentence))
        form.press(.character(" "), .down, .down, .character(" "), .down, .character("x"), .character("x"))
        #expect(form.state.concerns.chosen == [.rudeOrAggressive, .lackOfCompassion])
        form.press(.enter)
        #expect(form.state.notice == nil)
        #expect(form.state.phase == .asking(.seniority))
    }

    @Test("the seniority ladder runs from student to board, then Not sure")
    func seniority() {
        var form = FormDriver()
        form.press(.enter, .character(" "), .enter)
        form.press(.end)
        #expect(form.state.seniorities.highlightedItem == .unknown)
        form.press(.up, .enter)
        #expect(form.state.draft.subjectSeniority == .board)
        #expect(form.state.phase == .asking(.location))
    }

    @Test("the place is edited with arrows, Home, End, Backspace and Delete; ? is typed, not help")
    func location() {
        var form = FormDriver()
        form.press(.enter, .character(" "), .enter, .enter)
        form.type("Wrd 7?")
        form.press(.home, .right, .character("a"), .end, .backspace, .left, .left, .delete)
        #expect(form.state.location.text == "Ward7")
        #expect(form.state.overlay == nil)
        form.press(.enter)
        #expect(form.state.phase == .asking(.account))
    }

    @Test("in the account Enter starts a new line and Tab continues; a blank account is refused")
    func account() {
        var form = FormDriver()
        form.press(.enter, .character(" "), .enter, .enter, .enter)
        form.press(.character(" "), .enter, .tab)
        #expect(form.state.phase == .asking(.account))
        #expect(form.state.notice == .problem(ReportProblem.emptyAccount.sentence))
        form.type("First")
        form.press(.enter)
        form.type("second?")
        #expect(form.state.account.text == " \nFirst\nsecond?")
        form.press(.tab)
        #expect(form.state.phase == .asking(.review))
    }

    @Test("Esc goes back one step at a time and keeps every answer")
    func escapeGoesBack() {
        var form = FormDriver()
        form.fillIn()
        let draft = form.state.draft
        var seen: [ReporterFormState.Step] = []
        for _ in 0..<6 {
            form.press(.escape)
            if let step = form.state.step { seen.append(step) }
        }
        #expect(seen == [.account, .location, .seniority, .concerns, .wayOfRaising, .wayOfRaising])
        #expect(form.state.notice == .info("This is the first question. To leave SpeakUp, press Ctrl-C."))
        #expect(form.state.draft == draft)
        #expect(form.state.ways.highlightedItem == .anonymous)
    }

    @Test("on the check page a number goes to that answer, and continuing returns to the check page")
    func reviewJumps() {
        var form = FormDriver()
        form.fillIn()
        form.press(.character("4"))
        #expect(form.state.phase == .asking(.location))
        form.type(", bay 2")
        form.press(.enter)
        #expect(form.state.phase == .asking(.review))
        #expect(form.state.draft.location == "Ward 7, bay 2")
        form.press(.character("9"))
        #expect(form.state.phase == .asking(.review))
    }

    @Test("Enter on the check page asks for the draft to be saved, exactly as given")
    func submit() {
        var form = FormDriver()
        form.fillIn(account: "Zoë \u{1B}[2J 患者")
        form.press(.enter)
        #expect(form.state.phase == .saving)
        #expect(form.effects == [.submit(form.state.draft)])
        #expect(form.state.draft.account == "Zoë \u{1B}[2J 患者")
        // Keys while saving do nothing.
        form.press(.escape, .character("1"))
        #expect(form.state.phase == .saving)
    }

    @Test("a failed save returns to the check page with every answer and the reason")
    func saveFailed() {
        var form = FormDriver()
        form.fillIn()
        let draft = form.state.draft
        form.press(.enter)
        ReporterForm.saveFailed(&form.state, StoreError(.diskFull, "The disk holding the store is full."))
        #expect(form.state.phase == .asking(.review))
        #expect(form.state.draft == draft)
        #expect(form.state.notice?.text == "The disk holding the store is full. Press Enter to try again.")
        form.press(.enter)
        #expect(form.effects.count == 2)
    }

    @Test("after saving, the confirmation shows and Enter finishes")
    func saved() {
        var form = FormDriver()
        form.fillIn()
        form.press(.enter)
        let report = try! form.state.draft.report(reference: CaseReference("SU-7KQ4-M2XD")!, reporter: nil, at: .now).get()
        ReporterForm.saved(&form.state, report)
        #expect(form.state.phase == .saved(report))
        form.press(.character("z"))
        #expect(form.state.phase == .saved(report))
        form.press(.enter)
        #expect(form.state.phase == .finished)
        #expect(form.effects.last == .finish)
    }

    @Test("Ctrl-C on an empty form leaves at once")
    func leaveEmpty() {
        var form = FormDriver()
        form.press(.control("c"))
        #expect(form.effects == [.finish])
    }

    @Test("Ctrl-C on a started form asks first; N keeps everything, Y leaves")
    func leaveStarted() {
        var form = FormDriver()
        form.press(.enter, .character(" "))
        form.press(.control("c"))
        #expect(form.state.overlay == .confirmLeave)
        #expect(form.effects.isEmpty)
        form.press(.character("q"))  // not an answer: still asking
        #expect(form.state.overlay == .confirmLeave)
        form.press(.character("n"))
        #expect(form.state.overlay == nil)
        #expect(form.state.concerns.chosen == [.rudeOrAggressive])
        form.press(.control("c"), .escape)
        #expect(form.state.overlay == nil && form.effects.isEmpty)
        form.press(.control("c"), .character("Y"))
        #expect(form.effects == [.finish])
    }

    @Test("F1 opens help everywhere; ? opens it where nothing is typed; Esc closes it")
    func help() {
        var form = FormDriver()
        form.press(.character("?"))
        #expect(form.state.overlay == .help)
        form.press(.down)  // ignored under help
        #expect(form.state.ways.highlighted == 0)
        form.press(.escape)
        #expect(form.state.overlay == nil)
        #expect(form.state.phase == .asking(.wayOfRaising))
        form.press(.enter, .character(" "), .enter, .enter, .enter)
        form.press(.function(1))
        #expect(form.state.overlay == .help)
        form.press(.function(1))
        #expect(form.state.overlay == nil)
    }

    @Test("a window below 80x24 changes nothing until it is large enough again")
    func tooSmall() {
        var form = FormDriver()
        form.press(.enter)
        form.press(.resize(Size(columns: 60, rows: 20)))
        form.press(.character(" "), .enter, .control("c"))
        #expect(form.state.concerns.chosen.isEmpty && form.state.overlay == nil)
        form.press(.resize(Size(columns: 120, rows: 40)))
        form.press(.character(" "))
        #expect(form.state.concerns.chosen == [.rudeOrAggressive])
    }

    @Test("a megabyte paste keeps the first 10,000 characters and says why")
    func hugePaste() {
        var form = FormDriver()
        form.press(.enter, .character(" "), .enter, .enter, .enter)
        form.press(.paste(String(repeating: "x", count: 1_000_000)))
        #expect(form.state.account.buffer.count == ReportLimits.accountCharacters)
        #expect(form.state.notice?.tone == .problem)
        #expect(form.state.notice?.text.contains("10,000") == true)
        form.press(.character("y"))
        #expect(form.state.account.buffer.count == ReportLimits.accountCharacters)
        form.press(.backspace, .character("y"))
        #expect(form.state.account.text.last == "y")
    }
}
