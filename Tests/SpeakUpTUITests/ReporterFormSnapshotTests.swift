import Testing
import SpeakUpCore
@testable import SpeakUpTUI

@Suite("Reporter form: what each screen shows at 80x24")
struct ReporterFormSnapshotTests {
    /// Presses keys from a fresh form up to a page: 0 open, 1 confidential, 2 anonymous.
    static func form(way: Int = 1, _ keys: [Key] = []) -> FormDriver {
        var form = FormDriver()
        for _ in 0...way { form.press(.down) }
        form.press(.enter)
        for key in keys { form.press(key) }
        return form
    }

    static let toSeniority: [Key] = [.tab, .tab, .tab]
    static let toConcerns = toSeniority + [.down, .enter]
    static let toWhen = toConcerns + [.down, .character(" "), .enter]
    static let toImpact = toWhen + [.down, .enter, .enter, .enter]
    static let toAccount = toImpact + [.down, .enter, .tab]

    @Test func wayOfRaising() {
        var form = FormDriver()
        form.press(.down)
        assertSnapshot(form.screen, named: "01-way-of-raising")
    }

    @Test func subject() {
        var form = Self.form()
        form.type("Dr Smith")
        form.press(.tab, .character(" "))
        assertSnapshot(form.screen, named: "02-subject")
    }

    @Test func seniority() {
        var form = Self.form(way: 1, Self.toSeniority)
        form.press(.down, .down)
        assertSnapshot(form.screen, named: "03-seniority")
    }

    @Test func concernsMissing() {
        var form = Self.form(way: 1, Self.toConcerns)
        form.press(.enter)
        assertSnapshot(form.screen, named: "04-concerns-none-ticked")
    }

    @Test func whenWithBadDate() {
        var form = Self.form(way: 1, Self.toWhen)
        form.press(.down, .down, .down, .enter)
        form.type("31/02/2026")
        form.press(.tab, .tab, .tab)
        assertSnapshot(form.screen, named: "05-when-where-bad-date")
    }

    @Test func impact() {
        var form = Self.form(way: 1, Self.toImpact)
        form.press(.down, .down, .down, .enter)
        form.press(.paste("I could not sleep that night."))
        assertSnapshot(form.screen, named: "06-impact")
    }

    @Test func account() {
        var form = Self.form(way: 1, Self.toAccount)
        form.press(.paste("Ward 7 — Zoë said \"患者\" was fine \u{1B}[2J\u{202E}desrever\nShe then walked off. 👩‍⚕️"))
        assertSnapshot(form.screen, named: "07-account")
    }

    @Test func accountFull() {
        var form = Self.form(way: 1, Self.toAccount)
        form.press(.paste(String(repeating: "All work and no play. ", count: 460)))
        assertSnapshot(form.screen, named: "07-account-full")
    }

    @Test func witnesses() {
        var form = Self.form(way: 1, Self.toAccount + [.paste("He shouted."), .tab])
        form.press(.paste("The registrar on call, and a patient's daughter."))
        assertSnapshot(form.screen, named: "08-witnesses")
    }

    @Test func outcomeWithHold() {
        var form = Self.form(way: 1, Self.toAccount + [.paste("He shouted."), .tab, .tab])
        form.press(.down, .down, .enter, .character(" "), .tab, .tab)
        form.type("Sam Smith, jbloggs")
        assertSnapshot(form.screen, named: "09-outcome-hold")
    }

    @Test func aboutYou() {
        var form = Self.form(way: 1, Self.toAccount + [.paste("He shouted."), .tab, .tab, .down, .enter, .enter, .enter])
        assertSnapshot(form.screen, named: "10-about-you")
    }

    @Test func professionalGroup() {
        var form = Self.form(way: 1, Self.toAccount + [.paste("He shouted."), .tab, .tab, .down, .enter, .enter, .enter, .enter, .enter])
        assertSnapshot(form.screen, named: "11-professional-group")
    }

    @Test func characteristics() {
        var form = Self.form(way: 1, Self.toAccount + [.paste("He shouted."), .tab, .tab, .down, .enter, .enter, .enter, .enter, .enter, .tab,
                                                       .right, .right, .down, .down, .down, .left])
        assertSnapshot(form.screen, named: "11b-characteristics")
    }

    @Test func review() {
        var form = FormDriver()
        form.fillIn(way: 1, account: "Shouted at a patient in bay 3 because the call bell was ringing.\nI was there.")
        assertSnapshot(form.screen, named: "12-review-confidential")
    }

    @Test func reviewScrolled() {
        var form = FormDriver()
        form.fillIn(way: 1, account: (1...30).map { "Line \($0) of a long account." }.joined(separator: "\n"))
        form.press(.end)
        assertSnapshot(form.screen, named: "12-review-scrolled")
    }

    @Test func saveFailed() {
        var form = FormDriver()
        form.fillIn()
        form.press(.character("s"))
        ReporterForm.saveFailed(&form.state, "The disk holding the store is full. Your report has not been saved, and nothing on this screen is lost. Please tell IT.")
        assertSnapshot(form.screen, named: "12-review-save-failed")
    }

    @Test func savedAnonymous() throws {
        var form = FormDriver()
        form.fillIn(way: 2)
        form.press(.character("s"))
        let report = try form.state.draft.report(reference: CaseReference("SU-7KQ4-M2XD")!, reporter: nil, at: .now, today: FormDriver.today).get()
        ReporterForm.saved(&form.state, report, receipt: ReceiptCode(typed: "4821 0937 5512 0648"))
        assertSnapshot(form.screen, named: "13-saved-anonymous")
    }

    @Test func savedConfidential() throws {
        var form = FormDriver()
        form.fillIn(way: 1)
        form.press(.character("s"))
        let report = try form.state.draft.report(reference: CaseReference("SU-7KQ4-M2XD")!, reporter: nil, at: .now, today: FormDriver.today).get()
        ReporterForm.saved(&form.state, report, receipt: nil)
        assertSnapshot(form.screen, named: "13-saved-confidential")
    }

    @Test func resume() {
        var earlier = FormDriver()
        earlier.fillIn(way: 1)
        let form = FormDriver(resumable: earlier.state.draft)
        assertSnapshot(form.screen, named: "00-resume")
    }

    @Test func help() {
        var form = Self.form(way: 1, Self.toConcerns)
        form.press(.character("?"))
        assertSnapshot(form.screen, named: "help-concerns")
    }

    @Test func confirmLeave() {
        var form = Self.form(way: 1, [.control("c")])
        assertSnapshot(form.screen, named: "confirm-leave")
    }

    @Test func tooSmall() {
        var form = FormDriver(size: Size(columns: 60, rows: 20))
        form.press(.enter)
        assertSnapshot(form.screen, named: "too-small-60x20")
    }

    @Test func large() {
        var form = FormDriver(size: Size(columns: 120, rows: 40))
        form.press(.down, .enter)
        for key in Self.toAccount { form.press(key) }
        form.press(.paste("A longer account at a larger size, which should wrap at the wider editor and leave more rows below."))
        assertSnapshot(form.screen, named: "07-account-120x40")
    }
}
