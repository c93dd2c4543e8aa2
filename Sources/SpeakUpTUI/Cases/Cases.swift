import SpeakUpCore

/// The workspace's behaviour: a pure state machine. `update` takes a key and
/// says what the program must fetch or do; `loaded`, `opened`, `done` and
/// `failed` bring the store's answers back.
public enum Cases {
    public enum Effect: Hashable, Sendable {
        /// Load the queue for this query (into `loaded`).
        case loadQueue(QueueQuery)
        /// Open a case (into `opened`).
        case open(CaseReference)
        /// Carry out an action, then open the case again (into `opened`).
        case act(CaseReference, CaseAction)
        /// Count the statistics (into `counted`).
        case loadStatistics
        /// The reminders were read: mark them seen.
        case dismissReminders
        case finish
    }

    public static func update(_ state: inout CasesState, _ key: Key) -> [Effect] {
        if case .resize(let size) = key {
            state.size = size
            state.editor.resize(to: Size(columns: max(1, min(size.columns - 8, 92)), rows: 6))
            return []
        }
        guard state.size.isLargeEnough else { return [] }
        if let question = state.question { return answer(&state, question, key) }
        if key == .control("c") {
            // Ctrl-C leaves at once, unless words not yet saved would go with it.
            if state.unsavedWords {
                state.question = .leave
                return []
            }
            state.phase = .finished
            return [.finish]
        }
        state.notice = nil
        switch state.phase {
        case .unrouted:
            if let reminders = state.waitingReminders, !reminders.isEmpty {
                state.phase = .reminders(reminders)
                return []
            }
            state.phase = .queue
            return [.loadQueue(state.query)]
        case .reminders:
            state.phase = .queue
            return [.dismissReminders, .loadQueue(state.query)]
        case .queue:
            return queueKey(&state, key)
        case .typing(let box):
            return typingKey(&state, box, key)
        case .viewing(let file):
            return caseKey(&state, file, key)
        case .writing(let file, let writing):
            return writingKey(&state, file, writing, key)
        case .reviewing(let file, let writing):
            return reviewingKey(&state, file, writing, key)
        case .choosing(let file, let choosing):
            return choosingKey(&state, file, choosing, key)
        case .confirmingRecusal(let file):
            switch key {
            case .character("y"), .character("Y"):
                // The store keeps it with its other handlers if it has any, else gives it to these.
                return [.act(file.report.reference, .recuse(to: file.eligibleHandlers))]
            default:
                state.phase = .viewing(file)
                state.notice = .info("You did not step away; the case is still yours.")
                return []
            }
        case .statistics:
            switch key {
            case .up: state.caseTop = max(0, state.caseTop - 1)
            case .down: state.caseTop += 1
            case .pageUp: state.caseTop = max(0, state.caseTop - (state.size.rows - 4))
            case .pageDown: state.caseTop += state.size.rows - 4
            default:
                state.phase = .queue
                state.caseTop = 0
            }
            return []
        case .finished:
            return []
        }
    }

    // MARK: The queue

    private static func queueKey(_ state: inout CasesState, _ key: Key) -> [Effect] {
        switch key {
        case .up: move(&state, by: -1)
        case .down: return move(&state, by: 1)
        case .pageUp: move(&state, by: -state.visibleRows)
        case .pageDown: return move(&state, by: state.visibleRows)
        case .home:
            state.highlighted = 0
            state.top = 0
        case .enter:
            guard state.highlighted < state.rows.count else { return [] }
            return [.open(state.rows[state.highlighted].reference)]
        case .character("/"):
            state.phase = .typing(.search)
        case .character("p"):
            state.phase = .typing(.location)
        case .character("s"):
            let all = QueueQuery.StatusFilter.allCases
            state.query.status = all[(all.firstIndex(of: state.query.status)! + 1) % all.count]
            return reload(&state)
        case .character("l"):
            let levels: [PyramidLevel?] = [nil] + PyramidLevel.allCases
            state.query.level = levels[((levels.firstIndex(of: state.query.level) ?? 0) + 1) % levels.count]
            return reload(&state)
        case .character("c"):
            let categories: [ConcernCategory?] = [nil] + ConcernCategory.allCases
            state.query.category = categories[((categories.firstIndex(of: state.query.category) ?? 0) + 1) % categories.count]
            return reload(&state)
        case .character("o"):
            state.query.overdueOnly.toggle()
            return reload(&state)
        case .character("x"):
            state.query = QueueQuery()
            state.search.setText("")
            state.location.setText("")
            return reload(&state)
        case .character("t"):
            return [.loadStatistics]
        case .character("q"):
            state.phase = .finished
            return [.finish]
        case .escape:
            // The top level: a stray Esc asks before the workspace closes.
            state.question = .leave
        default: break
        }
        return []
    }

