import SpeakUpCore

/// Draws the reporter form: a pure function from state to a canvas.
public enum ReporterFormView {
    public static func render(_ state: ReporterFormState, into canvas: inout Canvas) {
        canvas.cursor = nil
        guard state.size.isLargeEnough else {
            renderTooSmall(state.size, into: &canvas)
            return
        }
        let layout = ReporterFormLayout(size: state.size)
        renderTitle(state, layout, into: &canvas)
        switch state.phase {
        case .asking(let step):
            renderStep(step, state, layout, into: &canvas)
        case .saving:
            renderReview(state, layout, into: &canvas)
        case .saved(let report):
            renderSaved(report, layout, into: &canvas)
        case .finished:
            break
        }
        if let notice = state.notice {
            let style: Style = notice.tone == .problem ? .attention : .plain
            let lines = Wrap.lines(notice.text, width: layout.width)
            // Notices start on the notice row and may use the spare row below it;
            // longer ones grow upwards.
            let first = min(layout.noticeRow, layout.keyRow - lines.count)
            for (offset, line) in lines.enumerated() {
                canvas.put(line, row: first + offset, column: layout.left, style: style)
            }
        }
        switch state.overlay {
        case .help: renderHelp(state, layout, into: &canvas)
        case .confirmLeave: renderConfirmLeave(layout, into: &canvas)
        case nil: break
        }
        renderKeyBar(state, layout, into: &canvas)
    }

    // MARK: Frame

    private static func renderTitle(_ state: ReporterFormState, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        canvas.paint(row: 0, style: .bar)
        canvas.put(" SpeakUp · Report a concern", row: 0, column: 0, style: .bar)
        if let step = state.step {
            let counter = "Question \(step.number) of \(ReporterFormState.Step.allCases.count) "
            let text = step == .review ? "Check and send " : counter
            canvas.put(text, row: 0, column: state.size.columns - CellWidth.of(text), style: .bar)
        }
    }

    private static func renderKeyBar(_ state: ReporterFormState, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        canvas.paint(row: layout.keyRow, style: .bar)
        var column = 1
        for hint in ReporterFormKeys.hints(for: state) {
            let keysWidth = hint.keys.isEmpty ? 0 : CellWidth.of(hint.keys) + 1
            guard column + keysWidth + CellWidth.of(hint.action) < state.size.columns else { break }
            if !hint.keys.isEmpty {
                column += canvas.put(hint.keys, row: layout.keyRow, column: column, style: Style([.reverse, .bold]))
                column += 1
            }
            column += canvas.put(hint.action, row: layout.keyRow, column: column, style: .bar)
            column += 2
        }
    }

    private static func renderTooSmall(_ size: Size, into canvas: inout Canvas) {
        let message = "SpeakUp needs a window at least \(Size.minimum.columns) columns wide and \(Size.minimum.rows) rows tall. "
            + "This one is \(size.columns) × \(size.rows). Please make it larger: nothing you have written is lost."
        let width = max(1, size.columns - 2)
        for (offset, line) in Wrap.lines(message, width: width).enumerated() {
            canvas.put(line, row: offset, column: 1)
        }
    }

    // MARK: Pages

    private static func heading(_ title: String, _ intro: String, _ layout: ReporterFormLayout, into canvas: inout Canvas) -> Int {
        canvas.put(title, row: layout.headingRow, column: layout.left, style: .heading)
        var row = layout.headingRow + 1
        for line in Wrap.lines(intro, width: layout.width) {
            canvas.put(line, row: row, column: layout.left)
            row += 1
        }
        return row + 1
    }

