/// Draws the passphrase screen: a pure function from state to a canvas.
public enum PassphraseView {
    public static func render(_ state: PassphraseState, into canvas: inout Canvas) {
        canvas.cursor = nil
        guard state.size.isLargeEnough else {
            ScreenFrame.tooSmall(state.size, into: &canvas)
            return
        }
        let layout = ReporterFormLayout(size: state.size)
        canvas.paint(row: 0, style: .bar)
        canvas.put(" SpeakUp · Your cases", row: 0, column: 0, style: .bar)
        let (title, intro) = words(for: state.purpose)
        var row = ReporterFormView.heading(title, intro, layout, into: &canvas)
        var hints: [(String, String)] = []
        switch state.phase {
        case .typing(let step):
            canvas.put(label(step, state.purpose), row: row, column: layout.left, style: .bold, limit: layout.width)
            row += 1
            let width = min(layout.width - 4, 60)
            canvas.put("[", row: row, column: layout.left, style: .quiet)
            canvas.put("]", row: row, column: layout.left + width + 3, style: .quiet)
            // One star a character: what is typed is never drawn.
            var stars = TextField(limit: 256)
            stars.setText(String(repeating: "*", count: state.field.text.count))
            stars.render(into: &canvas, row: row, column: layout.left + 2, width: width)
            let last = step == state.steps.last
            let first = step == state.steps.first
            hints = [("Enter", last ? (state.purpose == .unlock ? "open your cases" : "done") : "next"),
                     KeyModel.back.saying(first ? "leave" : "back").hint] + (first ? [] : [KeyModel.leave.hint])
        case .checking:
            canvas.put("Checking…", row: row, column: layout.left, style: .bold)
            hints = [("", "Checking…")]
        case .finished, .left:
            break
        }
        if let notice = state.notice {
            let lines = Wrap.lines(notice.text, width: layout.width)
            let first = min(layout.noticeRow, layout.keyRow - lines.count)
            for (offset, line) in lines.enumerated() {
                canvas.put(line, row: first + offset, column: layout.left, style: notice.tone == .problem ? .attention : .plain)
            }
        }
        ScreenFrame.keyBar(hints, into: &canvas)
    }

    static func words(for purpose: PassphraseState.Purpose) -> (String, String) {
        switch purpose {
        case .choose:
            ("Choose a passphrase for your cases",
             "Your passphrase unlocks your sealing key: the key that lets only the people handling a report read what is sealed "
                + "in it (docs/security.md says what is sealed so far). SpeakUp does not keep your passphrase and cannot tell it you. "
                + "Choose at least 12 characters: three or four words you will remember are best. If you ever forget it, your IT team "
                + "can give you access again with the trust's recovery key.")
        case .unlock:
            ("Your passphrase", "Type the passphrase you chose for your cases. It unlocks your sealing key while the workspace is open.")
        case .replace:
            ("A new key for a forgotten passphrase",
             "SpeakUp makes you a new key under a new passphrase. The cases sealed for your old key cannot be opened with the new one "
                + "until your IT team seals them again for you with the trust's recovery key (speakup recover). This is recorded. "
                + "Choose at least 12 characters: three or four words you will remember are best.")
        case .change:
            ("Change your passphrase",
             "Your cases stay sealed for the same key: only the passphrase that unlocks it changes. Type the one you use now, then the new one twice.")
        }
    }

    static func label(_ step: PassphraseState.Step, _ purpose: PassphraseState.Purpose) -> String {
        switch step {
        case .current: purpose == .change ? "Your passphrase now" : "Passphrase"
        case .new: purpose == .change ? "Your new passphrase" : "Passphrase"
        case .again: "The same passphrase again"
        }
    }
}
