import Foundation
import SpeakUpCore

/// Draws the workspace: a pure function from state to a canvas. Every word a
/// reporter or handler typed goes through `Canvas.put`, so through `SafeText`.
public enum CasesView {
    public static func render(_ state: CasesState, into canvas: inout Canvas) {
        canvas.cursor = nil
        guard state.size.isLargeEnough else {
            ScreenFrame.tooSmall(state.size, into: &canvas)
            return
        }
        canvas.paint(row: 0, style: .bar)
        let who = state.handler == PersonalStore.handler ? "you, this store's owner" : state.handler
        canvas.put(" SpeakUp · Cases for \(who)", row: 0, column: 0, style: .bar, limit: state.size.columns)
        var hints: [(String, String)]
        // Keys that do not fit on the key bar go on the line above it (a notice covers it while shown).
        var moreKeys = ""
        switch state.phase {
        case .unrouted(let waiting):
            renderUnrouted(waiting, state, into: &canvas)
            hints = [("any key", "go on")]
        case .reminders(let reminders):
            renderReminders(reminders, state, into: &canvas)
            hints = [("any key", "go on to your cases")]
        case .queue, .typing:
            renderQueue(state, into: &canvas)
            if case .typing = state.phase {
                hints = [("Enter", "done"), ("Esc", "clear")]
            } else {
                hints = [("Enter", "open"), ("/", "search"), ("t", "figures"), ("q", "quit")]
                moreKeys = "Filters: s status · l level · o overdue · c category · p place · x clear"
            }
        case .viewing(let file):
            renderCase(file, state, bottom: state.size.rows - 4, into: &canvas)
            hints = file.status == .closed
                ? [("n", "note"), ("↑↓", "scroll"), ("Esc", "queue")]
                : [("a", "acknowledge"), ("m", "message"), ("n", "note"), ("l", "level"), ("r", "reassign"), ("x", "step away"),
                   ("c", "close")]
            if file.status != .closed { moreKeys = "↑↓ PgUp PgDn Home End scroll · Esc back to the queue" }
        case .writing(let file, let writing):
            renderCase(file, state, bottom: state.size.rows - 13, into: &canvas)
            let top = state.size.rows - 12
            canvas.clear(top: top, left: 0, bottom: state.size.rows - 4, right: state.size.columns - 1)
            canvas.put(writing.title, row: top, column: 2, style: .bold, limit: state.size.columns - 4)
            canvas.box(top: top + 1, left: 2, bottom: top + 8, right: min(state.size.columns - 3, 97))
            state.editor.render(into: &canvas, row: top + 2, column: 4)
            hints = [("Tab", writing == .message ? "send" : "save"), ("Enter", "new line"), ("Esc", "cancel")]
        case .choosing(let file, let choosing):
            renderCase(file, state, bottom: state.size.rows - 4, into: &canvas)
            let items = state.items(choosing, for: file)
            let title = switch choosing {
            case .level: "Change the level to"
            case .handler: "Pass the case to (eligible under the same rules)"
            case .outcome: "Close the case: the outcome"
            }
            renderChoice(title, items, highlighted: state.choice, into: &canvas)
            hints = [("↑↓", "choose"), ("Enter", "confirm"), ("Esc", "cancel")]
        case .confirmingRecusal(let file):
            renderCase(file, state, bottom: state.size.rows - 4, into: &canvas)
            renderChoice("Step away from this case for a conflict of interest? It stays with its other handlers, or, if you are the last, goes to the eligible ones; you will no longer see it. Press Y to step away, any other key to keep it.",
                         [], highlighted: 0, into: &canvas)
            hints = [("Y", "step away"), ("N", "keep it")]
        case .statistics(let statistics):
            let lines = statistics.lines(width: state.size.columns - 4)
            let room = state.size.rows - 4
            let top = min(state.caseTop, max(0, lines.count - room))
            for (offset, line) in lines.dropFirst(top).prefix(room).enumerated() {
                canvas.put(line, row: 2 + offset, column: 2, limit: state.size.columns - 4)
            }
            if lines.count > room { canvas.put(top + room < lines.count ? "↓ more" : "end", row: 1, column: state.size.columns - 8, style: .quiet) }
            hints = lines.count > room ? [("↑↓", "scroll"), ("any other key", "back to the queue")] : [("any key", "back to the queue")]
        case .finished:
            hints = []
        }
        if !moreKeys.isEmpty {
            canvas.put(moreKeys, row: state.size.rows - 2, column: 2, style: .quiet, limit: state.size.columns - 4)
        }
        if let notice = state.notice {
            let lines = Wrap.lines(notice.text, width: state.size.columns - 4)
            let first = state.size.rows - 2 - lines.count
            canvas.clear(top: first, left: 0, bottom: state.size.rows - 2, right: state.size.columns - 1)
            for (offset, line) in lines.enumerated() {
                canvas.put(line, row: first + offset, column: 2, style: notice.tone == .problem ? .attention : .bold)
            }
        }
        ScreenFrame.keyBar(hints + [("Ctrl-C", "quit")], into: &canvas)
    }