    private static func renderStep(_ step: ReporterFormState.Step, _ state: ReporterFormState, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        switch step {
        case .wayOfRaising:
            var row = heading(
                "How would you like to raise this concern?",
                "Thank you for speaking up. Whichever you choose, your report goes to people whose job is to listen, and you can change this until you send it.",
                layout, into: &canvas)
            for (index, way) in state.ways.items.enumerated() {
                let mark = state.ways.chosen.contains(way) ? "(•)" : "( )"
                row = choiceRow(mark, way.title, highlighted: index == state.ways.highlighted, row: row, layout, into: &canvas)
                for line in Wrap.lines(way.explanation, width: layout.width - 6) {
                    canvas.put(line, row: row, column: layout.left + 6, style: .plain)
                    row += 1
                }
                row += 1
            }
        case .concerns:
            var row = heading(
                "What was it about?",
                "Tick everything that fits. One is enough.",
                layout, into: &canvas)
            for (index, concern) in state.concerns.items.enumerated() {
                let mark = state.concerns.chosen.contains(concern) ? "[x]" : "[ ]"
                row = choiceRow(mark, concern.meaning, highlighted: index == state.concerns.highlighted, row: row, layout, into: &canvas)
            }
        case .seniority:
            var row = heading(
                "How senior is the person involved?",
                "Reports about anyone are welcome, however senior, from a student to a board member. This only helps us send your report to someone independent of them.",
                layout, into: &canvas)
            for (index, seniority) in state.seniorities.items.enumerated() {
                let mark = state.seniorities.chosen.contains(seniority) ? "(•)" : "( )"
                let label = "\(seniority.title): \(seniority.examples)"
                row = choiceRow(mark, label, highlighted: index == state.seniorities.highlighted, row: row, layout, into: &canvas)
            }
        case .location:
            let row = heading(
                "Where did it happen?",
                "A ward, department or place, such as \"Ward 7\" or \"main corridor\". You can leave this blank.",
                layout, into: &canvas)
            canvas.box(top: row, left: layout.left, bottom: row + 2, right: layout.left + layout.width - 1)
            state.location.render(into: &canvas, row: row + 1, column: layout.left + 2, width: layout.width - 4)
        case .account:
            _ = heading(
                "What happened?",
                "In your own words: what you saw or heard, and when. Spelling does not matter.",
                layout, into: &canvas)
            let viewport = layout.accountViewport
            canvas.box(top: layout.accountTop - 1, left: layout.left, bottom: layout.accountTop + viewport.rows, right: layout.left + layout.width - 1)
            state.account.render(into: &canvas, row: layout.accountTop, column: layout.left + 2)
            renderCounter(state, layout, row: layout.accountTop + viewport.rows + 1, into: &canvas)
        case .review:
            renderReview(state, layout, into: &canvas)
        }
    }

    private static func choiceRow(_ mark: String, _ label: String, highlighted: Bool, row: Int, _ layout: ReporterFormLayout, into canvas: inout Canvas) -> Int {
        let pointer = highlighted ? "›" : " "
        let style: Style = highlighted ? .selected : .plain
        let text = "\(pointer) \(mark) \(label) "
        canvas.put(text, row: row, column: layout.left, style: style, limit: layout.width)
        return row + 1
    }

    private static func renderCounter(_ state: ReporterFormState, _ layout: ReporterFormLayout, row: Int, into canvas: inout Canvas) {
        let count = state.account.buffer.count
        let limit = ReportLimits.accountCharacters
        let text = "\(count.formatted()) of \(limit.formatted()) characters"
        let nearLimit = count * 10 >= limit * 9
        let shown = nearLimit ? text + (count >= limit ? " (full)" : " (nearly full)") : text
        let column = layout.left + layout.width - CellWidth.of(shown)
        canvas.put(shown, row: row, column: column, style: nearLimit ? .attention : .quiet)
        if state.account.lineCount > layout.accountViewport.rows {
            canvas.put("PgUp/PgDn scroll", row: row, column: layout.left, style: .quiet)
        }
    }

