import SpeakUpCore

/// Runs the reporter form on a terminal until the reporter finishes, leaves, or
/// the terminal hangs up: keys in, state updated, effects carried out, canvas drawn.
public struct ReporterSession {
    /// How a session ended.
    public enum Outcome: Hashable, Sendable {
        /// The report is on disk; the reporter saw its reference.
        case submitted(Report)
        /// The reporter left without sending.
        case left
        /// The terminal went away mid-form.
        case hungUp
    }

    let store: any ReportStore
    let reporter: Reporter?
    let clock: any Clock

    /// - Parameters:
    ///   - reporter: the person at the terminal (from the real uid); kept only
    ///     with open and confidential reports.
    public init(store: any ReportStore, reporter: Reporter?, clock: any Clock) {
        self.store = store
        self.reporter = reporter
        self.clock = clock
    }

    public func run(on terminal: some Terminal) -> Outcome {
        var state = ReporterFormState(size: terminal.size)
        var submitted: Report? = nil
        draw(state, on: terminal)
        while let keys = terminal.nextKeys() {
            for key in keys {
                for effect in ReporterForm.update(&state, key) {
                    switch effect {
                    case .submit(let draft):
                        draw(state, on: terminal)  // "Saving your report…"
                        if let report = submit(draft, &state) { submitted = report }
                    case .finish:
                        return submitted.map(Outcome.submitted) ?? .left
                    }
                }
            }
            draw(state, on: terminal)
        }
        return submitted.map(Outcome.submitted) ?? .hungUp
    }

    private func submit(_ draft: ReportDraft, _ state: inout ReporterFormState) -> Report? {
        switch draft.report(reference: .random(), reporter: reporter, at: clock.now()) {
        case .failure(let problem):
            ReporterForm.saveFailed(&state, StoreError(.failed, problem.sentence))
            return nil
        case .success(let report):
            do {
                let stored = try store.submit(report)
                ReporterForm.saved(&state, stored)
                return stored
            } catch {
                ReporterForm.saveFailed(&state, error)
                return nil
            }
        }
    }

    private func draw(_ state: ReporterFormState, on terminal: some Terminal) {
        var canvas = Canvas(size: state.size)
        ReporterFormView.render(state, into: &canvas)
        terminal.draw(canvas)
    }
}
