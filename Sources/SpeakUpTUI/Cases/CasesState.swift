import Foundation
import SpeakUpCore

/// Everything the handler's workspace (`speakup cases`) shows, as a value.
public struct CasesState: Hashable, Sendable {
    public enum Phase: Hashable, Sendable {
        /// Reports that nobody on this system can take yet: the workspace opens on them, in red.
        case unrouted([UnroutedCase])
        /// Deadlines coming up or passed: the workspace opens on them when there are any.
        case reminders([Reminder])
        case queue
        /// Typing in the queue's search or place box (results as you type).
        case typing(Box)
        case viewing(CaseFile)
        /// Writing a note, a message to the reporter, or what was learned when closing.
        case writing(CaseFile, Writing)
        /// Tab was pressed in a writing box: what will be saved or sent, shown whole; S does it.
        case reviewing(CaseFile, Writing)
        /// Choosing from a list: a level, a handler, an outcome.
        case choosing(CaseFile, Choosing)
        /// "Step away from this case?"
        case confirmingRecusal(CaseFile)
        case statistics(CaseStatistics)
        case finished
    }

    public enum Box: Hashable, Sendable { case search, location }

    /// A yes-or-no question over the screen.
    public enum Question: Hashable, Sendable {
        /// "Leave the workspace?" (words not yet saved are named in it).
        case leave
        /// "Throw away what you wrote?"
        case discard
    }

    public enum Writing: Hashable, Sendable {
        case note, message
        case learned(CaseOutcome)

        public var title: String {
            switch self {
            case .note: "Internal note (the reporter never sees it)"
            case .message: "Message to the reporter (they read it in follow-up, anonymous or not)"
            case .learned(let outcome): "Closing: \(outcome.title). What was learned? (internal; no names)"
            }
        }
    }

    public enum Choosing: Hashable, Sendable {
        case level, handler, outcome
    }

    public var size: Size
    /// The handler's login.
    public let handler: String
    /// When the screen was last brought up to date (for ages and overdue marks).
    public var now: Date
    public var phase: Phase = .queue
    public var query = QueueQuery()
    public var rows: [QueueRow] = []
    /// True when the last load filled its page, so there may be more below.
    public var mayHaveMore = false
    /// How many rows the store has given for this query so far (before any were hidden), for the next page.
    public var fetched = 0
    public var highlighted = 0
    /// The first queue row on screen.
    public var top = 0
    /// The first line of a case on screen.
    public var caseTop = 0
    public var search = TextField(limit: 80)
    public var location = TextField(limit: 80)
    public var editor = TextEditor(limit: ReportLimits.longText)
    /// The highlighted item of a choice.
    public var choice = 0
    public var notice: ReporterFormState.Notice? = nil
    /// A question waiting for Y or N.
    public var question: Question? = nil

    /// Reminders still to show after the unrouted reports.
    public var waitingReminders: [Reminder]? = nil

    public init(size: Size, handler: String, now: Date, reminders: [Reminder] = [], unrouted: [UnroutedCase] = []) {
        self.size = size
        self.handler = handler
        self.now = now
        // One reminder a promise: a passed one over the nearing one made before it.
        let reminders = Reminder.oneEach(reminders)
        if !reminders.isEmpty { phase = .reminders(reminders) }
        if !unrouted.isEmpty {
            phase = .unrouted(unrouted)
            waitingReminders = reminders
        }
        editor.resize(to: Size(columns: max(1, min(size.columns - 8, 92)), rows: 6))
    }

    /// The case on screen, if any.
    public var openCase: CaseFile? {
        switch phase {
        case .viewing(let file), .writing(let file, _), .reviewing(let file, _), .choosing(let file, _), .confirmingRecusal(let file): file
        default: nil
        }
    }

    /// Words typed in a writing box and not yet saved (lost if the box is left without saving).
    public var unsavedWords: Bool {
        switch phase {
        case .writing, .reviewing: !editor.text.isBlank
        default: false
        }
    }

    /// How many queue rows fit on screen.
    public var visibleRows: Int { max(1, size.rows - 7) }

    /// The items of a choice, as words, each with the reason it cannot be chosen (nil when it can).
    public func items(_ choosing: Choosing, for file: CaseFile) -> [(words: String, notOffered: String?)] {
        switch choosing {
        case .level: PyramidLevel.allCases.map { ($0.rawValue, nil) }
        case .handler:
            switch file.handlerChoices {
            case .workedOut(let all): all.map { ($0.handler, $0.notOffered) }
            case .unknown: []
            }
        case .outcome: CaseOutcome.allCases.map { ($0.title, nil) }
        }
    }
}
