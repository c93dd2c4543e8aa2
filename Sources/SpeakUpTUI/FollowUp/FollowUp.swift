import SpeakUpCore

/// Follow-up's behaviour: a pure state machine, like the reporter form.
public enum FollowUp {
    public enum Effect: Hashable, Sendable {
        /// Look the code up (slowly), then call `found` or `notFound`.
        case lookUp(ReceiptCode)
        /// Load this report's timeline, then call `found`.
        case open(Report)
        /// Open the sealed replies of the report's case with the reporter's reply code, then call
        /// `repliesUnlocked`, or `failed` back to `unlockingReplies`.
        case unlockReplies(Report, ReceiptCode)
        /// Append the reporter's message, then call `found` with the new timeline.
        case sendReply(CaseReference, String)
        /// Store the answer to the feedback question, then call `found`.
        case answer(CaseReference, SpeakUpAgain)
        /// Store the answer to the detriment check-in (with the words for the case a yes opens),
        /// then call `checkInAnswered`.
        case answerCheckIn(CaseReference, DetrimentCheckIn.Answer, String)
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
            state.checkInAccount.resize(to: Size(columns: max(1, min(size.columns - 4, 96) - 4), rows: 5))
            return []
        }
        guard state.size.isLargeEnough else { return [] }
        if let question = state.question { return answer(&state, question, key) }
        if key == .control("c") {
            // Ctrl-C leaves at once, unless a reply not yet sent would go with it.
            if state.unsentReply {
                state.question = .leave
                return []
            }
            state.phase = .finished
            return [.finish]
        }
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
            case .escape:
                // The top level: nothing can be lost here, but a stray Esc still asks before follow-up ends.
                state.question = .leave
            case .character("q"):
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
                    state.question = .leave  // the top level at a ward or kiosk
                } else {
                    state.phase = .choosing
                }
            default:
                _ = state.code.handle(key)
            }
        case .checking, .finished:
            break
        case .viewing(let found):
            switch key {
            case .character("k"), .character("K"):
                if found.repliesLocked {
                    state.code.setText("")
                    state.replyAfterUnlocking = false
                    state.phase = .unlockingReplies(found)
                }
            case .character("r"), .character("R"):
                if found.repliesLocked && found.status != .closed {
                    // A reply on a sealed case is sealed too, with the same code.
                    state.code.setText("")
                    state.replyAfterUnlocking = true
                    state.phase = .unlockingReplies(found)
                    state.notice = .info("Replies on this case are sealed: type your reply code first, so that yours is sealed too.")
                } else if found.status == .closed {
                    state.notice = .info("This case is closed, so replies are no longer read. Thank you for speaking up.")
                } else {
                    state.reply.setText("")
                    state.phase = .replying(found)
                }
            case .up: state.top = max(0, state.top - 1)
            case .down: state.top = min(state.top + 1, FollowUpView.maxTop(found, state.size))
            case .escape, .character("q"):
                back(&state)
            default: break
            }
        case .unlockingReplies(let found):
            switch key {
            case .enter:
                guard let code = ReceiptCode(typed: state.code.text) else {
                    state.notice = .problem("A reply code is 16 digits, like 1234 5678 9012 3456. Please check it and try again.")
                    return []
                }
                state.notice = .info("Checking the code…")
                return [.unlockReplies(found.report, code)]
            case .escape:
                state.code.setText("")
                state.phase = .viewing(found)
            default:
                _ = state.code.handle(key)
            }
        case .replying(let found):
            switch key {
            case .tab:
                // Tab is "done writing": the reply is shown as it will go, and S sends it.
                guard state.unsentReply else {
                    state.notice = .problem("Please write something to send, or press Esc to go back.")
                    return []
                }
                state.phase = .reviewing(found)
            case .escape:
                if state.unsentReply { state.question = .discard } else { state.phase = .viewing(found) }
            default:
                if state.reply.handle(key) == .full {
                    state.notice = .problem("There is room for \(ReportLimits.longText.grouped) characters in a message.")
                }
            }
        case .reviewing(let found):
            switch key {
            case .character("s"), .character("S"):
                return [.sendReply(found.report.reference, state.reply.text)]
            case .character("e"), .character("E"):
                state.phase = .replying(found)
            case .escape:
                state.question = .discard
            default: break
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
        case .askingCheckIn(let found):
            if state.checkIn.move(key) { return [] }
            switch key {
            case .enter:
                // Only an answer the person chose is recorded (it is counted in the board's figures).
                guard let answer = state.checkIn.highlightedItem else {
                    state.notice = .problem("Please choose an answer with ↑ and ↓, then press Enter, or press Esc to answer another time.")
                    return []
                }
                if answer == .yes {
                    state.checkInAccount.setText("")
                    state.phase = .checkInWords(found)
                    return []
                }
                return [.answerCheckIn(found.report.reference, answer, "")]
            case .escape:
                // Not now: nothing is recorded, and it is asked again on the next visit.
                state.phase = .viewing(found)
                state.notice = .info("You will be asked again the next time you open this case.")
            default: break
            }
        case .checkInWords(let found):
            switch key {
            case .tab:
                // Words are optional here: Tab shows what the new case will say either way.
                state.phase = .checkInReview(found)
            case .escape:
                if state.unsentReply { state.question = .discard } else { state.phase = .askingCheckIn(found) }
            default:
                if state.checkInAccount.handle(key) == .full {
                    state.notice = .problem("There is room for \(DetrimentCheckIn.accountLimit.grouped) characters here.")
                }
            }
        case .checkInReview(let found):
            switch key {
            case .character("s"), .character("S"):
                return [.answerCheckIn(found.report.reference, .yes, state.checkInAccount.text)]
            case .character("e"), .character("E"):
                state.phase = .checkInWords(found)
            case .escape:
                if state.unsentReply { state.question = .discard } else { state.phase = .askingCheckIn(found) }
            default: break
            }
        case .checkInOpened(let found, _, _):
            // Only Enter goes on, so a stray key cannot take the receipt code off the screen.
            if key == .enter {
                state.top = 0
                state.phase = .viewing(found)
            }
        }
        return []
    }

    /// The check-in's answer was saved: for yes, the new case is shown (with its receipt code, when
    /// no login leads back to it); otherwise the case, with thanks.
    public static func checkInAnswered(_ state: inout FollowUpState, _ answered: CheckInAnswered, receipt: ReceiptCode?) {
        let current: FollowUpState.Case
        switch state.phase {
        case .askingCheckIn(let found), .checkInWords(let found), .checkInReview(let found): current = found
        default: return
        }
        var updated = current
        updated.events.append(answered.event)
        updated.checkInDue = nil
        state.checkInAccount.setText("")
        state.top = 0
        if answered.linked != nil {
            state.phase = .checkInOpened(updated, answered, answered.linked?.reporter == nil ? receipt : nil)
            // A named reporter's list shows the new case too (one reached by receipt code has no list).
            if let linked = answered.linked, linked.reporter != nil, !state.myReports.isEmpty {
                state.myReports.append(linked)
            }
        } else {
            state.phase = .viewing(updated)
            state.notice = .info("Thank you. Your answer is saved.")
        }
    }

    /// Esc on a case: back to the reporter's list, or, reached by a receipt code, to the code
    /// (emptied, so the next person at a shared terminal cannot open it again).
    static func back(_ state: inout FollowUpState) {
        state.top = 0
        if state.myReports.isEmpty {
            state.code.setText("")
            state.phase = .enteringCode
        } else {
            state.phase = .choosing
        }
    }

    /// Y or N to the question on screen; any other key leaves it asked.
    private static func answer(_ state: inout FollowUpState, _ question: FollowUpState.Question, _ key: Key) -> [Effect] {
        guard YesNo.settle(&state.question, key) else { return [] }
        if question == .leave {
            state.phase = .finished
            return [.finish]
        }
        switch state.phase {
        case .checkInWords(let found), .checkInReview(let found):
            state.checkInAccount.setText("")
            state.phase = .viewing(found)
            state.notice = .info("Nothing was saved. You will be asked again the next time you open this case.")
            return []
        default: break
        }
        state.reply.setText("")
        if case .replying(let found) = state.phase { state.phase = .viewing(found) }
        if case .reviewing(let found) = state.phase { state.phase = .viewing(found) }
        state.notice = .info("Your reply was not sent.")
        return []
    }

    /// A case was found (or reloaded after a reply or an answer).
    public static func found(_ state: inout FollowUpState, _ found: FollowUpState.Case) {
        state.failures = 0
        state.top = 0
        state.phase = found.awaitsFeedback ? .askingFeedback(found) : found.checkInDue != nil ? .askingCheckIn(found) : .viewing(found)
    }

    /// The reply code opened the case's replies: shown opened.
    public static func repliesUnlocked(_ state: inout FollowUpState, _ found: FollowUpState.Case) {
        state.code.setText("")
        state.top = 0
        state.notice = .info("Your replies are open. They are sealed again when you leave.")
        if state.replyAfterUnlocking && found.status != .closed {
            state.reply.setText("")
            state.phase = .replying(found)
        } else {
            state.phase = .viewing(found)
        }
        state.replyAfterUnlocking = false
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
