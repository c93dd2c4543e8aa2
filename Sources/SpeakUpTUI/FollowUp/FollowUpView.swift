import SpeakUpCore

/// Draws follow-up: a pure function from state to a canvas.
public enum FollowUpView {
    public static func render(_ state: FollowUpState, into canvas: inout Canvas) {
        canvas.cursor = nil
        let layout = ReporterFormLayout(size: state.size)
        guard state.size.isLargeEnough else {
            ScreenFrame.tooSmall(state.size, into: &canvas)
            return
        }
        canvas.paint(row: 0, style: .bar)
        canvas.put(" SpeakUp · Follow up a report", row: 0, column: 0, style: .bar)
        var hints: [(String, String)] = []
        switch state.phase {
        case .choosing:
            var row = ReporterFormView.heading("Your reports", "Choose one to see how it is going. For an anonymous report, use its receipt code.", layout, into: &canvas)
            for (index, report) in state.myReports.enumerated() {
                let text = "\(report.reference)  \(day(report.submitted))  \(report.concerns.first?.meaning ?? "")"
                row = ReporterFormFieldViews.choiceRow("", text, highlighted: index == state.highlighted, row: row, left: layout.left, width: layout.width, into: &canvas)
            }
            _ = ReporterFormFieldViews.choiceRow("", "I have a receipt code for an anonymous report",
                highlighted: state.highlighted == state.myReports.count, row: row + 1, left: layout.left, width: layout.width, into: &canvas)
            hints = [("↑↓", "choose"), ("Enter", "open"), ("Esc", "finish")]
        case .enteringCode, .checking:
            let row = ReporterFormView.heading(
                "Follow up an anonymous report",
                "Type the 16-digit receipt code you were given when you sent it. Nobody can tell who is looking.",
                layout, into: &canvas)
            canvas.put("Receipt code", row: row, column: layout.left, style: .bold)
            canvas.put("[", row: row + 1, column: layout.left, style: .quiet)
            canvas.put("]", row: row + 1, column: layout.left + 25, style: .quiet)
            state.code.render(into: &canvas, row: row + 1, column: layout.left + 2, width: 22)
            if state.phase == .checking {
                canvas.cursor = nil
                canvas.put("Checking the code…", row: row + 3, column: layout.left, style: .bold)
                hints = [("", "Checking…")]
            } else {
                hints = [("Enter", "look it up"), ("Esc", "back")]
            }
        case .viewing(let found), .askingFeedback(let found):
            renderCase(found, top: state.top, bottom: layout.noticeRow - 1, layout, into: &canvas)
            hints = [("R", "write a reply"), ("↑↓", "scroll"), ("Esc", "finish")]
            if case .askingFeedback = state.phase {
                renderFeedback(state, layout, into: &canvas)
                hints = [("↑↓", "choose"), ("Enter", "answer"), ("Esc", "not now")]
            }
        case .replying(let found):
            renderCase(found, top: state.top, bottom: layout.noticeRow - 10, layout, into: &canvas)
            let boxTop = layout.noticeRow - 9
            canvas.put("Your reply (it goes to the person handling your report)", row: boxTop, column: layout.left, style: .bold)
            canvas.box(top: boxTop + 1, left: layout.left, bottom: boxTop + 7, right: layout.left + layout.width - 1)
            state.reply.render(into: &canvas, row: boxTop + 2, column: layout.left + 2)
            hints = [("Tab", "send"), ("Enter", "new line"), ("Esc", "back")]
        case .finished:
            break
        }
        if let notice = state.notice {
            let lines = Wrap.lines(notice.text, width: layout.width)
            let first = min(layout.noticeRow, layout.keyRow - lines.count)
            canvas.clear(top: first, left: 0, bottom: layout.keyRow - 1, right: state.size.columns - 1)
            for (offset, line) in lines.enumerated() {
                canvas.put(line, row: first + offset, column: layout.left, style: notice.tone == .problem ? .attention : .plain)
            }
        }
        ScreenFrame.keyBar(hints + [("Ctrl-C", "leave")], into: &canvas)
    }

