/// The keys that work in each part of the form, shown on the bottom line and in help.
///
/// One table serves both, so the key bar and the help text cannot disagree.
enum ReporterFormKeys {
    struct Hint {
        let keys: String
        let action: String
    }

    static func hints(for state: ReporterFormState) -> [Hint] {
        switch state.overlay {
        case .help: return [Hint(keys: "Esc", action: "close help")]
        case .confirmLeave: return [Hint(keys: "Y", action: "leave without sending"), Hint(keys: "N", action: "keep writing")]
        case nil: break
        }
        switch state.phase {
        case .offerResume: return [Hint(keys: "R", action: "carry on"), Hint(keys: "N", action: "start a new report"), Hint(keys: "Esc", action: "leave (it stays kept)")]
        case .saving:
            if state.waitingForStore != nil { return [Hint(keys: "Ctrl-C", action: "stop waiting (your words stay here)")] }
            return [Hint(keys: "", action: "Saving your report…")]
        case .saved, .finished: return [Hint(keys: "Enter", action: "finish")]
        case .asking(let step): return hints(for: step, field: state.focusedField)
        }
    }

    static func hints(for step: ReporterFormState.Step, field: FormField?) -> [Hint] {
        let keys: [KeyModel.Binding]
        if step == .review {
            keys = [KeyModel.send, Binding("0-9", "change"), KeyModel.scroll, KeyModel.back, KeyModel.help, KeyModel.leave]
        } else {
            var bindings: [KeyModel.Binding]
            switch field?.control {
            case .list where field == .concerns: bindings = [KeyModel.move, KeyModel.tick, KeyModel.next]
            case .list, .match: bindings = [KeyModel.move, KeyModel.choose, KeyModel.next]
            case .checkbox: bindings = [KeyModel.tick, KeyModel.next]
            case .row: bindings = [Binding("←→", "choose"), KeyModel.next]
            case .line: bindings = [KeyModel.nextFromLine, Binding("Shift-Tab", "previous")]
            case .editor: bindings = [KeyModel.newLine, KeyModel.next]
            case nil: bindings = []
            }
            bindings.append(step == .wayOfRaising ? KeyModel.back.saying("leave") : KeyModel.back)
            bindings.append(field?.takesText == true ? KeyModel.helpWhileTyping : KeyModel.help)
            bindings.append(KeyModel.leave)
            keys = bindings
        }
        return keys.map { Hint(keys: $0.keys, action: $0.action) }
    }

    private typealias Binding = KeyModel.Binding

    /// Extra lines of help for a page, beyond its keys.
    static func help(for step: ReporterFormState.Step) -> [String] {
        var lines: [String] = []
        switch step {
        case .wayOfRaising:
            lines.append("Choose how much of who you are goes with the report. You can come back and change it until you send.")
        case .subject:
            lines.append("You do not have to name anyone. Space ticks \"I would rather not name them\".")
        case .seniority:
            lines.append("Seniority helps send your report to someone independent of the person. Reports about anyone are welcome.")
        case .concerns:
            lines.append("Tick every kind of concern that fits; one is enough. \"Something else\" is always fine.")
        case .whenWhere:
            lines.append("Choose today, yesterday or another day. Dates are written like 20/11/2026 and times like 14:30.")
        case .impact:
            lines.append("Choose the harm to patients as you see it; \"Not sure\" is fine. The impact on staff is optional.")
        case .account, .witnesses:
            lines.append("Write as much or as little as you like. Arrows, Home, End, PgUp and PgDn move, Ctrl-arrows by words; Backspace and Delete edit.")
            lines.append("Press Tab when you have finished; Enter starts a new line.")
        case .outcome:
            lines.append("\"Hold my report\" keeps it sealed until someone else reports the same person, so you are not the only one. Anyone you name at the bottom will not be sent it.")
        case .aboutYou:
            lines.append("Your name goes with an open or confidential report. To leave it out, go back and choose anonymous.")
        case .professionalGroup:
            lines.append("Optional: only counted for the national figures. Leave it unchosen and press Tab to skip it; Enter chooses the highlighted group, and \"Prefer not to say\" is an answer too.")
        case .characteristics:
            lines.append("Optional, and \"Prefer not to say\" unless you change it. ← and → (or Space) change the answer; ↑ and ↓ move between questions. Only counted, with everyone else's, and never shown to the people handling your report.")
        case .review:
            lines.append("Nothing is sent until you press S here. Press a number to change that answer.")
        }
        lines.append("Lists start with nothing chosen: move with ↑ and ↓, and Enter chooses. Tab and Shift-Tab move between answers without choosing. Esc goes back a page and keeps what you wrote. Ctrl-C leaves; SpeakUp asks first if you have started.")
        lines.append("In one-line boxes: Ctrl-A and Ctrl-E go to the start and the end; Ctrl-U clears before the cursor, Ctrl-K after it, Ctrl-W the word before it.")
        return lines
    }
}
