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
        case .offerResume(let draft):
            ReporterFormReview.renderResume(draft, layout, into: &canvas)
        case .asking(.review), .saving:
            ReporterFormReview.render(state, layout, into: &canvas)
        case .asking(let step):
            renderPage(step, state, layout, into: &canvas)
        case .saved(let report, let receipt):
            ReporterFormReview.renderSaved(report, receipt: receipt, routing: state.routing, routingUnknown: state.routingUnknown, layout, into: &canvas)
        case .finished:
            break
        }
        if let notice = state.notice {
            let style: Style = notice.tone == .problem ? .attention : .plain
            let lines = Wrap.lines(notice.text, width: layout.width)
            // Notices start on the notice row and may use the spare row below it;
            // longer ones grow upwards.
            let first = min(layout.noticeRow, layout.keyRow - lines.count)
            canvas.clear(top: first, left: 0, bottom: layout.keyRow - 1, right: state.size.columns - 1)
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
            let steps = state.steps
            let text = step == .review
                ? "Check and send "
                : "Page \((steps.firstIndex(of: step) ?? 0) + 1) of \(steps.count - 1) "
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
        ScreenFrame.tooSmall(size, reassurance: "nothing you have written is lost.", into: &canvas)
    }

    // MARK: Pages

    /// The question in bold and its introduction; returns the first free row.
    static func heading(_ title: String, _ intro: String, _ layout: ReporterFormLayout, into canvas: inout Canvas) -> Int {
        canvas.put(title, row: layout.headingRow, column: layout.left, style: .heading)
        var row = layout.headingRow + 1
        for line in Wrap.lines(intro, width: layout.width) {
            canvas.put(line, row: row, column: layout.left)
            row += 1
        }
        return row + 1
    }

    private static func renderPage(_ step: ReporterFormState.Step, _ state: ReporterFormState, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        var row = heading(step.title, step.intro(at: state.station), layout, into: &canvas)
        let fields = step.fields(state)
        for (index, field) in fields.enumerated() {
            let focused = index == min(state.focus, fields.count - 1)
            row = ReporterFormFieldViews.render(field, state, focused: focused, row: row, layout, into: &canvas)
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
        canvas.cursor = nil
        return (top, left)
    }

    private static func renderHelp(_ state: ReporterFormState, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        let inner = min(layout.width, 72) - 4
        var lines = ["Help"]
        for hint in ReporterFormKeys.hints(for: state.step ?? .review, field: state.focusedField) {
            lines.append("  " + hint.keys + String(repeating: " ", count: max(1, 10 - CellWidth.of(hint.keys))) + hint.action)
        }
        lines.append("")
        for paragraph in ReporterFormKeys.help(for: state.step ?? .review) {
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
