import Foundation
import SpeakUpCore

/// Runs follow-up on a terminal: keys in, effects carried out against the store, canvas drawn.
public struct FollowUpSession {
    let store: any ReporterFollowUp
    let reporter: Reporter?
    let clock: any Clock
    /// Routes the case a detriment check-in's yes opens, as the form routes a report.
    let router: (any CaseRouter)?
    /// Waits before answering a receipt check (the slow-down after wrong codes); tests pass a no-op.
    let pause: @Sendable (Double) -> Void
    /// Opens and seals the replies of a sealed case found by its receipt code (nil: a store that does not seal).
    let replyKeys: (any ReplyKeys)?

    public init(store: any ReporterFollowUp, reporter: Reporter?, clock: any Clock, router: (any CaseRouter)? = nil,
                replyKeys: (any ReplyKeys)? = nil,
                pause: @escaping @Sendable (Double) -> Void = { if $0 > 0 { usleep(useconds_t($0 * 1_000_000)) } }) {
        self.store = store
        self.replyKeys = replyKeys
        self.router = router
        self.reporter = reporter
        self.clock = clock
        self.pause = pause
    }

    public func run(on terminal: some Terminal) {
        var mine: [Report] = []
        var unreadable: String? = nil
        if let reporter {
            do { mine = try store.reports(raisedBy: reporter) } catch { unreadable = error.sentence }
        }
        var state = FollowUpState(size: terminal.size, myReports: mine)
        // Never "you have no reports" on a failed read: say it, and a receipt code still works.
        if let unreadable { state.notice = .problem("Your reports could not be read just now (\(unreadable)) A receipt code still works.") }
        // Who the reporter's replies are from: their login for their own open or confidential
        // report; nobody for a report reached by receipt code (anonymous, or from a shared terminal).
        var actor: String? = nil
        // The case on screen's sealed replies, opened with the key its receipt code makes.
        var replies: (any SealedReplies)? = nil
        draw(state, on: terminal)
        while let keys = terminal.nextKeys() {
            keys: for key in keys {
                for effect in FollowUp.update(&state, key) {
                    switch effect {
                    case .finish:
                        return
                    case .lookUp(let code):
                        draw(state, on: terminal)  // "Checking the code…"
                        pause(FollowUp.delay(afterFailures: state.failures))
                        do {
                            if let report = try store.report(forReceipt: code) {
                                actor = nil
                                replies = try replyKeys?.replies(to: report, receipt: code)
                                FollowUp.found(&state, try load(report, replies: replies))
                            } else {
                                FollowUp.notFound(&state)
                            }
                        } catch {
                            FollowUp.failed(&state, error.sentence, backTo: .enteringCode)
                        }
                        terminal.discardTypeahead()
                        break keys
                    case .open(let report):
                        actor = report.reporter?.userName
                        replies = nil
                        do { FollowUp.found(&state, try load(report, replies: nil)) } catch { FollowUp.failed(&state, error.sentence, backTo: .choosing) }
                    case .unlockReplies(let report, let code):
                        guard case .unlockingReplies(let found) = state.phase else { break }
                        draw(state, on: terminal)
                        do {
                            guard let opened = try replyKeys?.replies(to: report, receipt: code) else {
                                FollowUp.failed(&state, "The replies on this case are not sealed for a code after all.", backTo: .viewing(found))
                                break
                            }
                            replies = opened
                            FollowUp.repliesUnlocked(&state, try load(report, replies: opened))
                        } catch {
                            state.code.setText("")
                            FollowUp.failed(&state, error.sentence, backTo: .unlockingReplies(found))
                        }
                        terminal.discardTypeahead()
                        break keys
                    case .sendReply(let reference, let text):
                        carryOut(&state, retry: "press S to try again", replies: replies) { () throws(StoreError) in
                            try store.appendEvent(to: reference, kind: .reporterMessage, text: try replies?.seal(text, actor: actor) ?? text, actor: actor,
                                                  at: clock.now())
                        }
                        if state.notice?.tone != .problem, case .viewing = state.phase {
                            state.reply.setText("")
                            state.notice = .info("Your message is saved. The person handling your report will see it.")
                        }
                    case .answer(let reference, let answer):
                        carryOut(&state, retry: "press Enter to try again", replies: replies) { () throws(StoreError) in try store.appendEvent(to: reference, kind: .speakUpAgain, text: answer.rawValue, actor: actor, at: clock.now()) }
                        if state.notice?.tone != .problem {
                            state.notice = .info("Thank you. Your answer is saved and helps make speaking up better here.")
                            // A check-in due too is asked next.
                            if case .viewing(let found) = state.phase, found.checkInDue != nil { state.phase = .askingCheckIn(found) }
                        }
                    case .answerCheckIn(let reference, let answer, let words):
                        guard let original = currentCase(state) else { break }
                        // A receipt is the way back to the new case wherever no login leads to it.
                        let receipt = answer == .yes && original.report.reporter == nil ? ReceiptCode.random() : nil
                        draw(state, on: terminal)
                        do {
                            let answered = try store.answerCheckIn(on: reference, answer: answer, account: words, receipt: receipt, actor: actor,
                                                                   router: router, at: clock.now())
                            FollowUp.checkInAnswered(&state, answered, receipt: receipt)
                        } catch {
                            if CheckInRules.isRefusal(error) {
                                // No check-in is due after all (answered a moment ago elsewhere): back to the case.
                                var found = original
                                found.checkInDue = nil
                                FollowUp.failed(&state, error.sentence, backTo: .viewing(found))
                            } else {
                                FollowUp.failed(&state, error.sentence + " Nothing was lost; " + (answer == .yes ? "press S to try again." : "press Enter to try again."),
                                                backTo: state.phase)
                            }
                        }
                        // Keys typed while it was saved cannot skip the new case's receipt code.
                        terminal.discardTypeahead()
                        break keys
                    }
                }
            }
            draw(state, on: terminal)
        }
    }

