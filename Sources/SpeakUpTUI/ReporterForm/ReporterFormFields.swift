import SpeakUpCore

/// How keys act on each kind of field, and which answers each page needs.
///
/// Lists: ↑↓ move (and step out at their ends), Space ticks or chooses, Enter
/// chooses and goes on. Lines: typing edits, Enter and ↓ go on, ↑ goes back.
/// Checkboxes: Space toggles. Editors: Enter is a new line; Tab goes on.
/// Everywhere: Tab goes on, Shift-Tab goes back.
enum ReporterFormFields {
    enum Outcome {
        case handled, next, previous
    }

    static func handle(_ key: Key, on field: FormField, _ state: inout ReporterFormState) -> Outcome {
        if key == .tab {
            // Tab only moves: an answer is chosen with Enter or Space, never by passing it.
            return .next
        }
        if key == .backTab { return .previous }
        switch field.control {
        case .list: return handleList(key, field, &state)
        case .checkbox:
            switch key {
            case .character(" "), .character("x"):
                toggle(field, &state)
                return .handled
            case .enter, .down: return .next
            case .up: return .previous
            default: return .handled
            }
        case .match:
            let matches = state.directoryMatches
            switch key {
            case .up where state.matchHighlight == 0: return .previous
            case .up: state.matchHighlight -= 1
            case .down: state.matchHighlight = min(matches.count, state.matchHighlight + 1)
            case .enter:
                guard state.matchHighlight < matches.count else {
                    // None of these: the name stays as typed; everyone it could be is still kept from the report.
                    state.noneOfTheseFor = state.subjectName.text
                    state.matchHighlight = 0
                    state.notice = .info("Kept as you typed it. Anyone it could be, and everyone they manage, will still be kept from your report.")
                    state.focus = 1
                    return .handled
                }
                let member = matches[state.matchHighlight]
                state.subjectName.setText(member.name)
                state.subjectRole.setText(member.role)
                state.seniorities.choose(member.seniority)
                state.subjectID = member.id
                state.notice = .info("From the staff directory: \(member.name), \(member.role). Neither they nor anyone they manage will handle your report.")
                state.focus = 1  // the box after the name, now that the list has gone
                return .handled
            default: break
            }
            return .handled
        case .row:
            switch key {
            case .left: stepRow(field, by: -1, &state)
            case .right, .character(" "): stepRow(field, by: 1, &state)
            case .enter, .down: return .next
            case .up: return .previous
            default: break
            }
            return .handled
        case .line:
            switch key {
            case .enter, .down: return .next
            case .up: return .previous
            default:
                if editLine(field, key, &state) == .full {
                    state.notice = .problem("There is room for \(ReportLimits.shortText) characters here; the rest was not added.")
                }
                return .handled
            }
        case .editor:
            if editEditor(field, key, &state) == .full {
                let limit = field == .account ? ReportLimits.accountCharacters : ReportLimits.longText
                state.notice = .problem("There is room for \(limit.grouped) characters here, so the rest was not added. Please shorten it if you can.")
            }
            return .handled
        }
    }

    private static func handleList(_ key: Key, _ field: FormField, _ state: inout ReporterFormState) -> Outcome {
        var copy = state
        let (atTop, atBottom) = list(field, &copy) { ($0.isAtTop, $0.isAtBottom) } ?? (true, true)
        switch key {
        case .up where atTop: return .previous
        case .down where atBottom && !isOnlyField(field, state): return .next
        case .up, .down, .home, .end, .pageUp, .pageDown:
            _ = list(field, &state) { $0.move(key) }
            return .handled
        case .character(" "), .character("x"):
            list(field, &state) { $0.toggleHighlighted() }
            return .handled
        case .enter:
            // Enter chooses what is highlighted in a single-choice list, then goes on; in the
            // ticking list it only goes on. With nothing highlighted it chooses nothing: a
            // required list says what it needs, an optional one is left unanswered.
            guard field != .concerns else { return .next }
            let highlighted = list(field, &state) { $0.hasHighlight } ?? false
            if highlighted {
                list(field, &state) { $0.toggleHighlighted() }
                return .next
            }
            let answered = list(field, &state) { $0.hasChoice } ?? false
            if answered || field == .professionalGroup { return .next }
            state.notice = .problem(unchosenSentence(field))
            state.problemField = field
            return .handled
        default:
            return .handled
        }
    }

    /// What an unanswered required list needs, said when Enter is pressed on it.
    static func unchosenSentence(_ field: FormField) -> String {
        let what = switch field {
        case .way: "how you would like to raise this"
        case .seniority: "how senior they are (\"Not sure\" is fine)"
        case .when: "when it happened"
        case .harm: "whether a patient was harmed (\"Not sure\" is fine)"
        case .outcome: "what you would like to happen"
        default: "an answer"
        }
        return "Nothing is chosen yet. Please choose \(what): move with ↑ and ↓, then press Enter."
    }

