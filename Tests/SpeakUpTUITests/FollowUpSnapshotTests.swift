import Foundation
import Testing
import SpeakUpCore
@testable import SpeakUpTUI

@Suite("Follow-up: what each screen shows at 80x24")
struct FollowUpSnapshotTests {
    static let moment = Date(timeIntervalSince1970: 1_795_770_106)

    static func found(_ way: WayOfRaising, closed: Bool = false) -> FollowUpState.Case {
        let reference = CaseReference("SU-7KQ4-M2XD")!
        let report = Report(
            reference: reference, wayOfRaising: way, concerns: [.rudeOrAggressive, .lackOfCompassion],
            subject: Subject(name: nil, role: "", seniority: .manager), location: "Ward 7", account: "He shouted.",
            reporter: nil, submitted: .recorded(for: way, at: moment))
        var events = [
            CaseEvent(reference: reference, sequence: 1, kind: .received, at: report.submitted),
            CaseEvent(reference: reference, sequence: 2, kind: .handlerMessage, at: .day("2026-11-28"),
                      text: "Thank you for telling us. Could you say roughly what time it was, and whether it has happened before?"),
            CaseEvent(reference: reference, sequence: 3, kind: .reporterMessage, at: .day("2026-11-28"),
                      text: "About 3 in the afternoon. Yes, twice last month."),
        ]
        if closed {
            events.append(CaseEvent(reference: reference, sequence: 4, kind: .closed, at: .day("2026-12-10"),
                                    text: "We have spoken with the manager, who has agreed to training."))
        }
        return FollowUpState.Case(report: report, events: events)
    }

    static func render(_ state: FollowUpState) -> Canvas {
        var canvas = Canvas(size: state.size)
        FollowUpView.render(state, into: &canvas)
        return canvas
    }

    @Test func enterCode() {
        var state = FollowUpState(size: .minimum, myReports: [])
        for character in "4821 0937 55" { _ = FollowUp.update(&state, .character(character)) }
        assertSnapshot(Self.render(state), named: "follow-up-1-code")
    }

    @Test func wrongCode() {
        var state = FollowUpState(size: .minimum, myReports: [])
        FollowUp.notFound(&state)
        assertSnapshot(Self.render(state), named: "follow-up-1-code-not-found")
    }

    @Test func myReports() {
        let found = Self.found(.confidential)
        let state = FollowUpState(size: .minimum, myReports: [found.report])
        assertSnapshot(Self.render(state), named: "follow-up-0-my-reports")
    }

    @Test func viewing() {
        var state = FollowUpState(size: .minimum, myReports: [])
        FollowUp.found(&state, Self.found(.anonymous))
        assertSnapshot(Self.render(state), named: "follow-up-2-case")
    }

    @Test func replying() {
        var state = FollowUpState(size: .minimum, myReports: [])
        FollowUp.found(&state, Self.found(.anonymous))
        _ = FollowUp.update(&state, .character("r"))
        _ = FollowUp.update(&state, .paste("It happened again this morning."))
        assertSnapshot(Self.render(state), named: "follow-up-3-reply")
    }

    @Test func feedback() {
        var state = FollowUpState(size: .minimum, myReports: [])
        FollowUp.found(&state, Self.found(.anonymous, closed: true))
        assertSnapshot(Self.render(state), named: "follow-up-4-feedback")
    }
}
