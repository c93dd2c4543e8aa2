import SpeakUpCore

/// The reporter form's behaviour: a pure state machine.
///
/// `update` takes a key and returns what the program must do outside (save the
/// report, end); `saved`/`saveFailed` bring the store's answer back in.
public enum ReporterForm {
    /// Work the form asks the program to do.
    public enum Effect: Hashable, Sendable {
        /// Save this draft as a report, then call `saved` or `saveFailed`.
        case submit(ReportDraft)
        /// The reporter is done; end the program.
        case finish
    }

    /// Applies one key.
    public static func update(_ state: inout ReporterFormState, _ key: Key) -> [Effect] {
        if case .resize(let size) = key {
            state.size = size
            state.account.resize(to: ReporterFormLayout(size: size).accountViewport)
            return []
        }
        // While the window is too small nothing is shown, so nothing is changed.
        guard state.size.isLargeEnough else { return [] }

        if let overlay = state.overlay {
            return updateOverlay(overlay, &state, key)
        }
        switch state.phase {
        case .asking(let step):
            if key == .control("c") {
                if state.draft.isEmpty {
                    state.phase = .finished
                    return [.finish]
                }
                state.overlay = .confirmLeave
                return []
            }
            state.notice = nil
            return updateStep(step, &state, key)
        case .saving, .finished:
            return []
        case .saved:
            switch key {
            case .enter, .escape, .character("q"), .control("c"), .character(" "):
                state.phase = .finished
                return [.finish]
            default:
                return []
            }
        }
    }

    /// The store kept the report: show the confirmation.
    public static func saved(_ state: inout ReporterFormState, _ report: Report) {
        state.phase = .saved(report)
        state.notice = nil
        state.overlay = nil
    }

    /// The store could not keep the report: back to the check page with every
    /// answer intact and the reason in plain words.
    public static func saveFailed(_ state: inout ReporterFormState, _ error: StoreError) {
        state.phase = .asking(.review)
        state.notice = .problem(error.sentence + " Press Enter to try again.")
    }

    private static func updateOverlay(_ overlay: ReporterFormState.Overlay, _ state: inout ReporterFormState, _ key: Key) -> [Effect] {
        switch overlay {
        case .help:
            switch key {
            case .escape, .enter, .function(1), .character("?"), .character("q"):
                state.overlay = nil
            default: break
            }
            return []
        case .confirmLeave:
            switch key {
            case .character("y"), .character("Y"):
                state.overlay = nil
                state.phase = .finished
                return [.finish]
            case .character("n"), .character("N"), .escape, .enter, .control("c"):
                state.overlay = nil
                state.notice = .info("Nothing was lost. Carry on whenever you are ready.")
            default: break
            }
            return []
        }
    }

    private static func updateStep(_ step: ReporterFormState.Step, _ state: inout ReporterFormState, _ key: Key) -> [Effect] {
        if key == .function(1) || (key == .character("?") && !step.takesText) {
            state.overlay = .help
            return []
        }
        if key == .escape {
            goBack(from: step, &state)
            return []
        }
        switch step {
        case .wayOfRaising:
            if state.ways.move(key) { return [] }
            if key == .enter || key == .tab || key == .character(" ") {
                state.ways.chooseHighlighted()
                advance(from: step, &state)
            }
        case .concerns:
            if state.concerns.move(key) { return [] }
            switch key {
            case .character(" "), .character("x"):
                state.concerns.toggleHighlighted()
            case .enter, .tab:
                if state.concerns.chosen.isEmpty {
                    state.notice = .problem(ReportProblem.noConcern.sentence)
                } else {
                    advance(from: step, &state)
                }
            default: break
            }
        case .seniority:
            if state.seniorities.move(key) { return [] }
            if key == .enter || key == .tab || key == .character(" ") {
                state.seniorities.chooseHighlighted()
                advance(from: step, &state)
            }
        case .location:
            if key == .enter || key == .tab {
                advance(from: step, &state)
            } else if state.location.handle(key) == .full {
                state.notice = .problem(ReportProblem.locationTooLong.sentence)
            }
        case .account:
            if key == .tab {
                if state.draft.account.allSatisfy(\.isWhitespace) {
                    state.notice = .problem(ReportProblem.emptyAccount.sentence)
                } else {
                    advance(from: step, &state)
                }
            } else if state.account.handle(key) == .full {
                state.notice = .problem(
                    "There is room for \(ReportLimits.accountCharacters.formatted()) characters, so the rest was not added. Please shorten it if you can.")
            }
        case .review:
            return updateReview(&state, key)
        }
        return []
    }

    private static func updateReview(_ state: inout ReporterFormState, _ key: Key) -> [Effect] {
        switch key {
        case .enter:
            if let problem = state.draft.problems.first {
                state.notice = .problem(problem.sentence)
                return []
            }
            state.phase = .saving
            return [.submit(state.draft)]
        case .character(let digit) where ("1"..."5").contains(digit):
            let number = Int(String(digit))!
            state.phase = .asking(ReporterFormState.Step(rawValue: number - 1)!)
        default:
            break
        }
        return []
    }

    private static func advance(from step: ReporterFormState.Step, _ state: inout ReporterFormState) {
        if step == .account || state.hasReviewed {
            state.hasReviewed = true
            state.phase = .asking(.review)
            return
        }
        let next = ReporterFormState.Step(rawValue: step.rawValue + 1)!
        state.phase = .asking(next)
        // Coming back to a choice shows the highlight on what was chosen before.
        if next == .seniority, let chosen = state.seniorities.chosen.first { state.seniorities.highlight(chosen) }
    }

    private static func goBack(from step: ReporterFormState.Step, _ state: inout ReporterFormState) {
        guard let previous = ReporterFormState.Step(rawValue: step.rawValue - 1) else {
            state.notice = .info("This is the first question. To leave SpeakUp, press Ctrl-C.")
            return
        }
        state.phase = .asking(previous)
        if previous == .wayOfRaising, let chosen = state.ways.chosen.first { state.ways.highlight(chosen) }
        if previous == .seniority, let chosen = state.seniorities.chosen.first { state.seniorities.highlight(chosen) }
    }
}

extension ReporterFormState.Step {
    /// Steps where `?` is typed as text rather than opening help.
    var takesText: Bool { self == .location || self == .account }
}
