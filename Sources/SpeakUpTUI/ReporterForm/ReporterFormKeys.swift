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
        case .saving: return [Hint(keys: "", action: "Saving your report…")]
        case .saved, .finished: return [Hint(keys: "Enter", action: "finish")]
        case .asking(let step): return hints(for: step)
        }
    }

    static func hints(for step: ReporterFormState.Step) -> [Hint] {
        let back = Hint(keys: "Esc", action: "back")
        let leave = Hint(keys: "Ctrl-C", action: "leave")
        switch step {
        case .wayOfRaising:
            return [Hint(keys: "↑↓", action: "choose"), Hint(keys: "Enter", action: "continue"), Hint(keys: "?", action: "help"), leave]
        case .concerns:
            return [Hint(keys: "↑↓", action: "move"), Hint(keys: "Space", action: "tick"), Hint(keys: "Enter", action: "continue"), back, Hint(keys: "?", action: "help"), leave]
        case .seniority:
            return [Hint(keys: "↑↓", action: "choose"), Hint(keys: "Enter", action: "continue"), back, Hint(keys: "?", action: "help"), leave]
        case .location:
            return [Hint(keys: "Enter", action: "continue"), back, Hint(keys: "F1", action: "help"), leave]
        case .account:
            return [Hint(keys: "Enter", action: "new line"), Hint(keys: "Tab", action: "continue"), back, Hint(keys: "F1", action: "help"), leave]
        case .review:
            return [Hint(keys: "Enter", action: "send"), Hint(keys: "1-5", action: "change"), back, Hint(keys: "?", action: "help"), leave]
        }
    }

    /// Extra lines of help for a step, beyond its keys.
    static func help(for step: ReporterFormState.Step) -> [String] {
        var lines: [String] = []
        switch step {
        case .wayOfRaising:
            lines.append("Choose how much of who you are goes with the report. You can come back and change it until you send.")
        case .concerns:
            lines.append("Tick every kind of concern that fits; one is enough. \"Something else\" is always fine.")
        case .seniority:
            lines.append("Seniority helps send your report to someone independent of the person. Reports about anyone are welcome.")
        case .location:
            lines.append("Type the ward, department or place. Arrows, Home, End, Backspace and Delete edit it. You may leave it blank.")
        case .account:
            lines.append("Write as much or as little as you like. Arrows, Home, End, PgUp and PgDn move; Backspace and Delete edit.")
            lines.append("Press Tab when you have finished; Enter starts a new line.")
        case .review:
            lines.append("Nothing is sent until you press Enter here. Press a number to change that answer.")
        }
        lines.append("Esc goes back one step and keeps what you wrote. Ctrl-C leaves; SpeakUp asks first if you have started.")
        return lines
    }
}
