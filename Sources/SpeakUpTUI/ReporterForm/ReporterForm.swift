import SpeakUpCore

/// The reporter form's behaviour: a pure state machine.
///
/// `update` takes a key and returns what the program must do outside (save a
/// draft, save the report, end); `saved`/`saveFailed` bring the store's answer back.
public enum ReporterForm {
    /// Work the form asks the program to do.
    public enum Effect: Hashable, Sendable {
        /// Keep this draft for its owner (open and confidential reports only).
        case saveDraft(ReportDraft)
        /// Forget the owner's draft (they left, started again, or chose anonymity).
        case discardDraft
        /// Load the staff directory into `state.directory` (for "who is it about").
        case loadDirectory
        /// Save this draft as a report, then call `saved` or `saveFailed`.
        case submit(ReportDraft)
        /// The reporter is done; end the program.
        case finish
    }

    /// Applies one key.
    public static func update(_ state: inout ReporterFormState, _ key: Key) -> [Effect] {
        if case .resize(let size) = key {
            state.size = size
            state.layoutEditors()
            return []
        }
        // While the window is too small nothing is shown, so nothing is changed.
        guard state.size.isLargeEnough else { return [] }
        if let overlay = state.overlay {
            return updateOverlay(overlay, &state, key)
        }
        switch state.phase {
        case .offerResume(let draft):
            switch key {
            case .character("r"), .character("R"), .enter:
                state.resume(draft)
                state.notice = .info("Welcome back. Your answers are as you left them, and you are where you left off.")
                return state.step == .subject && state.directory == nil && !state.station.isKiosk ? [.loadDirectory] : []
            case .character("n"), .character("N"):
                state.phase = .asking(.wayOfRaising)
                return [.discardDraft]
            case .escape, .control("c"), .character("q"):
                // Leaving here keeps the draft for next time.
                state.keptDraft = true
                state.phase = .finished
                return [.finish]
            default: break
            }
            return []
        case .asking(let step):
            if key == .control("c") {
                if !state.hasStarted {
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
            case .enter, .escape, .character("q"), .control("c"):
                state.phase = .finished
                return [.finish]
            default:
                return []
            }
        }
    }

    /// The store kept the report: show the confirmation.
    public static func saved(_ state: inout ReporterFormState, _ report: Report, receipt: ReceiptCode?) {
        state.phase = .saved(report, receipt)
        state.notice = nil
        state.overlay = nil
    }

    /// The report could not be kept: back to the check page with every answer
    /// intact and the reason in plain words.
    public static func saveFailed(_ state: inout ReporterFormState, _ sentence: String) {
        state.phase = .asking(.review)
        state.notice = .problem(sentence + " Everything you wrote is still here. Press S to try again.")
    }

    private static func updateOverlay(_ overlay: ReporterFormState.Overlay, _ state: inout ReporterFormState, _ key: Key) -> [Effect] {
        switch overlay {
        case .help:
            switch key {
            case .escape, .enter, .function(1), .character("?"), .character("q"):
                state.overlay = nil
            case .control("c"):
                state.overlay = nil
                if !state.hasStarted {
                    state.phase = .finished
                    return [.finish]
                }
                state.overlay = .confirmLeave
            default: break
            }
            return []
        case .confirmLeave:
            switch key {
            case .character("y"), .character("Y"):
                state.overlay = nil
                state.phase = .finished
                return [.discardDraft, .finish]
            case .character("n"), .character("N"), .escape, .enter, .control("c"):
                state.overlay = nil
                state.notice = .info("Nothing was lost. Carry on whenever you are ready.")
            default: break
            }
            return []
        }
    }

    private static func updateStep(_ step: ReporterFormState.Step, _ state: inout ReporterFormState, _ key: Key) -> [Effect] {
        let field = state.focusedField
        if key == .function(1) || (key == .character("?") && !(field?.takesText ?? false)) {
            state.overlay = .help
            return []
        }
        if key == .escape {
            return goBack(from: step, &state)
        }
        if step == .review {
            return updateReview(&state, key)
        }
        guard let field else { return [] }
        switch ReporterFormFields.handle(key, on: field, &state) {
        case .handled:
            return []
        case .next:
            return moveFocus(by: 1, on: step, &state)
        case .previous:
            _ = moveFocus(by: -1, on: step, &state)
            return []
        }
    }

    /// Moves to the next or previous field; past the last one, the page is checked and left.
    private static func moveFocus(by offset: Int, on step: ReporterFormState.Step, _ state: inout ReporterFormState) -> [Effect] {
        let fields = step.fields(state)
        let target = state.focus + offset
        if target < 0 { return [] }
        if target < fields.count {
            state.focus = target
            return []
        }
        return advance(from: step, &state)
    }

    /// Checks the page's answers; when they are fine, goes on (to the check page once it has been seen).
    private static func advance(from step: ReporterFormState.Step, _ state: inout ReporterFormState) -> [Effect] {
        if let (problem, field) = ReporterFormFields.firstProblem(on: step, state) {
            state.notice = .problem(problem.sentence)
            state.problemField = field
            if let index = step.fields(state).firstIndex(of: field) { state.focus = index }
            return []
        }
        state.problemField = nil
        let steps = state.steps
        let next: ReporterFormState.Step
        // From the check page, "You" walks its three pages (name, group, descriptions) before going back.
        let aboutYouGoesOn = step == .aboutYou || step == .professionalGroup
        if (state.hasReviewed && !aboutYouGoesOn) || step == steps[steps.count - 2] {
            next = .review
            state.hasReviewed = true
        } else {
            next = steps[steps.firstIndex(of: step)! + 1]
        }
        go(to: next, &state)
        return draftEffects(state) + (next == .subject && state.directory == nil && !state.station.isKiosk ? [.loadDirectory] : [])
    }

    private static func goBack(from step: ReporterFormState.Step, _ state: inout ReporterFormState) -> [Effect] {
        let steps = state.steps
        guard let index = steps.firstIndex(of: step), index > 0 else {
            // Back from the first page is leaving the form: at once if nothing was written, else asked first.
            if !state.hasStarted {
                state.phase = .finished
                return [.finish]
            }
            state.overlay = .confirmLeave
            return []
        }
        state.problemField = nil
        go(to: steps[index - 1], &state)
        return draftEffects(state)
    }

    private static func go(to step: ReporterFormState.Step, _ state: inout ReporterFormState) {
        state.phase = .asking(step)
        state.focus = 0
        state.reviewTop = 0
        // A list shows its highlight on what was chosen before.
        switch step {
        case .wayOfRaising: if let chosen = state.ways.chosen.first { state.ways.highlight(chosen) }
        case .seniority:
            if let chosen = state.seniorities.chosen.first {
                state.seniorities.highlight(chosen)
            } else if let band = RoleSeniority.suggested(forRole: state.subjectRole.text) {
                // A suggestion to confirm, not an answer: it is highlighted, and only Enter takes it.
                state.seniorities.highlight(band)
                state.notice = .info("From the role you gave, they are usually \"\(band.title)\". Press Enter to choose it, or move to another answer.")
            }
        default: break
        }
    }

    /// Drafts are kept for open and confidential reports only, and forgotten the
    /// moment the reporter chooses anonymity.
    private static func draftEffects(_ state: ReporterFormState) -> [Effect] {
        switch state.ways.chosen.first {
        case .anonymous: [.discardDraft]
        case .open, .confidential: [.saveDraft(state.draftToKeep)]
        case nil: []
        }
    }

    private static func updateReview(_ state: inout ReporterFormState, _ key: Key) -> [Effect] {
        let sections = ReporterFormReview.sections(state)
        switch key {
        case .character("s"), .character("S"):
            if let problem = state.draft.problems(today: state.today).first {
                state.notice = .problem(problem.sentence)
                return []
            }
            state.phase = .saving
            return [.submit(state.draft)]
        case .enter:
            // Sending takes a key of its own: an Enter meant for the page before must not send.
            state.notice = .info("Nothing has been sent yet. When you are ready, press S to send your report.")
        case .character(let digit):
            if let section = sections.first(where: { $0.key == digit }) {
                go(to: section.step, &state)
            }
        case .up: state.reviewTop -= 1
        case .down: state.reviewTop += 1
        case .pageUp: state.reviewTop -= 10
        case .pageDown: state.reviewTop += 10
        case .home: state.reviewTop = 0
        case .end: state.reviewTop = Int.max / 2
        default: break
        }
        state.reviewTop = max(0, min(state.reviewTop, ReporterFormReview.maxTop(state)))
        return []
    }
}