    /// The case with its timeline; sealed words opened with `replies`, else never shown.
    private func load(_ report: Report, replies: (any SealedReplies)?) throws(StoreError) -> FollowUpState.Case {
        let stored = try store.events(for: report.reference)
        // A named reporter's own case whose replies are sealed for their reply code: K opens them.
        let sealedForCode = try replyKeys?.repliesSealed(for: report) ?? false
        let locked = replies == nil && report.reporter != nil && sealedForCode
        let events = replies?.open(stored)
            ?? SealedEventText.withoutSealedWords(stored, saying: locked ? SealedEventText.typeReplyCode : SealedEventText.notOpened)
        // Internal notes and handlers' reassignments never reach the reporter's screen.
        return FollowUpState.Case(report: report, events: events.filter(\.kind.isShownToReporter), routing: try store.routing(for: report.reference),
                                  checkInDue: DetrimentCheckIn.due(events: events, today: clock.today()), repliesLocked: locked)
    }

    private func currentCase(_ state: FollowUpState) -> FollowUpState.Case? {
        switch state.phase {
        case .askingCheckIn(let found), .checkInWords(let found), .checkInReview(let found): found
        default: nil
        }
    }

    /// Appends an event, then shows the case again with its new timeline.
    private func carryOut(_ state: inout FollowUpState, retry: String, replies: (any SealedReplies)?, _ append: () throws(StoreError) -> CaseEvent) {
        let current: FollowUpState.Case
        switch state.phase {
        case .replying(let found), .reviewing(let found), .askingFeedback(let found), .viewing(let found): current = found
        default: return
        }
        do {
            let stored = try append()
            let event = replies?.open([stored]).first ?? stored
            var updated = current
            updated.events.append(event)
            state.phase = .viewing(updated)
        } catch {
            FollowUp.failed(&state, error.sentence + " Nothing was lost; \(retry).", backTo: state.phase)
        }
    }

    private func draw(_ state: FollowUpState, on terminal: some Terminal) {
        var canvas = Canvas(size: state.size)
        FollowUpView.render(state, into: &canvas)
        terminal.draw(canvas)
    }
}
