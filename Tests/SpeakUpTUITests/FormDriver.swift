import SpeakUpCore
@testable import SpeakUpTUI

/// Drives the pure form with keys and typed text, collecting effects.
struct FormDriver {
    static let today = CalendarDay(year: 2026, month: 11, day: 27)!
    var state: ReporterFormState
    var effects: [ReporterForm.Effect] = []

    init(size: Size = .minimum, reporterName: String = "Asha Patel", resumable: ReportDraft? = nil, station: Station = .personal) {
        state = ReporterFormState(size: size, today: Self.today, reporterName: reporterName, resumable: resumable, station: station)
    }

    mutating func press(_ keys: Key...) {
        for key in keys { effects += ReporterForm.update(&state, key) }
    }

    mutating func type(_ text: String) {
        for character in text { press(.character(character)) }
    }

    var screen: Canvas {
        var canvas = Canvas(size: state.size)
        ReporterFormView.render(state, into: &canvas)
        return canvas
    }

    var step: ReporterFormState.Step? { state.step }

    /// Answers every page up to the check page with quick, valid answers.
    /// `way`: 0 open, 1 confidential, 2 anonymous.
    mutating func fillIn(way: Int = 2, account: String = "Shouted at a patient.") {
        for _ in 0...way { press(.down) }                 // lists start with nothing highlighted
        press(.enter)                                     // way of raising
        type("Dr Smith"); press(.enter, .enter)           // name, not-named box
        type("consultant"); press(.enter)                 // role
        press(.enter)                                     // senior clinician, as the role suggests
        press(.down, .character(" "), .enter)             // first concern
        press(.down, .enter, .enter)                      // today, no time
        type("Ward 7"); press(.enter)                     // where
        press(.down, .down, .enter, .tab)                 // low harm, no staff impact
        press(.paste(account), .tab)                      // what happened
        press(.tab)                                       // no witnesses
        press(.end, .enter, .enter, .enter)               // just record it, no hold, nobody excluded
        if way < 2 {
            press(.enter, .enter)                         // name as offered, no contact
            press(.tab)                                   // group skipped
            for _ in Characteristic.allCases { press(.tab) }  // "about you, for the figures" left as it is
        }
    }
}