    // MARK: Reports nobody can take

    private static func renderUnrouted(_ waiting: [UnroutedCase], _ state: CasesState, into canvas: inout Canvas) {
        let width = state.size.columns - 4
        let count = waiting.count == 1 ? "1 report is" : "\(waiting.count) reports are"
        canvas.put("\(count) waiting with nobody to handle it", row: 2, column: 2, style: .attention, limit: width)
        var row = 4
        let words = "Nobody who may see \(waiting.count == 1 ? "it" : "them") is set up on this system (a handler role with no members, or everyone left out as too close to the person it is about). Please run `speakup check` to see what is missing; `speakup escalate tick` passes \(waiting.count == 1 ? "it" : "them") on as soon as someone can take \(waiting.count == 1 ? "it" : "them")."
        for line in Wrap.lines(words, width: width) {
            canvas.put(line, row: row, column: 2, style: .attention)
            row += 1
        }
        row += 1
        for item in waiting.prefix(max(0, state.size.rows - row - 2)) {
            canvas.put("\(item.reference)  sent \(item.since.written), waiting for a handler", row: row, column: 2, style: .attention, limit: width)
            row += 1
        }
    }

    // MARK: Reminders

    private static func renderReminders(_ reminders: [Reminder], _ state: CasesState, into canvas: inout Canvas) {
        canvas.put("Deadlines that need you", row: 2, column: 2, style: .heading)
        var row = 4
        for reminder in reminders.prefix(state.size.rows - 8) {
            let what = reminder.deadline == .acknowledge ? "acknowledge" : "feed back"
            let mark = reminder.stage == .passed ? "OVERDUE " : "due soon"
            canvas.put("\(mark)  \(reminder.reference)  \(what) by \(stamp(reminder.due))", row: row, column: 2,
                       style: reminder.stage == .passed ? .attention : .plain)
            row += 1
        }
    }

    // MARK: The queue

    static func filterLine(_ query: QueueQuery) -> String {
        var parts = ["Showing: \(query.status.title)"]
        if let level = query.level { parts.append("level \(level.rawValue)") }
        if query.overdueOnly { parts.append("overdue only") }
        if let category = query.category { parts.append(category.rawValue) }
        return parts.joined(separator: " · ")
    }

