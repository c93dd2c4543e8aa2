import Testing
import SpeakUpCore
@testable import SpeakUpTUI

@Suite("Reporter form: what each screen shows at 80x24")
struct ReporterFormSnapshotTests {
    @Test func wayOfRaising() {
        var form = FormDriver()
        form.press(.down)
        assertSnapshot(form.screen, named: "1-way-of-raising")
    }

    @Test func concerns() {
        var form = FormDriver()
        form.press(.enter, .down, .character(" "), .down)
        assertSnapshot(form.screen, named: "2-concerns")
    }

    @Test func concernsMissing() {
        var form = FormDriver()
        form.press(.enter, .enter)
        assertSnapshot(form.screen, named: "2-concerns-none-ticked")
    }

    @Test func seniority() {
        var form = FormDriver()
        form.press(.enter, .character(" "), .enter, .down, .down)
        assertSnapshot(form.screen, named: "3-seniority")
    }

    @Test func location() {
        var form = FormDriver()
        form.press(.enter, .character(" "), .enter, .enter)
        form.type("Ward 7 \u{1B}]52;c;aGk=\u{07}")
        assertSnapshot(form.screen, named: "4-location-with-escape")
    }

    @Test func account() {
        var form = FormDriver()
        form.press(.enter, .character(" "), .enter, .enter, .enter)
        form.press(.paste("Ward 7 — Zoë said \"患者\" was fine \u{1B}[2J\u{202E}desrever\nShe then walked off. 👩‍⚕️"))
        assertSnapshot(form.screen, named: "5-account")
    }

    @Test func accountNearlyFull() {
        var form = FormDriver()
        form.press(.enter, .character(" "), .enter, .enter, .enter)
        form.press(.paste(String(repeating: "All work and no play. ", count: 460)))
        assertSnapshot(form.screen, named: "5-account-full")
    }

    @Test func review() {
        var form = FormDriver()
        form.fillIn(account: "Shouted at a patient in bay 3 because the call bell was ringing.\nI was there.")
        assertSnapshot(form.screen, named: "6-review")
    }

    @Test func reviewLongAccount() {
        var form = FormDriver()
        form.fillIn(account: (1...30).map { "Line \($0) of a long account." }.joined(separator: "\n"))
        assertSnapshot(form.screen, named: "6-review-long")
    }

    @Test func saveFailed() {
        var form = FormDriver()
        form.fillIn()
        form.press(.enter)
        ReporterForm.saveFailed(&form.state, StoreError(.diskFull, "The disk holding the store is full. Your report has not been saved, and nothing on this screen is lost. Please tell IT."))
        assertSnapshot(form.screen, named: "6-review-save-failed")
    }

    @Test func saved() {
        var form = FormDriver()
        form.fillIn()
        form.press(.enter)
        let report = try! form.state.draft.report(reference: CaseReference("SU-7KQ4-M2XD")!, reporter: nil, at: .now).get()
        ReporterForm.saved(&form.state, report)
        assertSnapshot(form.screen, named: "7-saved-anonymous")
    }

    @Test func help() {
        var form = FormDriver()
        form.press(.enter, .character("?"))
        assertSnapshot(form.screen, named: "help-concerns")
    }

    @Test func confirmLeave() {
        var form = FormDriver()
        form.press(.enter, .control("c"))
        assertSnapshot(form.screen, named: "confirm-leave")
    }

    @Test func tooSmall() {
        var form = FormDriver(size: Size(columns: 60, rows: 20))
        form.press(.enter)
        assertSnapshot(form.screen, named: "too-small-60x20")
    }

    @Test func large() {
        var form = FormDriver(size: Size(columns: 120, rows: 40))
        form.press(.enter, .character(" "), .enter, .enter, .enter)
        form.press(.paste("A longer account at a larger size, which should wrap at the wider editor and leave more rows below."))
        assertSnapshot(form.screen, named: "5-account-120x40")
    }
}
