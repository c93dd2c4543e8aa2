import SpeakUpCore

/// Follow-up's behaviour: a pure state machine, like the reporter form.
public enum FollowUp {
    public enum Effect: Hashable, Sendable {
        /// Look the code up (slowly), then call `found` or `notFound`.
        case lookUp(ReceiptCode)
        /// Load this report's timeline, then call `found`.
        case open(Report)
        /// Append the reporter's message, then call `found` with the new timeline.
        case sendReply(CaseReference, String)
        /// Store the answer to the feedback question, then call `found`.
        case answer(CaseReference, SpeakUpAgain)
        case finish
    }

    /// From the fifth wrong code in a row, each answer waits longer (2, 4, 8… up to 30 seconds).
    public static func delay(afterFailures failures: Int) -> Double {
        failures < 5 ? 0 : min(30, Double(1 << min(failures - 4, 5)))
    }

    public static func update(_ state: inout FollowUpState, _ key: Key) -> [Effect] {
        if case .resize(let size) = key {
            state.size = size
            state.reply.resize(to: Size(columns: max(1, min(size.columns - 4, 96) - 4), rows: 5))
            return []
        }
        guard state.size.isLargeEnough else { return [] }
        let leaving: Bool = switch (key, state.phase) {
        case (.control("c"), _): true
        case (.escape, .viewing), (.character("q"), .viewing): true
        default: false
        }
        if leaving {
            if !state.reply.text.allSatisfy(\.isWhitespace) && !state.leaveArmed {
                state.leaveArmed = true
                state.notice = .problem("Your reply has not been sent. Press \(key == .control("c") ? "Ctrl-C" : "Esc") again to leave without sending it, or R to go back to it.")
                return []
            }
            state.phase = .finished
            return [.finish]
        }
        state.leaveArmed = false
        state.notice = nil
        switch state.phase {
        case .choosing:
            let count = state.myReports.count + 1
            switch key {
            case .up: state.highlighted = max(0, state.highlighted - 1)
            case .down: state.highlighted = min(count - 1, state.highlighted + 1)
            case .enter:
                if state.highlighted < state.myReports.count { return [.open(state.myReports[state.highlighted])] }
                state.phase = .enteringCode
            case .escape, .character("q"):
                state.phase = .finished
                return [.finish]
            default: break
            }
        case .enteringCode:
            switch key {
            case .enter:
                guard let code = ReceiptCode(typed: state.code.text) else {
                    state.notice = .problem("A receipt code is 16 digits, like 1234 5678 9012 3456. Please check it and try again.")
                    return []
                }
                state.phase = .checking
                return [.lookUp(code)]
            case .escape:
                if state.myReports.isEmpty {
                    state.phase = .finished
                    return [.finish]
                }
                state.phase = .choosing
            default:
                _ = state.code.handle(key)
            }
        case .checking, .finished:
            break
        case .viewing(let found):
            switch key {
            case .character("r"), .character("R"):
                if found.status == .closed {
                    state.notice = .info("This case is closed, so replies are no longer read. Thank you for speaking up.")
                } else {
                    state.phase = .replying(found)
                }
            case .up: state.top = max(0, state.top - 1)
            case .down: state.top = min(state.top + 1, FollowUpView.maxTop(found, state.size))
            default: break
            }
        case .replying(let found):
            switch key {
            case .tab:
                let text = state.reply.text
                guard !text.allSatisfy(\.isWhitespace) else {
                    state.notice = .problem("Please write something to send, or press Esc to go back.")
                    return []
                }
                return [.sendReply(found.report.reference, text)]
            case .escape:
                state.phase = .viewing(found)
            default:
                if state.reply.handle(key) == .full {
                    state.notice = .problem("There is room for \(ReportLimits.longText.grouped) characters in a message.")
                }
            }
        case .askingFeedback(let found):
            if state.feedback.move(key) { return [] }
            switch key {
            case .enter:
                // Only an answer the person chose is recorded (it is counted in the national figures).
                guard let answer = state.feedback.highlightedItem else {
                    state.notice = .problem("Please choose an answer with ↑ and ↓, then press Enter, or press Esc to answer another time.")
                    return []
                }
                state.feedback.choose(answer)
                return [.answer(found.report.reference, answer)]
            case .escape:
                state.phase = .viewing(found)
            default: break
            }
        }
        return []
    }

    /// A case was found (or reloaded after a reply or an answer).
    public static func found(_ state: inout FollowUpState, _ found: FollowUpState.Case) {
        state.failures = 0
        state.top = 0
        state.phase = found.awaitsFeedback ? .askingFeedback(found) : .viewing(found)
    }

    /// No case matches the code. Known and unknown codes get the same words.
    public static func notFound(_ state: inout FollowUpState) {
        state.failures += 1
        state.phase = .enteringCode
        state.code.setText("")
        state.notice = .problem("No report matches that receipt code. Please check the digits and try again.")
    }

    /// Something could not be read or saved.
    public static func failed(_ state: inout FollowUpState, _ sentence: String, backTo phase: FollowUpState.Phase) {
        state.phase = phase
        state.notice = .problem(sentence)
    }
}