    private static func renderQueue(_ state: CasesState, into canvas: inout Canvas) {
        let width = state.size.columns - 4
        canvas.put(filterLine(state.query), row: 1, column: 2, style: .bold, limit: width)
        let typing: CasesState.Box? = if case .typing(let box) = state.phase { box } else { nil }
        canvas.put("Search:", row: 2, column: 2, style: typing == .search ? .bold : .plain)
        state.search.render(into: &canvas, row: 2, column: 10, width: 28)
        canvas.put("Place:", row: 2, column: 41, style: typing == .location ? .bold : .plain)
        state.location.render(into: &canvas, row: 2, column: 48, width: min(28, state.size.columns - 50))
        if typing == nil { canvas.cursor = nil }
        let header = "  " + [
            "Reference".padding(toLength: 12, withPad: " ", startingAt: 0), "Status", "Level".padding(toLength: 12, withPad: " ", startingAt: 0),
            "Age".leftPadded(4), "Deadline".padding(toLength: 16, withPad: " ", startingAt: 0), "Seniority ", "Concerns",
        ].joined(separator: " ")
        canvas.put(header, row: 3, column: 0, style: .bold, limit: state.size.columns)
        if state.rows.isEmpty {
            let empty = state.query == QueueQuery() ? "No cases are waiting for you. Thank you." : "No cases match. Press x to clear the filters."
            canvas.put(empty, row: 5, column: 2)
            return
        }
        for (index, row) in state.rows.enumerated().dropFirst(state.top).prefix(state.visibleRows) {
            let line = 4 + index - state.top
            let overdue = row.isOverdue(at: state.now)
            // Overdue is said in words, not only in colour.
            let deadline = row.deadline.map { (overdue ? "OVERDUE " : "") + shortDay($0, year: !overdue) } ?? "-"
            let status = switch row.status { case .new: "new"; case .acknowledged: "ack'd"; case .closed: "closed" }
            let text = "  " + [
                row.reference.text.padding(toLength: 12, withPad: " ", startingAt: 0),
                status.padding(toLength: 6, withPad: " ", startingAt: 0),
                row.level.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0),
                age(row.submitted, now: state.now).leftPadded(4),
                deadline.padding(toLength: 16, withPad: " ", startingAt: 0),
                short(row.seniority).padding(toLength: 10, withPad: " ", startingAt: 0),
                row.concerns.map(short).joined(separator: ", "),
            ].joined(separator: " ")
            let style: Style = index == state.highlighted ? .selected : (overdue ? .attention : (row.level == .urgent ? .bold : .plain))
            if index == state.highlighted { canvas.paint(row: line, style: .selected) }
            canvas.put(text, row: line, column: 0, style: style, limit: state.size.columns)
            if index == state.highlighted { canvas.put("›", row: line, column: 0, style: .selected) }
        }
        let shown = "\(state.top + 1)-\(min(state.rows.count, state.top + state.visibleRows)) of \(state.rows.count)\(state.mayHaveMore ? "+" : "")"
        canvas.put(shown, row: 1, column: state.size.columns - 2 - shown.count, style: .quiet)
    }

    static func age(_ submitted: SubmissionTime, now: Date) -> String {
        let days = Int(now.timeIntervalSince(submitted.moment) / 86_400)
        return days < 1 ? "<1d" : days < 100 ? "\(days)d" : "\(days / 30)mo"
    }

    static func shortDay(_ date: Date, year: Bool = true) -> String {
        let day = CalendarDay.local(date)
        return year ? day.written : "\(day.day.zeroPadded(2))/\(day.month.zeroPadded(2))"
    }

    /// A seniority in ten characters or fewer, for the queue.
    static func short(_ seniority: Seniority) -> String {
        switch seniority {
        case .practitioner: "pract."
        case .seniorPractitioner: "snr pract."
        case .seniorClinician: "snr clin."
        case .chiefExecutive: "chief exec"
        default: seniority.rawValue
        }
    }

    /// A concern in a word, for the queue.
    static func short(_ concern: ConcernCategory) -> String {
        switch concern {
        case .rudeOrAggressive: "rude"
        case .unsafePractice: "unsafe"
        case .lackOfCompassion: "compassion"
        case .bullyingOrHarassment: "bullying"
        case .discrimination: "discrim."
        case .workerSafety: "worker"
        case .detriment: "detriment"
        case .other: "other"
        }
    }

    static func stamp(_ date: Date) -> String { SubmissionTime.instant(date).text }

    // MARK: A case

    /// Every line of a case, in order, for scrolling.
    static func caseLines(_ file: CaseFile, handler: String, now: Date, width: Int) -> [(String, Style)] {
        var lines: [(String, Style)] = []
        func add(_ text: String, _ style: Style = .plain, indent: Int = 0) {
            for line in Wrap.lines(text, width: max(10, width - indent)) { lines.append((String(repeating: " ", count: indent) + line, style)) }
        }
        let report = file.report
        let routing = file.routing
        add("Case \(report.reference) · \(file.status.rawValue) · level \(routing?.level.rawValue ?? "not routed")", .heading)
        if let routing, file.status != .closed {
            let acknowledge = file.status == .new ? (routing.acknowledgeBy < now ? "OVERDUE: " : "") + "acknowledge by \(shortDay(routing.acknowledgeBy)); " : ""
            let feedBack = (routing.feedBackBy < now ? "OVERDUE: " : "") + "feed back by \(shortDay(routing.feedBackBy))"
            let late = (file.status == .new && routing.acknowledgeBy < now) || routing.feedBackBy < now
            add(acknowledge + feedBack, late ? .attention : .plain)
        }
        switch report.wayOfRaising {
        case .anonymous:
            add("Raised anonymously: nobody, SpeakUp included, knows who. Messages reach them through follow-up with their receipt code.")
        case .confidential, .open:
            let who = report.reporterDetails.map { [$0.name, $0.contact].filter { !$0.isEmpty }.joined(separator: ", ") } ?? ""
            let login = report.reporter.map { " (login \($0.userName))" } ?? ""
            let checked = report.station.isShared ? " Name given at a shared terminal, not checked." : ""
            let how = report.wayOfRaising == .confidential
                ? "Raised confidentially by \(who)\(login): for you only; do not share who raised it without their agreement."
                : "Raised openly by \(who)\(login)."
            add(how + checked)
        }
        if let location = report.station.location { add("Made at: \(report.station.kind) terminal, \(location).", .quiet) }
        lines.append(("", .plain))
        let subject = [report.subject.name, report.subject.role.isEmpty ? nil : report.subject.role].compactMap { $0 }.joined(separator: ", ")
        add("About: \(subject.isEmpty ? "not named" : subject) (\(report.subject.seniority.rawValue))", .bold)
        add("Concerns: " + report.concerns.map(\.meaning).joined(separator: "; "))
        let when = report.occurred.map { "\($0.day)" + ($0.time.map { " at \($0)" } ?? "") } ?? "not said"
        add("When: \(when). Where: \(report.location.isEmpty ? "not said" : report.location). Patient harm: \(report.harm.rawValue).")
        if !report.staffImpact.isEmpty { add("Impact on staff: " + report.staffImpact) }
        if let outcome = report.desiredOutcome { add("They would like: \(outcome.title)") }
        if !report.excludedHandlers.isEmpty { add("They asked that these not see it: " + report.excludedHandlers.joined(separator: ", ")) }
        lines.append(("", .plain))
        add("What happened", .bold)
        add(report.account, indent: 2)
        if !report.witnesses.isEmpty {
            add("Witnesses", .bold)
            add(report.witnesses, indent: 2)
        }
        lines.append(("", .plain))
        if file.reportsAboutSamePerson == 0 {
            add("The person is not named, so no pattern can be counted.", .quiet)
        } else {
            let others = file.reportsAboutSamePerson - 1
            add("The same person: \(others == 0 ? "no other reports" : "\(others) other report\(others == 1 ? "" : "s")") in the store"
                + (file.linked.isEmpty ? "." : "; with you: " + file.linked.map { "\($0.reference) (\($0.status.rawValue))" }.joined(separator: ", ")), .bold)
        }
        lines.append(("", .plain))
        add("Timeline", .bold)
        for event in file.events {
            let when = event.at.text.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
            // No actor: the reporter for their own events; for a handler's, one from before actors were kept.
            let who = event.actor.map { $0 == CaseEvent.rulesActor ? "the rules" : $0 }
                ?? ([.received, .reporterMessage, .speakUpAgain].contains(event.kind) ? "the reporter" : "a handler (not recorded)")
            let what: String = switch event.kind {
            case .received: "received"
            case .routed: "routed"
            case .escalated: "ESCALATED"
            case .acknowledged: "acknowledged by \(who)"
            case .handlerMessage: "message to the reporter from \(who)"
            case .reporterMessage: "message from the reporter"
            case .closed: "closed by \(who)"
            case .speakUpAgain: "the reporter answered \"would you speak up again?\""
            case .note: "internal note by \(who) (not shown to the reporter)"
            case .levelChanged: "level changed by \(who)"
            case .reassigned: "passed on by \(who)"
            case .recused: "\(who) stepped away (conflict of interest)"
            }
            add("\(when)  \(what)", event.kind == .escalated ? .attention : .plain)
            if let text = event.text {
                // The rules' reasons are below; an escalation shows its first line (which promise was missed).
                if event.kind == .escalated { add(text.split(separator: "\n").first.map(String.init) ?? "", indent: 4) }
                else if event.kind != .routed { add(text, indent: 4) }
            }
        }
        if let routing {
            lines.append(("", .plain))
            add("Why it came to you (the rules engine)", .bold)
            for line in routing.explanation { add(line, .quiet, indent: 2) }
        }
        return lines
    }

    private static func renderCase(_ file: CaseFile, _ state: CasesState, bottom: Int, into canvas: inout Canvas) {
        let lines = caseLines(file, handler: state.handler, now: state.now, width: state.size.columns - 4)
        let room = max(1, bottom - 2)
        let top = min(state.caseTop, max(0, lines.count - room))
        for (offset, (text, style)) in lines.dropFirst(top).prefix(room).enumerated() {
            canvas.put(text, row: 2 + offset, column: 2, style: style, limit: state.size.columns - 4)
        }
        if lines.count > room {
            canvas.put(top + room < lines.count ? "↓ more" : "end", row: 1, column: state.size.columns - 8, style: .quiet)
        }
    }

    private static func renderChoice(_ title: String, _ items: [String], highlighted: Int, into canvas: inout Canvas) {
        let width = min(canvas.size.columns - 8, 72)
        let titleLines = Wrap.lines(title, width: width - 4)
        let height = titleLines.count + items.count + (items.isEmpty ? 1 : 2)
        let top = max(2, (canvas.size.rows - height) / 2 - 1)
        let left = (canvas.size.columns - width) / 2
        canvas.clear(top: top, left: left, bottom: top + height + 1, right: left + width - 1)
        canvas.box(top: top, left: left, bottom: top + height + 1, right: left + width - 1, style: .bold)
        var row = top + 1
        for line in titleLines {
            canvas.put(line, row: row, column: left + 2, style: .bold)
            row += 1
        }
        row += items.isEmpty ? 0 : 1
        for (index, item) in items.enumerated() {
            let marker = index == highlighted ? "› " : "  "
            canvas.put(marker + item, row: row, column: left + 2, style: index == highlighted ? .selected : .plain, limit: width - 4)
            row += 1
        }
    }
}

