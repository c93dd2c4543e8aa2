/// Runs the subject access review on a terminal until the handler approves or declines. The
/// terminal closing (a hang-up) declines: nothing is written without a person's yes.
public enum DisclosureReviewSession {
    /// True only when the handler approved.
    public static func run(on terminal: some Terminal, staffID: String, file: String, draft: String) -> Bool {
        var state = DisclosureReviewState(size: terminal.size, staffID: staffID, file: file, draft: draft)
        draw(state, on: terminal)
        while let keys = terminal.nextKeys() {
            for key in keys {
                if let effect = DisclosureReview.update(&state, key).first { return effect == .approve }
            }
            draw(state, on: terminal)
        }
        return false
    }

    static func draw(_ state: DisclosureReviewState, on terminal: some Terminal) {
        var canvas = Canvas(size: state.size)
        DisclosureReviewView.render(state, into: &canvas)
        terminal.draw(canvas)
    }
}
