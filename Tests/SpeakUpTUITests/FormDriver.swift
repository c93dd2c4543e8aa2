import SpeakUpCore
@testable import SpeakUpTUI

/// Drives the pure form with keys and typed text, collecting effects.
struct FormDriver {
    var state: ReporterFormState
    var effects: [ReporterForm.Effect] = []

    init(size: Size = .minimum) { state = ReporterFormState(size: size) }

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

    /// Answers every question up to the check page.
    mutating func fillIn(way: Int = 2, account: String = "Shouted at a patient.") {
        for _ in 0..<way { press(.down) }
        press(.enter)                         // way of raising
        press(.character(" "), .enter)        // first concern
        press(.down, .down, .down, .down, .down, .enter)  // senior clinician
        type("Ward 7"); press(.enter)         // where
        press(.paste(account)); press(.tab)   // what happened
    }
}
