/// What the subject access review asks its session to do.
public enum DisclosureReviewEffect: Hashable, Sendable {
    /// Write the disclosure to its file and record the approval.
    case approve
    /// Write nothing and record the decline.
    case decline
}

/// The subject access review's keys: a pure function from state and key to state and effects.
///
/// ↑↓, PgUp/PgDn (and Space), Home/End read; A asks to approve (once the end has been read), D or Esc
/// asks to decline; Y answers yes, N or Esc goes back to reading. Ctrl-C declines at once: it always
/// acts, and leaving without approving is a decline (recorded, like every request handled).
public enum DisclosureReview {
    public static func update(_ state: inout DisclosureReviewState, _ key: Key) -> [DisclosureReviewEffect] {
        if case .resize(let size) = key {
            state.size = size
            state.noteHowFarRead()
            return []
        }
        if key == .control("c"), state.phase != .decided(.approve), state.phase != .decided(.decline) {
            state.phase = .decided(.decline)
            return [.decline]
        }
        switch state.phase {
        case .decided:
            return []
        case .asking(let decision):
            switch key {
            case .character("y"), .character("Y"):
                state.phase = .decided(decision)
                return [decision == .approve ? .approve : .decline]
            case .character("n"), .character("N"), .escape:
                state.phase = .reading
            default:
                break
            }
            return []
        case .reading:
            state.notice = nil
            switch key {
            case .up: state.top -= 1
            case .down, .enter: state.top += 1
            case .pageUp: state.top -= state.room
            case .pageDown, .character(" "): state.top += state.room
            case .home: state.top = 0
            case .end: state.top = state.lastTop
            case .character("a"), .character("A"):
                if state.readToEnd {
                    state.phase = .asking(.approve)
                } else {
                    state.notice = "Please read the draft to the end before approving it: PgDn or End takes you there."
                }
            case .character("d"), .character("D"), .escape:
                state.phase = .asking(.decline)
            default:
                break
            }
            state.noteHowFarRead()
            return []
        }
    }
}
