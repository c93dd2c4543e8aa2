import Testing
import SpeakUpCore
@testable import SpeakUpTUI

@Suite("The form's \"about you, for the figures\" page")
struct CharacteristicsPageTests {
    /// A form filled in up to the professional group page, then moved on to the next page.
    static func atThePage(way: Int, station: Station = .personal) -> FormDriver {
        var form = FormDriver(station: station)
        form.fillIn(way: way)
        return form
    }

    @Test("asked of open and confidential reporters, after the professional group, never of anonymous ones")
    func askedOnlyWhenIdentityIsKept() {
        var open = FormDriver()
        open.press(.down, .enter)
        #expect(open.state.steps.suffix(3) == [.professionalGroup, .characteristics, .review])
        var anonymous = FormDriver()
        anonymous.press(.down, .down, .down, .enter)
        #expect(!anonymous.state.steps.contains(.characteristics))
        let kiosk = FormDriver(station: .kiosk(location: "Main entrance"))
        #expect(!kiosk.state.steps.contains(.characteristics), "a kiosk takes anonymous reports only")
    }

    @Test("every answer starts at \"prefer not to say\"; → and ← change the focused one; the check page reads them back")
    func changingAnswers() {
        var form = FormDriver()
        for _ in 0...1 { form.press(.down) }
        form.press(.enter)  // confidential
        form.state.phase = .asking(.characteristics)
        form.state.focus = 0
        #expect(form.state.characteristics.isEmpty)
        let first = form.screen.text
        #expect(first.contains("About you, for the figures (optional)"))
        #expect(first.contains("Prefer not to say"))
        form.press(.right, .right, .right)  // ethnic group: white, mixed, asian
        #expect(form.state.characteristics.answer(to: .ethnicGroup).id == "asian")
        form.press(.down, .left)  // disability, from the end: not disabled
        #expect(form.state.characteristics.answer(to: .disability).id == "no")
        #expect(form.state.characteristics.summary == "Asian or Asian British; Not disabled")
        let screen = form.screen.text
        #expect(screen.contains("Asian or Asian British"))
        #expect(screen.contains("< Not disabled >"), "the focused answer shows it can be changed:\n\(screen)")
        let you = ReporterFormReview.sections(form.state).first { $0.step == .aboutYou }
        #expect(you?.value.contains("For the figures only: Asian or Asian British; Not disabled") == true)
    }

    @Test("the page fits at 80x24: every question on the screen at once")
    func fitsTheSmallestScreen() {
        var form = FormDriver()
        form.press(.down, .enter)
        form.state.phase = .asking(.characteristics)
        let screen = form.screen.text
        for question in Characteristic.allCases {
            #expect(screen.contains(question.title), "\(question.title) is missing:\n\(screen)")
        }
    }

    @Test("from the check page, 0 (\"You\") walks name, group and descriptions, then comes back")
    func changedFromTheCheckPage() {
        var form = Self.atThePage(way: 1)
        form.press(.character("0"))
        #expect(form.step == .aboutYou)
        form.press(.tab, .tab)
        #expect(form.step == .professionalGroup)
        form.press(.tab)
        #expect(form.step == .characteristics)
        form.press(.right)
        for _ in Characteristic.allCases { form.press(.tab) }
        #expect(form.step == .review)
        #expect(form.state.characteristics.summary == "White")
    }

    @Test("a filled-in confidential form reaches the check page past it with nothing described")
    func skippedByTab() {
        let form = Self.atThePage(way: 1)
        #expect(form.step == .review)
        #expect(form.state.characteristics.isEmpty)
    }
}
