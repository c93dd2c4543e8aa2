import Testing
import SpeakUpCore
@testable import SpeakUpTUI

/// An answer from a list is only ever one the person chose (issue 11): a consultant
/// recorded as "Student", or a reporter counted as "Nursing" because they pressed Enter,
/// must be impossible.
@Suite("Reporter form: every list answer is one the person chose")
struct ChosenAnswersTests {
    /// The list answers the draft holds.
    static func listAnswers(_ draft: ReportDraft) -> [String] {
        var found: [String] = []
        if let way = draft.wayOfRaising { found.append("way: \(way)") }
        if let seniority = draft.subjectSeniority { found.append("seniority: \(seniority)") }
        if !draft.concerns.isEmpty { found.append("concerns: \(draft.concerns)") }
        if let when = draft.when { found.append("when: \(when)") }
        if let harm = draft.harm { found.append("harm: \(harm)") }
        if let outcome = draft.desiredOutcome { found.append("outcome: \(outcome)") }
        if let group = draft.professionalGroup { found.append("group: \(group)") }
        return found
    }

    @Test("Enter alone, pressed any number of times on any page, records no list answer", arguments: ReporterFormState.Step.allCases)
    func enterAloneOnEveryPage(step: ReporterFormState.Step) {
        var form = FormDriver()
        form.state.phase = .asking(step)
        for _ in 0..<30 {
            form.press(.enter)
            #expect(Self.listAnswers(form.state.draft).isEmpty, "on \(step), now at \(String(describing: form.step))")
            #expect(!form.effects.contains { if case .submit = $0 { true } else { false } })
        }
    }

    @Test("the same for a reporter whose role suggests a band: the suggestion is highlighted, never taken by passing")
    func suggestionIsNotAnAnswer() {
        var form = FormDriver()
        form.press(.down, .down, .enter)  // confidential, chosen
        form.press(.tab, .tab)
        form.type("consultant")
        form.press(.tab)
        #expect(form.step == .seniority)
        #expect(form.state.seniorities.highlightedItem == .seniorClinician)
        #expect(form.state.draft.subjectSeniority == nil)
        #expect(form.state.notice?.text.contains("Senior clinician") == true)
        form.press(.tab)  // passing it chooses nothing, and the page says what it needs
        #expect(form.state.draft.subjectSeniority == nil && form.step == .seniority)
        form.press(.enter)  // Enter on the suggestion is a choice
        #expect(form.state.draft.subjectSeniority == .seniorClinician && form.step == .concerns)
    }

    @Test("random runs of Enter, Tab, Shift-Tab, Esc and typing, from a fresh form at each station, record no list answer",
          arguments: [Station.personal, .ward(location: "Ward 7"), .kiosk(location: nil)])
    func randomRunsWithoutChoosing(station: Station) {
        var random = SeededRandom(seed: 11)
        let keys: [Key] = [.enter, .enter, .enter, .tab, .backTab, .escape, .character("x"), .paste("7"), .control("u")]
        for run in 0..<200 {
            var form = FormDriver(station: station)
            let given = Self.listAnswers(form.state.draft)  // a kiosk's only way, anonymous, is a fact of the kiosk
            for _ in 0..<60 {
                let key = keys.randomElement(using: &random)!
                form.press(key)
                if case .finished = form.state.phase { break }
                if form.state.overlay == .confirmLeave { form.press(.character("n")) }
            }
            #expect(Self.listAnswers(form.state.draft) == given, "run \(run)")
        }
    }
}