    /// Y or N to the question on screen; any other key leaves it asked.
    private static func answer(_ state: inout CasesState, _ question: CasesState.Question, _ key: Key) -> [Effect] {
        guard YesNo.settle(&state.question, key) else { return [] }
        if question == .leave {
            state.phase = .finished
            return [.finish]
        }
        if let file = state.openCase { state.phase = .viewing(file) }
        state.editor.setText("")
        state.notice = .info("Nothing was saved.")
        return []
    }

    /// Moves the highlight; asks for the next page when it runs past what is loaded.
    @discardableResult
    private static func move(_ state: inout CasesState, by delta: Int) -> [Effect] {
        guard !state.rows.isEmpty else { return [] }
        let wanted = state.highlighted + delta
        if wanted >= state.rows.count, state.mayHaveMore {
            var next = state.query
            next.offset = state.fetched
            state.highlighted = min(wanted, state.rows.count - 1)
            return [.loadQueue(next)]
        }
        state.highlighted = max(0, min(state.rows.count - 1, wanted))
        if state.highlighted < state.top { state.top = state.highlighted }
        if state.highlighted >= state.top + state.visibleRows { state.top = state.highlighted - state.visibleRows + 1 }
        return []
    }

    private static func reload(_ state: inout CasesState) -> [Effect] {
        state.query.offset = 0
        state.highlighted = 0
        state.top = 0
        return [.loadQueue(state.query)]
    }

    private static func typingKey(_ state: inout CasesState, _ box: CasesState.Box, _ key: Key) -> [Effect] {
        switch key {
        case .enter, .tab, .down:
            state.phase = .queue
            return []
        case .escape:
            // Esc clears the box and shows everything again.
            if box == .search { state.search.setText("") } else { state.location.setText("") }
            state.query.search = state.search.text
            state.query.location = state.location.text
            state.phase = .queue
            return reload(&state)
        default:
            let outcome = box == .search ? state.search.handle(key) : state.location.handle(key)
            guard outcome != .ignored else { return [] }
            state.query.search = state.search.text
            state.query.location = state.location.text
            return reload(&state)  // results as you type
        }
    }

    /// The queue came back: page one replaces the rows, later pages add to them.
    /// `fetched` is how many rows the store gave, before any the handler may not see were left out.
    public static func loaded(_ state: inout CasesState, _ rows: [QueueRow], for query: QueueQuery, fetched: Int? = nil) {
        if query.offset == 0 { state.rows = rows } else { state.rows += rows }
        let given = fetched ?? rows.count
        state.fetched = query.offset + given
        state.mayHaveMore = given == query.limit
        state.highlighted = max(0, min(state.highlighted, state.rows.count - 1))
        if state.highlighted >= state.top + state.visibleRows { state.top = state.highlighted - state.visibleRows + 1 }
    }

    // MARK: A case

    private static func caseKey(_ state: inout CasesState, _ file: CaseFile, _ key: Key) -> [Effect] {
        let reference = file.report.reference
        switch key {
        case .up: state.caseTop = max(0, min(state.caseTop, maxCaseTop(state, file)) - 1)
        case .down: state.caseTop = min(maxCaseTop(state, file), state.caseTop + 1)
        case .pageUp: state.caseTop = max(0, min(state.caseTop, maxCaseTop(state, file)) - (state.size.rows - 6))
        case .pageDown: state.caseTop = min(maxCaseTop(state, file), state.caseTop + state.size.rows - 6)
        case .home: state.caseTop = 0
        case .end: state.caseTop = maxCaseTop(state, file)
        case .character("a"):
            guard file.status == .new else {
                state.notice = .info(file.status == .closed ? "This case is closed. A note can still be added." : "This case is already acknowledged.")
                return []
            }
            return [.act(reference, .acknowledge)]
        case .character("n"): startWriting(&state, file, .note)
        case .character("m"):
            guard file.status != .closed else {
                state.notice = .problem("This case is closed. A note can still be added.")
                return []
            }
            startWriting(&state, file, .message)
        case .character(let letter) where file.status == .closed && "lrx".contains(letter):
            state.notice = .info("This case is closed. A note can still be added.")
        case .character("l"):
            state.choice = PyramidLevel.allCases.firstIndex(of: file.routing?.level ?? .informal) ?? 0
            state.phase = .choosing(file, .level)
        case .character("r"):
            switch file.handlerChoices {
            case .unknown(let why):
                // Fail closed: nobody is offered when eligibility could not be worked out.
                state.notice = .problem(why)
            case .workedOut(let all) where all.isEmpty:
                state.notice = .problem("No handlers are set up in the rules' roles, so there is nobody to pass the case to.")
            case .workedOut(let all):
                // Everyone is listed; the highlight rests only on those who may take it.
                state.choice = all.firstIndex { $0.notOffered == nil } ?? 0
                state.phase = .choosing(file, .handler)
            }
        case .character("x"):
            state.phase = .confirmingRecusal(file)
        case .character("c"):
            guard file.status != .closed else {
                state.notice = .info("This case is already closed.")
                return []
            }
            state.choice = 0
            state.phase = .choosing(file, .outcome)
        case .escape, .character("q"):
            state.phase = .queue
            state.caseTop = 0
            return [.loadQueue(state.query.firstPage)]
        default: break
        }
        return []
    }