    /// The case's summary and timeline, from line `top`, down to row `bottom`.
    static func timeline(_ found: FollowUpState.Case, width: Int) -> [(String, Style)] {
        var lines: [(String, Style)] = []
        let report = found.report
        let status = found.status == .received && found.routing?.isUnrouted == true
            ? "Received. It is waiting for a handler to be set up." : found.status.sentence
        for line in Wrap.lines("Status: " + status, width: width) { lines.append((line, .bold)) }
        if found.status == .received, let words = RoutingForReporter.sentence(found.routing, report: report) {
            for line in Wrap.lines(words, width: width) { lines.append((line, .plain)) }
        }
        let about = report.concerns.map(\.meaning).joined(separator: "; ")
        for line in Wrap.lines("Raised \(report.wayOfRaising.title.lowercased()) on \(day(report.submitted)). About: \(about).", width: width) {
            lines.append((line, .plain))
        }
        lines.append(("", .plain))
        for event in found.events {
            let when = day(event.at)
            let heading: String? = switch event.kind {
            case .received: "\(when)  You sent your report."
            case .routed: "\(when)  " + RoutingForReporter.timelineLine(forRoutedEventText: event.text)
            case .escalated: nil
            case .acknowledged: "\(when)  The person handling it has read it."
            case .handlerMessage: "\(when)  From the person handling it:"
            case .reporterMessage: "\(when)  You wrote:"
            case .closed: "\(when)  The case was closed."
            case .speakUpAgain: "\(when)  You answered the question about speaking up again."
            // Handlers' own workings are not the reporter's to read.
            case .note, .levelChanged, .reassigned, .recused: nil
            }
            if let heading {
                // A long heading wraps under its words, never cut at the screen's edge.
                for (index, line) in Wrap.lines(heading, width: width - 12).enumerated() {
                    lines.append(((index == 0 ? "" : String(repeating: " ", count: 12)) + line, .bold))
                }
            }
            if let text = event.text, event.kind == .handlerMessage || event.kind == .reporterMessage || event.kind == .closed {
                for line in Wrap.lines(text, width: width - 4) { lines.append(("    " + line, .plain)) }
            }
        }
        return lines
    }

    /// The furthest the timeline can scroll in the case view.
    static func maxTop(_ found: FollowUpState.Case, _ size: Size) -> Int {
        let layout = ReporterFormLayout(size: size)
        let room = max(1, layout.noticeRow - 1 - (layout.headingRow + 2))
        return max(0, timeline(found, width: layout.width).count - room)
    }

    private static func renderCase(_ found: FollowUpState.Case, top: Int, bottom: Int, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        canvas.put("Case \(found.report.reference)", row: layout.headingRow, column: layout.left, style: .heading)
        let lines = timeline(found, width: layout.width)
        let first = layout.headingRow + 2
        let room = max(1, bottom - first)
        let start = min(top, max(0, lines.count - room))
        for (offset, line) in lines.dropFirst(start).prefix(room).enumerated() {
            canvas.put(line.0, row: first + offset, column: layout.left, style: line.1)
        }
    }

    private static func renderFeedback(_ state: FollowUpState, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        let width = min(layout.width, 64)
        let left = (state.size.columns - width) / 2
        let top = 6
        canvas.clear(top: top, left: left, bottom: top + 10, right: left + width - 1)
        canvas.box(top: top, left: left, bottom: top + 10, right: left + width - 1, style: .bold)
        canvas.put("Your case is closed. Thank you for speaking up.", row: top + 1, column: left + 2, style: .heading)
        canvas.put("Given your experience, would you speak up again?", row: top + 3, column: left + 2, style: .bold)
        for (index, answer) in state.feedback.items.enumerated() {
            _ = ReporterFormFieldViews.choiceRow("( )", answer.title, highlighted: index == state.feedback.highlighted,
                                                 row: top + 5 + index, left: left + 2, width: width - 4, into: &canvas)
        }
    }

    static func day(_ time: SubmissionTime) -> String {
        let text = time.text
        guard let day = CalendarDay(typed: String(text.prefix(10))) else { return text }
        return day.written
    }
}
