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
                hints = [KeyModel.move.hint, KeyModel.choose.saying("open").hint, ("/", "search"), ("t", "figures"), ("q", "leave")]
                moreKeys = "Filters: s status · l level · o overdue · c category · p place · x clear"
            }
        case .viewing(let file):
            renderCase(file, state, bottom: state.size.rows - 4, into: &canvas)
            hints = file.status == .closed
                ? [("n", "note"), KeyModel.scroll.hint, KeyModel.back.hint]
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
            hints = ScreenKeys.writing
        case .reviewing(let file, let writing):
            renderCase(file, state, bottom: state.size.rows - 13, into: &canvas)
            renderReview(writing, state, into: &canvas)
            hints = ScreenKeys.reviewing(send: verb(writing))
        case .choosing(let file, let choosing):
            renderCase(file, state, bottom: state.size.rows - 4, into: &canvas)
            let items = state.items(choosing, for: file)
            let title = switch choosing {
            case .level: "Change the level to"
            case .handler: items.contains { $0.notOffered == nil }
                ? "Pass the case to (those dimmed may not take it, and why)"
                : "Nobody can take this case from you under the rules:"
            case .outcome: "Close the case: the outcome"
            }
            ChoiceBox.render(title, items, highlighted: state.choice, wide: choosing == .handler, into: &canvas)
            hints = [KeyModel.move.hint, KeyModel.choose.hint, KeyModel.back.hint]
        case .confirmingRecusal(let file):
            renderCase(file, state, bottom: state.size.rows - 4, into: &canvas)
            ChoiceBox.render("Step away from this case for a conflict of interest? It stays with its other handlers, or, if you are the last, goes to the eligible ones; you will no longer see it. Press Y to step away, any other key to keep it.",
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
        if let question = state.question {
            let (words, yes, no) = Self.words(question, unsaved: state.unsavedWords)
            ChoiceBox.render(words, [], highlighted: 0, footer: "Y \(yes) · N \(no)", into: &canvas)
            hints = ScreenKeys.question(yes: yes, no: no)
            moreKeys = ""
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
        ScreenFrame.keyBar(hints + (state.question == nil ? [KeyModel.leave.hint] : []), into: &canvas)
    }

    /// A question's words, and what Y and N do.
    static func words(_ question: CasesState.Question, unsaved: Bool) -> (String, yes: String, no: String) {
        switch question {
        case .leave:
            (unsaved ? "Leave the workspace? What you wrote has not been saved, and would be lost." : "Leave the workspace?", "leave", "stay")
        case .discard:
            ("Throw away what you wrote? It has not been saved.", "throw it away", "keep it")
        }
    }

    /// What S does after writing.
    static func verb(_ writing: CasesState.Writing) -> String {
        switch writing {
        case .note: "save"
        case .message: "send"
        case .learned: "close the case"
        }
    }

    /// What will be saved or sent, whole, before S.
    private static func renderReview(_ writing: CasesState.Writing, _ state: CasesState, into canvas: inout Canvas) {
        let top = state.size.rows - 12
        let right = min(state.size.columns - 3, 97)
        canvas.clear(top: top, left: 0, bottom: state.size.rows - 4, right: state.size.columns - 1)
        let heading: String = switch writing {
        case .note: "Save this internal note? (the reporter never sees it)"
        case .message: "Send this message to the reporter? They read it in follow-up."
        case .learned(let outcome): "Close the case as \(outcome.title)? What was learned (internal):"
        }
        canvas.put(heading, row: top, column: 2, style: .bold, limit: state.size.columns - 4)
        canvas.box(top: top + 1, left: 2, bottom: top + 8, right: right)
        var lines = state.editor.text.split(separator: "\n", omittingEmptySubsequences: false)
            .flatMap { Wrap.lines(String($0), width: right - 5).map { $0 } }
        if lines.isEmpty || (lines.count == 1 && lines[0].isBlank) { lines = ["(nothing written)"] }
        let room = 6
        for (offset, line) in lines.prefix(room).enumerated() {
            let more = offset == room - 1 && lines.count > room ? "… and \(lines.count - room + 1) more lines (E to read and edit them)" : nil
            canvas.put(more ?? line, row: top + 2 + offset, column: 4, style: more == nil ? .plain : .quiet, limit: right - 5)
        }
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
            canvas.put("\(item.reference)  sent \(ScreenDate.day(item.since)), waiting for a handler", row: row, column: 2, style: .attention, limit: width)
            row += 1
        }
    }

    // MARK: Reminders

    private static func renderReminders(_ reminders: [Reminder], _ state: CasesState, into canvas: inout Canvas) {
        canvas.put("Deadlines that need you", row: 2, column: 2, style: .heading)
        var row = 4
        for reminder in reminders.prefix(state.size.rows - 8) {
            let what = reminder.deadline == .acknowledge ? "acknowledge" : "feed back"
            let (mark, overdue) = Self.mark(reminder, now: state.now)
            canvas.put("\(mark.padding(toLength: 22, withPad: " ", startingAt: 0))  \(reminder.reference)  \(what) by \(ScreenDate.moment(reminder.due))",
                       row: row, column: 2, style: overdue ? .attention : .plain, limit: state.size.columns - 4)
            row += 1
        }
    }

    /// One true thing a reminder says: overdue (and for how long) once the moment has passed,
    /// whatever it was when it was made; else due soon, and when.
    static func mark(_ reminder: Reminder, now: Date) -> (String, overdue: Bool) {
        reminder.due <= now
            ? ("OVERDUE by \(ScreenTimes.span(now.timeIntervalSince(reminder.due)))", true)
            : ("due soon, in \(ScreenTimes.span(reminder.due.timeIntervalSince(now)))", false)
    }

    // MARK: The queue

    static func filterLine(_ query: QueueQuery) -> String {
        var parts = ["Showing: \(query.status.title)"]
        if let level = query.level { parts.append("level \(level.rawValue)") }
        if query.overdueOnly { parts.append("overdue only") }
        if let category = query.category { parts.append(category.title.lowercased()) }
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
        let columns = QueueColumns(columns: state.size.columns)
        func cells(_ row: Int, _ values: (reference: String, status: String, level: String, age: String, deadline: String,
                                          seniority: String, about: String, concerns: String), style: Style) {
            canvas.put(values.reference, row: row, column: QueueColumns.reference, style: style, limit: 12)
            canvas.put(values.status, row: row, column: QueueColumns.status, style: style, limit: 6)
            canvas.put(values.level, row: row, column: QueueColumns.level, style: style, limit: 12)
            canvas.put(values.age.leftPadded(4), row: row, column: QueueColumns.age, style: style, limit: 4)
            canvas.put(values.deadline, row: row, column: QueueColumns.deadline, style: style, limit: QueueColumns.deadlineWidth)
            if let column = columns.seniority { canvas.put(values.seniority, row: row, column: column, style: style, limit: 10) }
            // Untrusted words (who it is about) go through Canvas.put, shortened at a word.
            canvas.put(ScreenWords.fit(values.about, columns.aboutWidth), row: row, column: columns.about, style: style, limit: columns.aboutWidth)
            canvas.put(values.concerns, row: row, column: columns.concerns, style: style, limit: columns.concernsWidth)
        }
        cells(3, ("Reference", "Status", "Level", "Age", "Deadline", "Seniority", "About", "Concerns"), style: .bold)
        if state.rows.isEmpty {
            let empty = state.query == QueueQuery() ? "No cases are waiting for you. Thank you." : "No cases match. Press x to clear the filters."
            canvas.put(empty, row: 5, column: 2)
            return
        }
        for (index, row) in state.rows.enumerated().dropFirst(state.top).prefix(state.visibleRows) {
            let line = 4 + index - state.top
            let overdue = row.isOverdue(at: state.now)
            // Overdue is said in words (and by how long), not only in colour.
            let deadline = row.deadline.map { overdue ? "OVERDUE " + age(.instant($0), now: state.now) : ScreenDate.day(CalendarDay.local($0)) } ?? "-"
            let status = switch row.status { case .new: "new"; case .acknowledged: "ack'd"; case .closed: "closed" }
            let style: Style = index == state.highlighted ? .selected : (overdue ? .attention : (row.level == .urgent ? .bold : .plain))
            if index == state.highlighted { canvas.paint(row: line, style: .selected) }
            cells(line, (row.reference.text, status, row.level.rawValue, age(row.submitted, now: state.now), deadline, short(row.seniority),
                         ScreenWords.about(row.about, sealed: row.aboutSealed), concerns(row.concerns, width: columns.concernsWidth)), style: style)
            if index == state.highlighted { canvas.put("›", row: line, column: 0, style: .selected) }
        }
        let shown = "\(state.top + 1)-\(min(state.rows.count, state.top + state.visibleRows)) of \(state.rows.count)\(state.mayHaveMore ? "+" : "")"
        canvas.put(shown, row: 1, column: state.size.columns - 2 - shown.count, style: .quiet)
    }

    /// Where each queue column starts: the fixed ones, then who it is about and the concerns
    /// sharing what is left of the width; seniority from 110 columns.
    struct QueueColumns {
        static let reference = 2, status = 15, level = 22, age = 35, deadline = 40, deadlineWidth = 11
        var seniority: Int?
        var about: Int
        var aboutWidth: Int
        var concerns: Int
        var concernsWidth: Int

        init(columns: Int) {
            var next = Self.deadline + Self.deadlineWidth + 1
            seniority = columns >= 110 ? next : nil
            if seniority != nil { next += 11 }
            let flex = max(10, columns - next - 1)
            about = next
            aboutWidth = flex * 45 / 100
            concerns = next + aboutWidth + 1
            concernsWidth = max(1, flex - aboutWidth - 1)
        }
    }

    /// The concerns in the room there is: their titles when all fit whole, else a word each, then "+N".
    static func concerns(_ concerns: [ConcernCategory], width: Int) -> String {
        let titles = concerns.map(\.title).joined(separator: ", ")
        return ScreenWords.width(titles) <= width ? titles : ScreenWords.list(concerns.map(short), width)
    }

    static func age(_ submitted: SubmissionTime, now: Date) -> String {
        let days = Int(now.timeIntervalSince(submitted.moment) / 86_400)
        return days < 1 ? "<1d" : days < 100 ? "\(days)d" : "\(days / 30)mo"
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
            let acknowledge = file.status == .new ? (routing.acknowledgeBy < now ? "OVERDUE: " : "") + "acknowledge by \(ScreenDate.moment(routing.acknowledgeBy)); " : ""
            let feedBack = (routing.feedBackBy < now ? "OVERDUE: " : "") + "feed back by \(ScreenDate.moment(routing.feedBackBy))"
            let late = (file.status == .new && routing.acknowledgeBy < now) || routing.feedBackBy < now
            add(acknowledge + feedBack, late ? .attention : .plain)
        }
        switch report.wayOfRaising {
        case .anonymous:
            add("Raised anonymously: nobody, SpeakUp included, knows who. Messages reach them through follow-up with their receipt code.")
        case .confidential, .open:
            let who = file.unopened != nil ? "(sealed)" : report.reporterDetails.map { [$0.name, $0.contact].filter { !$0.isEmpty }.joined(separator: ", ") } ?? ""
            let login = report.reporter.map { " (login \($0.userName))" } ?? ""
            let checked = report.station.isShared ? " Name given at a shared terminal, not checked." : ""
            let how = report.wayOfRaising == .confidential
                ? "Raised confidentially by \(who)\(login): for you only; do not share who raised it without their agreement."
                : "Raised openly by \(who)\(login)."
            add(how + checked)
        }
        if let location = report.station.location { add("Made at: \(report.station.kind) terminal, \(location).", .quiet) }
        lines.append(("", .plain))
        add("About: \(ScreenWords.about(report.subject)) (\(report.subject.seniority.title.lowercased()))", .bold)
        add("Concerns: " + report.concerns.map(\.meaning).joined(separator: "; "))
        let when = report.occurred.map { ScreenDate.day($0.day) + ($0.time.map { ", \($0)" } ?? "") } ?? "not said"
        add("When: \(when). Where: \(report.location.isEmpty ? "not said" : report.location). Patient harm: \(report.harm.rawValue).")
        if !report.staffImpact.isEmpty { add("Impact on staff: " + report.staffImpact) }
        if let outcome = report.desiredOutcome { add("They would like: \(outcome.title)") }
        if !report.excludedHandlers.isEmpty { add("They asked that these not see it: " + report.excludedHandlers.joined(separator: ", ")) }
        // A case a detriment check-in opened says so at the top, with the case it came from.
        if let link = file.events.lazy.filter({ $0.kind == .detrimentLinked }).compactMap({ DetrimentCheckIn.Link(text: $0.text) }).first {
            add("Linked to case \(link.original.text): the reporter said, asked \(link.months.counted("month")) after that case closed, that they have been treated worse since speaking up.", .bold)
        }
        lines.append(("", .plain))
        add("What happened", .bold)
        // Sealed words that could not be opened: why, in their place, never anything of them.
        if let unopened = file.unopened { add(unopened, .attention, indent: 2) }
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
            let when = ScreenTimes.when(event.at)
            // No actor: the reporter for their own events; for a handler's, one from before actors were kept.
            let who = event.actor.map { $0 == CaseEvent.rulesActor ? "the rules" : $0 }
                ?? ([.received, .reporterMessage, .speakUpAgain, .detrimentCheckIn, .detrimentLinked].contains(event.kind) ? "the reporter" : "a handler (not recorded)")
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
            case .detrimentCheckIn: CasesView.checkInLine(event.text)
            case .detrimentLinked: CasesView.linkLine(event.text)
            case .legalHold: "legal hold set by \(who): kept whatever the retention policy says"
            case .legalHoldLifted: "legal hold lifted by \(who)"
            }
            add("\(when)  \(what)", event.kind == .escalated ? .attention : .plain)
            if let text = event.text {
                // The rules' reasons are below; an escalation shows its first line (which promise was missed).
                if event.kind == .escalated { add(text.split(separator: "\n").first.map(String.init) ?? "", indent: 4) }
                else if event.kind != .routed, event.kind != .detrimentCheckIn, event.kind != .detrimentLinked { add(text, indent: 4) }
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
}

extension CasesView {
    /// A detriment check-in's answer, as handlers read it in the timeline.
    static func checkInLine(_ text: String?) -> String {
        guard let recorded = DetrimentCheckIn.Recorded(text: text) else { return "the reporter answered a detriment check-in" }
        let asked = "detriment check-in \(recorded.months.counted("month")) after closing: "
        return switch recorded.answer {
        case .yes: asked + "the reporter has been treated worse since speaking up; linked detriment case \(recorded.linked?.text ?? "unknown")"
        case .no: asked + "the reporter has not been treated worse"
        case .ratherNotSay: asked + "the reporter would rather not say"
        }
    }

    /// The event that ties a case a check-in opened to the case it was asked about.
    static func linkLine(_ text: String?) -> String {
        guard let link = DetrimentCheckIn.Link(text: text) else { return "opened from a detriment check-in" }
        return "opened from a detriment check-in on case \(link.original.text), \(link.months.counted("month")) after it closed (linked case)"
    }
}
