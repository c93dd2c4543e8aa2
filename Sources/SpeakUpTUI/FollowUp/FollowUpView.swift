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
            let row = ReporterFormView.heading("Your reports", "Choose one to see how it is going. For a report sent anonymously or at a ward or kiosk terminal, use its receipt code.", layout, into: &canvas)
            renderList(state, from: row, layout, into: &canvas)
            hints = [KeyModel.move.hint, KeyModel.choose.saying("open").hint, KeyModel.back.saying("leave").hint]
        case .enteringCode, .checking:
            // Not "anonymous": at a ward terminal every report gets a receipt, open and confidential ones too.
            let row = ReporterFormView.heading(
                "Follow up a report with its receipt code",
                "Type the 16-digit receipt code you were given when you sent it. Nobody can tell who is looking.",
                layout, into: &canvas)
            codeBox("Receipt code", state, row: row, layout, into: &canvas)
            if state.phase == .checking {
                canvas.cursor = nil
                canvas.put("Checking the code…", row: row + 3, column: layout.left, style: .bold)
                hints = [("", "Checking…")]
            } else {
                hints = [("Enter", "look it up"), KeyModel.back.saying(state.myReports.isEmpty ? "leave" : "back").hint]
            }
        case .viewing(let found), .askingFeedback(let found):
            renderCase(found, top: state.top, bottom: layout.noticeRow - 1, layout, into: &canvas)
            hints = [("R", "write a reply"), KeyModel.scroll.hint, KeyModel.back.hint]
            if found.repliesLocked { hints.insert(("K", "open replies"), at: 1) }
            if case .askingFeedback = state.phase {
                renderFeedback(state, layout, into: &canvas)
                hints = [KeyModel.move.hint, KeyModel.choose.saying("answer").hint, KeyModel.back.saying("not now").hint]
            }
        case .unlockingReplies(let found):
            let row = ReporterFormView.heading(
                "Open the replies on case \(found.report.reference.text)",
                "Replies to you are sealed so that only you can read them. Type the 16-digit reply code you were given when you sent the report.",
                layout, into: &canvas)
            codeBox("Reply code", state, row: row, layout, into: &canvas)
            hints = [("Enter", "open them"), KeyModel.back.hint]
        case .replying(let found):
            renderCase(found, top: state.top, bottom: layout.noticeRow - 10, layout, into: &canvas)
            let boxTop = layout.noticeRow - 9
            canvas.put("Your reply (it goes to the person handling your report)", row: boxTop, column: layout.left, style: .bold)
            canvas.box(top: boxTop + 1, left: layout.left, bottom: boxTop + 7, right: layout.left + layout.width - 1)
            state.reply.render(into: &canvas, row: boxTop + 2, column: layout.left + 2)
            hints = ScreenKeys.writing
        case .reviewing(let found):
            renderCase(found, top: state.top, bottom: layout.noticeRow - 10, layout, into: &canvas)
            let boxTop = layout.noticeRow - 9
            canvas.put("Send this reply? It goes to the person handling your report.", row: boxTop, column: layout.left, style: .bold)
            canvas.box(top: boxTop + 1, left: layout.left, bottom: boxTop + 7, right: layout.left + layout.width - 1)
            let lines = state.reply.text.split(separator: "\n", omittingEmptySubsequences: false)
                .flatMap { Wrap.lines(String($0), width: layout.width - 4) }
            for (offset, line) in lines.prefix(5).enumerated() {
                let more = offset == 4 && lines.count > 5 ? "… and \(lines.count - 4) more lines (E to read and edit them)" : nil
                canvas.put(more ?? line, row: boxTop + 2 + offset, column: layout.left + 2, style: more == nil ? .plain : .quiet, limit: layout.width - 4)
            }
            hints = ScreenKeys.reviewing(send: "send")
        case .askingCheckIn(let found):
            renderCase(found, top: state.top, bottom: layout.noticeRow - 1, layout, into: &canvas)
            renderCheckIn(state, found, layout, into: &canvas)
            hints = [KeyModel.move.hint, KeyModel.choose.saying("answer").hint, KeyModel.back.saying("not now").hint]
        case .checkInWords(let found):
            let row = checkInHeading(found, layout, into: &canvas)
            canvas.put("What has happened, if you would like to say (you may leave it empty)", row: row, column: layout.left, style: .bold,
                       limit: layout.width)
            canvas.box(top: row + 1, left: layout.left, bottom: row + 7, right: layout.left + layout.width - 1)
            state.checkInAccount.render(into: &canvas, row: row + 2, column: layout.left + 2)
            hints = ScreenKeys.writing
        case .checkInReview(let found):
            let row = checkInHeading(found, layout, into: &canvas)
            canvas.put("Open the new case? Its words:", row: row, column: layout.left, style: .bold)
            canvas.box(top: row + 1, left: layout.left, bottom: row + 7, right: layout.left + layout.width - 1)
            let text = state.checkInAccount.text.allSatisfy(\.isWhitespace)
                ? DetrimentCheckIn.accountWhenEmpty(original: found.report.reference, months: found.checkInDue ?? 1) : state.checkInAccount.text
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { Wrap.lines(String($0), width: layout.width - 4) }
            for (offset, line) in lines.prefix(5).enumerated() {
                let more = offset == 4 && lines.count > 5 ? "… and \(lines.count - 4) more lines (E to read and edit them)" : nil
                canvas.put(more ?? line, row: row + 2 + offset, column: layout.left + 2, style: more == nil ? .plain : .quiet, limit: layout.width - 4)
            }
            hints = ScreenKeys.reviewing(send: "open the case")
        case .checkInOpened(_, let answered, let receipt):
            renderCheckInOpened(answered, receipt: receipt, layout, into: &canvas)
            hints = [("Enter", "back to your first case")]
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
        if let question = state.question {
            let (words, yes, no) = switch question {
            case .leave: (state.unsentReply ? "Leave follow-up? Your reply has not been sent, and would be lost." : "Leave follow-up?", "leave", "stay")
            case .discard: ("Throw away your reply? It has not been sent.", "throw it away", "keep it")
            }
            ChoiceBox.render(words, [], highlighted: 0, footer: "Y \(yes) · N \(no)", into: &canvas)
            hints = ScreenKeys.question(yes: yes, no: no)
        }
        ScreenFrame.keyBar(hints + (state.question == nil ? [KeyModel.leave.hint] : []), into: &canvas)
    }

    /// A 16-digit code's box (a receipt code, a reply code) under its label, from `row`.
    private static func codeBox(_ label: String, _ state: FollowUpState, row: Int, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        canvas.put(label, row: row, column: layout.left, style: .bold)
        canvas.put("[", row: row + 1, column: layout.left, style: .quiet)
        canvas.put("]", row: row + 1, column: layout.left + 25, style: .quiet)
        state.code.render(into: &canvas, row: row + 1, column: layout.left + 2, width: 22)
    }

    /// The reporter's reports, two lines each: the reference, the day and who it is about, then
    /// the concerns in words; scrolled so the highlight shows. Then the receipt-code option.
    private static func renderList(_ state: FollowUpState, from top: Int, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        let room = max(1, (layout.noticeRow - 2 - top) / 2)
        let first = min(max(0, state.highlighted - room + 1), max(0, state.myReports.count - room))
        var row = top
        if first > 0 { canvas.put("↑ \(first) more", row: top - 1, column: layout.left + layout.width - 10, style: .quiet) }
        for (index, report) in state.myReports.enumerated().dropFirst(first).prefix(room) {
            let head = "\(report.reference)  \(ScreenTimes.day(report.submitted))  about "
            let about = ScreenWords.fit(ScreenWords.about(report.subject), layout.width - 2 - ScreenWords.width(head))
            row = ReporterFormFieldViews.choiceRow("", head + about, highlighted: index == state.highlighted, row: row, left: layout.left, width: layout.width, into: &canvas)
            let concerns = ScreenWords.fit(report.concerns.map(\.title).joined(separator: ", "), layout.width - 4)
            canvas.put(concerns, row: row, column: layout.left + 2, style: index == state.highlighted ? .bold : .quiet, limit: layout.width - 2)
            row += 1
        }
        let hidden = state.myReports.count - first - room
        if hidden > 0 { canvas.put("↓ \(hidden) more", row: row, column: layout.left + layout.width - 10, style: .quiet) }
        _ = ReporterFormFieldViews.choiceRow("", ScreenWords.fit("I have a receipt code (anonymous, or sent at a ward or kiosk)", layout.width - 3),
            highlighted: state.highlighted == state.myReports.count, row: row + 1, left: layout.left, width: layout.width, into: &canvas)
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
        // What the report really is (a confidential one reached by receipt at a ward is not anonymous).
        for line in Wrap.lines("Raised \(report.wayOfRaising.title.lowercased()) on \(ScreenTimes.day(report.submitted)). \(report.wayOfRaising.explanation)", width: width) {
            lines.append((line, .plain))
        }
        let concerns = report.concerns.map(\.title).joined(separator: ", ")
        for line in Wrap.lines("About: \(ScreenWords.about(report.subject)). Concerns: \(concerns).", width: width) {
            lines.append((line, .plain))
        }
        lines.append(("", .plain))
        for event in found.events {
            let when = ScreenTimes.day(event.at).padding(toLength: 11, withPad: " ", startingAt: 0)
            let heading: String? = switch event.kind {
            case .received: "\(when)  You sent your report."
            case .routed: "\(when)  " + RoutingForReporter.timelineLine(forRoutedEventText: event.text)
            case .escalated: nil
            case .acknowledged: "\(when)  The person handling it has read it."
            case .handlerMessage: "\(when)  From the person handling it:"
            case .reporterMessage: "\(when)  You wrote:"
            case .closed: "\(when)  The case was closed."
            case .speakUpAgain: "\(when)  You answered the question about speaking up again."
            case .detrimentCheckIn: "\(when)  " + checkInLine(event.text)
            case .detrimentLinked: "\(when)  " + (DetrimentCheckIn.Link(text: event.text).map {
                "Opened from your check-in on case \($0.original.text), about being treated worse since you spoke up."
            } ?? "Opened from your check-in, about being treated worse since you spoke up.")
            // Handlers' own workings are not the reporter's to read.
            case .note, .levelChanged, .reassigned, .recused, .legalHold, .legalHoldLifted: nil
            }
            if let heading {
                // A long heading wraps under its words, never cut at the screen's edge.
                for (index, line) in Wrap.lines(heading, width: width - 13).enumerated() {
                    lines.append(((index == 0 ? "" : String(repeating: " ", count: 13)) + line, .bold))
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
        canvas.put("Case \(found.report.reference) · raised \(found.report.wayOfRaising.title.lowercased())", row: layout.headingRow, column: layout.left, style: .heading)
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

    /// A check-in's answer in the reporter's timeline.
    static func checkInLine(_ text: String?) -> String {
        guard let recorded = DetrimentCheckIn.Recorded(text: text) else { return "You answered a check-in." }
        let asked = "You answered the check-in \(recorded.months.counted("month")) after the case closed"
        return switch recorded.answer {
        case .yes: asked + ": you have been treated worse since. Case \(recorded.linked?.text ?? "") was opened about it."
        case .no: asked + ": you have not been treated worse."
        case .ratherNotSay: asked + ": you would rather not say."
        }
    }

    /// The question over the case, in a box like the feedback question's.
    private static func renderCheckIn(_ state: FollowUpState, _ found: FollowUpState.Case, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        let width = min(layout.width, 68)
        let left = (state.size.columns - width) / 2
        let inner = width - 4
        var lines: [(String, Style)] = []
        let months = found.checkInDue ?? 1
        lines.append(("A check-in, \(months.counted("month")) after your case closed", .heading))
        lines.append(("", .plain))
        for line in Wrap.lines("Since you spoke up, have you been treated worse by anyone because of it?", width: inner) { lines.append((line, .bold)) }
        lines.append(("", .plain))
        let first = lines.count
        for _ in state.checkIn.items { lines.append(("", .plain)) }
        lines.append(("", .plain))
        for line in Wrap.lines("If you answer yes, a new case is opened so that someone can look into it, raised \(found.report.wayOfRaising.title.lowercased()) like this one.", width: inner) {
            lines.append((line, .quiet))
        }
        let top = max(2, min(5, layout.keyRow - 3 - lines.count))
        let bottom = top + lines.count + 1
        canvas.clear(top: top, left: left, bottom: bottom, right: left + width - 1)
        canvas.box(top: top, left: left, bottom: bottom, right: left + width - 1, style: .bold)
        for (offset, line) in lines.enumerated() where !line.0.isEmpty {
            canvas.put(line.0, row: top + 1 + offset, column: left + 2, style: line.1, limit: inner)
        }
        for (index, answer) in state.checkIn.items.enumerated() {
            _ = ReporterFormFieldViews.choiceRow("( )", answer.title, highlighted: index == state.checkIn.highlighted,
                                                 row: top + 1 + first + index, left: left + 2, width: inner, into: &canvas)
        }
    }

    /// The heading of the screens where the reporter writes for the new case: what will happen, truthfully.
    private static func checkInHeading(_ found: FollowUpState.Case, _ layout: ReporterFormLayout, into canvas: inout Canvas) -> Int {
        canvas.put("Thank you for telling us", row: layout.headingRow, column: layout.left, style: .heading)
        let way = found.report.wayOfRaising
        let written = found.report.subject.asWritten
        let person = !written.isBlank ? "the same person (\(written))"
            : found.report.subject.isSealedAway ? "the same person as that case" : "the same person as that case (not named)"
        let words = "A new case will be opened about being treated worse since you spoke up: raised \(way.title.lowercased()) like case \(found.report.reference), about \(person), and linked to it. If it was someone else, you can say so below. Nothing is sent until you press S."
        var row = layout.headingRow + 2
        for line in Wrap.lines(words, width: layout.width) {
            canvas.put(line, row: row, column: layout.left)
            row += 1
        }
        return row + 1
    }

    /// The new case: its reference, who will see it (the same words as the form's receipt), and its
    /// receipt code when no login leads back to it.
    private static func renderCheckInOpened(_ answered: CheckInAnswered, receipt: ReceiptCode?, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        guard let linked = answered.linked else { return }
        var row = ReporterFormView.heading(
            "Thank you. A new case is open.",
            "Telling us takes courage. Nobody should be treated worse for speaking up.",
            layout, into: &canvas)
        canvas.put("The new case reference is  ", row: row, column: layout.left)
        canvas.put(linked.reference.text, row: row, column: layout.left + 27, style: .good)
        row += 2
        var paragraphs: [String] = []
        if let receipt {
            canvas.put("Its receipt code is        ", row: row, column: layout.left)
            canvas.put(receipt.description, row: row, column: layout.left + 27, style: Style([.bold, .reverse]))
            row += 2
            paragraphs.append("Please write this receipt code down now. It will not be shown again, and it is the only way back to the new case; the code for your first case still opens that one.")
        } else {
            paragraphs.append("It is with your reports in `speakup follow-up`.")
        }
        paragraphs.append("It is raised \(linked.wayOfRaising.title.lowercased()), as your first case was, and linked to it.")
        if let words = RoutingForReporter.sentence(answered.routing, report: linked) { paragraphs.append(words) }
        for paragraph in paragraphs {
            for line in Wrap.lines(paragraph, width: layout.width) where row < layout.noticeRow {
                canvas.put(line, row: row, column: layout.left)
                row += 1
            }
            row += 1
        }
    }
}