    /// The furthest a case can scroll: its last line at the bottom of the screen.
    static func maxCaseTop(_ state: CasesState, _ file: CaseFile) -> Int {
        let lines = CasesView.caseLines(file, handler: state.handler, now: state.now, width: state.size.columns - 4).count
        return max(0, lines - max(1, state.size.rows - 6))
    }


    private static func startWriting(_ state: inout CasesState, _ file: CaseFile, _ writing: CasesState.Writing) {
        state.editor.setText("")
        state.phase = .writing(file, writing)
    }

    private static func writingKey(_ state: inout CasesState, _ file: CaseFile, _ writing: CasesState.Writing, _ key: Key) -> [Effect] {
        switch key {
        case .escape:
            // Back to the case; words that would be lost are asked about first.
            if state.unsavedWords {
                state.question = .discard
            } else {
                state.phase = .viewing(file)
            }
            return []
        case .tab, .function(2):
            // Tab is "done writing": what will be saved is shown, and S saves it.
            let mayBeEmpty: Bool = if case .learned = writing { true } else { false }
            if !mayBeEmpty && state.editor.text.isBlank {
                state.notice = .problem("Please write something first, or press Esc to leave it.")
                return []
            }
            state.phase = .reviewing(file, writing)
            return []
        default:
            if state.editor.handle(key) == .full {
                state.notice = .problem("There is room for \(ReportLimits.longText.grouped) characters; the rest was not added.")
            }
            return []
        }
    }

    /// What will be saved is on screen: S saves (or sends, or closes), E goes back to the words, Esc asks.
    private static func reviewingKey(_ state: inout CasesState, _ file: CaseFile, _ writing: CasesState.Writing, _ key: Key) -> [Effect] {
        let text = state.editor.text
        switch key {
        case .character("s"), .character("S"):
            switch writing {
            case .note: return [.act(file.report.reference, .note(text))]
            case .message: return [.act(file.report.reference, .message(text))]
            case .learned(let outcome): return [.act(file.report.reference, .close(outcome, learned: text))]
            }
        case .character("e"), .character("E"):
            state.phase = .writing(file, writing)
        case .escape:
            if state.unsavedWords { state.question = .discard } else { state.phase = .viewing(file) }
        case .up: state.caseTop = max(0, state.caseTop - 1)
        case .down: state.caseTop += 1
        default: break
        }
        return []
    }

    private static func choosingKey(_ state: inout CasesState, _ file: CaseFile, _ choosing: CasesState.Choosing, _ key: Key) -> [Effect] {
        let items = state.items(choosing, for: file)
        // The highlight skips what cannot be chosen.
        func step(_ by: Int) {
            var next = state.choice + by
            while items.indices.contains(next), items[next].notOffered != nil { next += by }
            if items.indices.contains(next) { state.choice = next }
        }
        switch key {
        case .up: step(-1)
        case .down: step(1)
        case .escape:
            state.phase = .viewing(file)
        case .enter:
            guard state.choice < items.count else { return [] }
            if let why = items[state.choice].notOffered {
                state.notice = .problem("Nobody can take this case from you: everyone is left out (\(items[state.choice].words): \(why)).")
                return []
            }
            switch choosing {
            case .level:
                let level = PyramidLevel.allCases[state.choice]
                guard level != file.routing?.level else {
                    state.phase = .viewing(file)
                    state.notice = .info("The level is unchanged.")
                    return []
                }
                return [.act(file.report.reference, .changeLevel(level))]
            case .handler:
                return [.act(file.report.reference, .reassign(to: items[state.choice].words))]
            case .outcome:
                startWriting(&state, file, .learned(CaseOutcome.allCases[state.choice]))
            }
        default: break
        }
        return []
    }

    /// A case came back from the store (opened, or after an action).
    public static func opened(_ state: inout CasesState, _ file: CaseFile, news: String? = nil) {
        state.phase = .viewing(file)
        if let news { state.notice = .info(news) }
    }

    /// An action left the case out of reach (recused, reassigned): back to the queue.
    public static func handedOver(_ state: inout CasesState, _ sentence: String) {
        state.phase = .queue
        state.caseTop = 0
        state.notice = .info(sentence)
    }

    /// The statistics came back.
    public static func counted(_ state: inout CasesState, _ statistics: CaseStatistics) {
        state.caseTop = 0
        state.phase = .statistics(statistics)
    }

    /// The store refused or failed: the words typed stay, and the reason is shown.
    public static func failed(_ state: inout CasesState, _ sentence: String) {
        state.notice = .problem(sentence)
        if case .choosing(let file, _) = state.phase { state.phase = .viewing(file) }
        if case .confirmingRecusal(let file) = state.phase { state.phase = .viewing(file) }
    }
}
