/// Draws the subject access review: a pure function from state to a canvas.
public enum DisclosureReviewView {
    public static func render(_ state: DisclosureReviewState, into canvas: inout Canvas) {
        canvas.cursor = nil
        guard state.size.isLargeEnough else {
            ScreenFrame.tooSmall(state.size, reassurance: "nothing has been written yet.", into: &canvas)
            return
        }
        canvas.paint(row: 0, style: .bar)
        canvas.put(" SpeakUp · Subject access for staff id \(state.staffID): your review", row: 0, column: 0, style: .bar)
        canvas.put("Everyone who raised a concern is taken out. Nothing has been written yet.",
                   row: 1, column: 2, style: .quiet, limit: state.size.columns - 4)
        let lines = state.lines
        for (offset, line) in lines.dropFirst(state.top).prefix(state.room).enumerated() {
            canvas.put(line, row: 2 + offset, column: 2, limit: state.textWidth)
        }
        let last = min(lines.count, state.top + state.room)
        let position = last >= lines.count
            ? "Lines \(state.top + 1)–\(last) of \(lines.count): the end of the draft."
            : "Lines \(state.top + 1)–\(last) of \(lines.count). ↓ more below."
        canvas.put(position, row: state.size.rows - 2, column: 2, style: .quiet, limit: state.size.columns - 4)
        var hints: [(keys: String, action: String)]
        switch state.phase {
        case .reading:
            hints = [("↑↓ PgDn", "read"), ("A", state.readToEnd ? "approve" : "approve at the end"), ("D", "decline"),
                     ("Ctrl-C", "decline, leave")]
        case .asking(let decision):
            let (words, yes, no) = Self.question(decision, file: state.file)
            ChoiceBox.render(words, [], highlighted: 0, footer: "Y \(yes) · N \(no)", into: &canvas)
            hints = ScreenKeys.question(yes: yes, no: no)
        case .decided:
            hints = []
        }
        if let notice = state.notice {
            let noticeLines = Wrap.lines(notice, width: state.size.columns - 4)
            let first = state.size.rows - 1 - noticeLines.count
            canvas.clear(top: first, left: 0, bottom: state.size.rows - 2, right: state.size.columns - 1)
            for (offset, line) in noticeLines.enumerated() {
                canvas.put(line, row: first + offset, column: 2, style: .attention)
            }
        }
        ScreenFrame.keyBar(hints, into: &canvas)
    }

    /// The question's words, and what Y and N do.
    static func question(_ decision: DisclosureReviewState.Decision, file: String) -> (String, yes: String, no: String) {
        switch decision {
        case .approve:
            ("Approve this disclosure and write it to \(file)? The file is made readable by you only, and the audit trail records that you approved it, with the file's SHA-256.",
             "approve and write", "back to the draft")
        case .decline:
            ("Decline this disclosure? Nothing is written, and the audit trail records that you declined it.",
             "decline", "back to the draft")
        }
    }
}
