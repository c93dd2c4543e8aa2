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
        if key == .tab { return .next }
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
        case .row:
            switch key {
            case .left, .up: state.holdMonths.moveAndChoose(by: -1)
            case .right, .down: state.holdMonths.moveAndChoose(by: 1)
            case .enter: return .next
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
                state.notice = .problem("There is room for \(limit.formatted()) characters here, so the rest was not added. Please shorten it if you can.")
            }
            return .handled
        }
    }

    private static func handleList(_ key: Key, _ field: FormField, _ state: inout ReporterFormState) -> Outcome {
        let atTop = isAtTop(field, state)
        let atBottom = isAtBottom(field, state)
        switch key {
        case .up where atTop: return .previous
        case .down where atBottom && !isOnlyField(field, state): return .next
        case .up, .down, .home, .end, .pageUp, .pageDown:
            move(field, key, &state)
            return .handled
        case .character(" "), .character("x"):
            toggleHighlighted(field, &state)
            return .handled
        case .enter:
            if !allowsMany(field) { toggleHighlighted(field, &state) }
            return .next
        default:
            return .handled
        }
    }

    private static func isOnlyField(_ field: FormField, _ state: ReporterFormState) -> Bool {
        (state.step?.fields(state).count ?? 1) == 1
    }

    // MARK: Per-field plumbing

    private static func allowsMany(_ field: FormField) -> Bool { field == .concerns }

    private static func isAtTop(_ field: FormField, _ state: ReporterFormState) -> Bool {
        switch field {
        case .way: state.ways.isAtTop
        case .seniority: state.seniorities.isAtTop
        case .concerns: state.concerns.isAtTop
        case .when: state.when.isAtTop
        case .harm: state.harm.isAtTop
        case .outcome: state.outcome.isAtTop
        case .professionalGroup: state.professionalGroup.isAtTop
        default: true
        }
    }

    private static func isAtBottom(_ field: FormField, _ state: ReporterFormState) -> Bool {
        switch field {
        case .way: state.ways.isAtBottom
        case .seniority: state.seniorities.isAtBottom
        case .concerns: state.concerns.isAtBottom
        case .when: state.when.isAtBottom
        case .harm: state.harm.isAtBottom
        case .outcome: state.outcome.isAtBottom
        case .professionalGroup: state.professionalGroup.isAtBottom
        default: true
        }
    }

    private static func move(_ field: FormField, _ key: Key, _ state: inout ReporterFormState) {
        switch field {
        case .way: _ = state.ways.move(key)
        case .seniority: _ = state.seniorities.move(key)
        case .concerns: _ = state.concerns.move(key)
        case .when: _ = state.when.move(key)
        case .harm: _ = state.harm.move(key)
        case .outcome: _ = state.outcome.move(key)
        case .professionalGroup: _ = state.professionalGroup.move(key)
        default: break
        }
    }

    private static func toggleHighlighted(_ field: FormField, _ state: inout ReporterFormState) {
        switch field {
        case .way: state.ways.toggleHighlighted()
        case .seniority: state.seniorities.toggleHighlighted()
        case .concerns: state.concerns.toggleHighlighted()
        case .when: state.when.toggleHighlighted()
        case .harm: state.harm.toggleHighlighted()
        case .outcome: state.outcome.toggleHighlighted()
        case .professionalGroup: state.professionalGroup.toggleHighlighted()
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
            return state.subjectName.handle(key)
        case .subjectRole: return state.subjectRole.handle(key)
        case .date: return state.date.handle(key)
        case .time: return state.time.handle(key)
        case .location: return state.location.handle(key)
        case .reporterName: return state.reporterName.handle(key)
        case .contact: return state.contact.handle(key)
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
            return draft.account.allSatisfy(\.isWhitespace) ? (.emptyAccount, .account) : nil
        case .outcome:
            return draft.desiredOutcome == nil ? (.noOutcome, .outcome) : nil
        case .aboutYou:
            return draft.reporterName.allSatisfy(\.isWhitespace) ? (.noReporterName, .reporterName) : nil
        case .subject, .witnesses, .professionalGroup, .review:
            return nil
        }
    }
}

extension ChoiceList {
    /// Moves the highlight and chooses what it lands on (for a row of options).
    mutating func moveAndChoose(by offset: Int) {
        let index = max(0, min(items.count - 1, highlighted + offset))
        choose(items[index])
    }
}
