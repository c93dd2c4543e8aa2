import SpeakUpCore

/// The first screen of a shared terminal (a ward station or a kiosk), shown
/// between one person and the next: a pure state machine.
public enum Welcome {
    /// What the person at the terminal chose.
    public enum Choice: Hashable, Sendable {
        case report, followUp
        /// Close SpeakUp (ward terminals only; a kiosk has no key that exits).
        case close
    }

    public struct State: Hashable, Sendable {
        public let station: Station
        public var size: Size
        /// How long without a key before a form is cleared, in words ("2 minutes", "90 seconds").
        public let idleWords: String
        /// What happened to the last person's form, in a sentence.
        public var notice: String?

        public init(station: Station, size: Size, idleSeconds: Int, notice: String? = nil) {
            self.station = station
            self.size = size
            self.idleWords = idleSeconds % 60 == 0
                ? "\(idleSeconds / 60) minute\(idleSeconds == 60 ? "" : "s")"
                : "\(idleSeconds) seconds"
            self.notice = notice
        }
    }

    /// Applies one key. Every other key, control keys included, does nothing.
    public static func update(_ state: inout State, _ key: Key) -> Choice? {
        switch key {
        case .resize(let size):
            state.size = size
            return nil
        case .enter, .character(" "), .character("r"), .character("R"):
            state.notice = nil
            return .report
        case .character("f"), .character("F"):
            state.notice = nil
            return .followUp
        case .control("q"):
            if case .ward = state.station { return .close }
            return nil
        default:
            return nil
        }
    }

    public static func render(_ state: State, into canvas: inout Canvas) {
        canvas.cursor = nil
        guard state.size.isLargeEnough else {
            ScreenFrame.tooSmall(state.size, into: &canvas)
            return
        }
        let layout = ReporterFormLayout(size: state.size)
        canvas.paint(row: 0, style: .bar)
        let place = state.station.location.map { " · " + SafeText.displayable($0) } ?? ""
        let title = switch state.station {
        case .kiosk: " SpeakUp · Speak-up kiosk" + place
        default: " SpeakUp · Shared ward terminal" + place
        }
        canvas.put(title, row: 0, column: 0, style: .bar, limit: state.size.columns)
        var row = ReporterFormView.heading(
            "Speak up about anyone's behaviour, whoever they are.",
            "If you have seen rude, aggressive, unsafe or uncaring behaviour, by anyone, however senior, you can tell us here. It takes a few minutes, and it helps everyone work and care better.",
            layout, into: &canvas)
        let about: String = switch state.station {
        case .kiosk:
            "Everything reported at this kiosk is anonymous: no name, login or exact time is kept, and nobody can tell it was you."
        default:
            "This terminal is shared, so it does not know who you are. You can give your name or stay anonymous."
        }
        let privacy = "Nothing you type stays on this terminal: the screen is cleared when you finish, and after \(state.idleWords) without a key."
        for line in Wrap.lines(about, width: layout.width) + [""] + Wrap.lines(privacy, width: layout.width) {
            canvas.put(line, row: row, column: layout.left)
            row += 1
        }
        row += 1
        let choices = [("Enter", "Report a concern"), ("F", "Follow up a report with your receipt code")]
        canvas.box(top: row, left: layout.left, bottom: row + choices.count + 1, right: layout.left + min(layout.width, 60) - 1)
        for (offset, (key, action)) in choices.enumerated() {
            canvas.put(key, row: row + 1 + offset, column: layout.left + 2, style: .bold)
            canvas.put(action, row: row + 1 + offset, column: layout.left + 10)
        }
        if let notice = state.notice {
            for (offset, line) in Wrap.lines(notice, width: layout.width).enumerated() where layout.noticeRow - 1 + offset < layout.keyRow {
                canvas.put(line, row: layout.noticeRow - 1 + offset, column: layout.left, style: .bold)
            }
        }
        var hints = [("Enter", "report a concern"), ("F", "follow up")]
        if case .ward = state.station { hints.append(("Ctrl-Q", "close SpeakUp on this terminal")) }
        ScreenFrame.keyBar(hints, into: &canvas)
    }
}