    private static func renderReview(_ state: ReporterFormState, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        let draft = state.draft
        var row = heading(
            "Please check your report",
            "Nothing has been sent yet. Press Enter to send it, or a number to change an answer.",
            layout, into: &canvas)
        let labelWidth = 18
        func line(_ number: Int, _ label: String, _ value: String) {
            canvas.put("\(number)  \(label)", row: row, column: layout.left, style: .bold)
            let lines = Wrap.lines(value, width: layout.width - labelWidth)
            for (offset, text) in lines.prefix(2).enumerated() {
                canvas.put(text, row: row + offset, column: layout.left + labelWidth)
            }
            row += max(1, min(2, lines.count))
        }
        line(1, "Raised", draft.wayOfRaising.map { "\($0.title). \($0.explanation)" } ?? "not chosen yet")
        line(2, "About", draft.concerns.isEmpty ? "not chosen yet" : draft.concerns.sorted().map(\.meaning).joined(separator: "; "))
        line(3, "Seniority", draft.subjectSeniority.map { "\($0.title) (\($0.examples))" } ?? "not chosen yet")
        line(4, "Where", draft.location.isEmpty ? "not given" : draft.location)
        canvas.put("5  What happened", row: row, column: layout.left, style: .bold)
        row += 1
        let room = max(1, layout.noticeRow - 1 - row)
        let accountLines = Wrap.lines(draft.account, width: layout.width - 3)
        for (offset, text) in accountLines.prefix(room).enumerated() {
            canvas.put(text, row: row + offset, column: layout.left + 3)
        }
        if accountLines.count > room {
            let more = "… and \(accountLines.count - room + 1) more lines (press 5 to read or change them)"
            canvas.put(String(repeating: " ", count: layout.width - 3), row: row + room - 1, column: layout.left + 3)
            canvas.put(more, row: row + room - 1, column: layout.left + 3, style: .quiet)
        }
        if state.phase == .saving {
            canvas.put("Saving your report…", row: layout.noticeRow, column: layout.left, style: .bold)
        }
    }

    private static func renderSaved(_ report: Report, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        var row = heading(
            "Thank you. Your report is saved.",
            "Speaking up takes courage, and it helps everyone here work and care better.",
            layout, into: &canvas)
        canvas.put("Your case reference is  ", row: row, column: layout.left)
        canvas.put(report.reference.text, row: row, column: layout.left + 24, style: .good)
        row += 2
        var paragraphs = [
            "Please note the reference if you would like to talk about this case later.",
            "It is stored safely on this system and will be read by the people who handle speaking-up concerns.",
        ]
        switch report.wayOfRaising {
        case .anonymous:
            paragraphs.append("You chose to stay anonymous: no name, login or exact time is kept with it.")
        case .confidential:
            paragraphs.append("You chose confidential: only the person handling it will see your name.")
        case .open:
            paragraphs.append("You chose to raise it openly: your name is kept with the report.")
        }
        for paragraph in paragraphs {
            for line in Wrap.lines(paragraph, width: layout.width) {
                canvas.put(line, row: row, column: layout.left)
                row += 1
            }
            row += 1
        }
    }

    // MARK: Overlays

    private static func overlayBox(lines: [String], _ layout: ReporterFormLayout, into canvas: inout Canvas) -> (top: Int, left: Int) {
        let width = min(layout.width, 72)
        let left = (layout.size.columns - width) / 2
        let height = lines.count + 2
        let top = max(1, (layout.size.rows - height) / 2)
        canvas.clear(top: top, left: left, bottom: top + height - 1, right: left + width - 1)
        canvas.box(top: top, left: left, bottom: top + height - 1, right: left + width - 1, style: .bold)
        return (top, left)
    }

    private static func renderHelp(_ state: ReporterFormState, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        let step = state.step ?? .review
        let inner = min(layout.width, 72) - 4
        var lines = ["Help"]
        for hint in ReporterFormKeys.hints(for: step) {
            lines.append("  " + hint.keys + String(repeating: " ", count: max(1, 8 - CellWidth.of(hint.keys))) + hint.action)
        }
        lines.append("")
        for paragraph in ReporterFormKeys.help(for: step) {
            lines += Wrap.lines(paragraph, width: inner)
        }
        let origin = overlayBox(lines: lines, layout, into: &canvas)
        for (offset, line) in lines.enumerated() {
            canvas.put(line, row: origin.top + 1 + offset, column: origin.left + 2, style: offset == 0 ? .heading : .plain)
        }
    }

    private static func renderConfirmLeave(_ layout: ReporterFormLayout, into canvas: inout Canvas) {
        let inner = min(layout.width, 72) - 4
        var lines = ["Leave without sending?"]
        lines += Wrap.lines("Nothing has been sent, and what you have written so far will be lost.", width: inner)
        lines.append("")
        lines.append("Y  leave without sending      N  keep writing")
        let origin = overlayBox(lines: lines, layout, into: &canvas)
        for (offset, line) in lines.enumerated() {
            canvas.put(line, row: origin.top + 1 + offset, column: origin.left + 2, style: offset == 0 ? .attention : .plain)
        }
    }
}