    private static func isOnlyField(_ field: FormField, _ state: ReporterFormState) -> Bool {
        (state.step?.fields(state).count ?? 1) == 1
    }

    // MARK: Per-field plumbing

    /// Runs `body` on the list behind a list field (whatever its item type).
    @discardableResult
    private static func list<R>(_ field: FormField, _ state: inout ReporterFormState, _ body: (inout any ListControl) -> R) -> R? {
        func on<L: ListControl>(_ list: inout L) -> R {
            var control: any ListControl = list
            defer { list = control as! L }
            return body(&control)
        }
        switch field {
        case .way: return on(&state.ways)
        case .seniority: return on(&state.seniorities)
        case .concerns: return on(&state.concerns)
        case .when: return on(&state.when)
        case .harm: return on(&state.harm)
        case .outcome: return on(&state.outcome)
        case .professionalGroup: return on(&state.professionalGroup)
        default: return nil
        }
    }

    /// Moves a row's choice one way or the other.
    private static func stepRow(_ field: FormField, by offset: Int, _ state: inout ReporterFormState) {
        switch field {
        case .holdMonths: state.holdMonths.moveAndChoose(by: offset)
        case .characteristic(let question): state.characteristics.step(question, by: offset)
        default: break
        }
    }

    private static func toggle(_ field: FormField, _ state: inout ReporterFormState) {
        switch field {
        case .subjectNotNamed: state.subjectNotNamed.toggle()
        case .hold: state.hold.toggle()
        default: break
        }
    }

    private static func editLine(_ field: FormField, _ key: Key, _ state: inout ReporterFormState) -> EditOutcome {
        switch field {
        case .subjectName:
            if state.subjectNotNamed, case .character = key { state.subjectNotNamed = false }
            let before = state.subjectName.text
            let outcome = state.subjectName.handle(key)
            if state.subjectName.text != before {
                // A changed name is no longer the person picked from the directory.
                state.subjectID = nil
                state.matchHighlight = 0
            }
            return outcome
        case .subjectRole: return state.subjectRole.handle(key)
        case .date: return state.date.handle(key)
        case .time: return state.time.handle(key)
        case .location: return state.location.handle(key)
        case .reporterName: return state.reporterName.handle(key)
        case .contact: return state.contact.handle(key)
        case .excluded: return state.excluded.handle(key)
        default: return .ignored
        }
    }

    private static func editEditor(_ field: FormField, _ key: Key, _ state: inout ReporterFormState) -> EditOutcome {
        switch field {
        case .account: state.account.handle(key)
        case .staffImpact: state.staffImpact.handle(key)
        case .witnesses: state.witnesses.handle(key)
        default: .ignored
        }
    }

    // MARK: What each page needs

    /// The first problem with a page's answers, and the field to fix.
    static func firstProblem(on step: ReporterFormState.Step, _ state: ReporterFormState) -> (ReportProblem, FormField)? {
        let draft = state.draft
        switch step {
        case .wayOfRaising:
            return draft.wayOfRaising == nil ? (.noWayOfRaising, .way) : nil
        case .seniority:
            return draft.subjectSeniority == nil ? (.noSeniority, .seniority) : nil
        case .concerns:
            return draft.concerns.isEmpty ? (.noConcern, .concerns) : nil
        case .whenWhere:
            guard let problem = draft.whenProblems(today: state.today).first else { return nil }
            switch problem {
            case .noWhen: return (problem, .when)
            case .badTime: return (problem, .time)
            default: return (problem, .date)
            }
        case .impact:
            return draft.harm == nil ? (.noHarm, .harm) : nil
        case .account:
            return draft.account.isBlank ? (.emptyAccount, .account) : nil
        case .outcome:
            return draft.desiredOutcome == nil ? (.noOutcome, .outcome) : nil
        case .aboutYou:
            return draft.reporterName.isBlank ? (.noReporterName, .reporterName) : nil
        case .subject, .witnesses, .professionalGroup, .characteristics, .review:
            return nil
        }
    }
}

extension ChoiceList {
    /// Moves the highlight and chooses what it lands on (for a row of options).
    mutating func moveAndChoose(by offset: Int) {
        let index = max(0, min(items.count - 1, (highlighted ?? items.firstIndex(where: chosen.contains) ?? 0) + offset))
        choose(items[index])
    }
}

/// What list fields share, whatever their items.
protocol ListControl {
    var isAtTop: Bool { get }
    var isAtBottom: Bool { get }
    var hasHighlight: Bool { get }
    var hasChoice: Bool { get }
    mutating func move(_ key: Key) -> Bool
    mutating func toggleHighlighted()
}

extension ChoiceList: ListControl {
    var hasHighlight: Bool { highlighted != nil }
    var hasChoice: Bool { !chosen.isEmpty }
}
