import SpeakUpCore

/// Draws each kind of field: a label, then the control. Returns the next free row.
enum ReporterFormFieldViews {
    static func render(_ field: FormField, _ state: ReporterFormState, focused: Bool, row: Int,
                       _ layout: ReporterFormLayout, into canvas: inout Canvas) -> Int {
        var row = row
        if let label = label(field, state) {
            let marker = focused ? "› " : "  "
            canvas.put(marker + label, row: row, column: layout.left, style: focused ? .bold : .plain)
            if state.problemField == field {
                canvas.put("  ← please answer this", row: row, column: layout.left + CellWidth.of(marker + label), style: .attention)
            }
            row += 1
        }
        let left = layout.left + 2
        let width = layout.width - 2
        switch field {
        case .way:
            for (index, way) in state.ways.items.enumerated() {
                let mark = state.ways.chosen.contains(way) ? "(•)" : "( )"
                row = choiceRow(mark, way.title, highlighted: focused && index == state.ways.highlighted, row: row, left: left, width: width, into: &canvas)
                for line in Wrap.lines(way.explanation, width: width - 6) {
                    canvas.put(line, row: row, column: left + 6)
                    row += 1
                }
                row += 1
            }
            return row
        case .seniority:
            return list(state.seniorities, focused, row, left, width, into: &canvas) { "\($0.title): \($0.examples)" }
        case .concerns:
            return list(state.concerns, focused, row, left, width, into: &canvas) { $0.meaning } + 1
        case .when:
            return list(state.when, focused, row, left, width, into: &canvas) { $0.title } + 1
        case .harm:
            return list(state.harm, focused, row, left, width, into: &canvas) { $0.title } + 1
        case .outcome:
            return list(state.outcome, focused, row, left, width, into: &canvas) { $0.title } + 1
        case .professionalGroup:
            return list(state.professionalGroup, focused, row, left, width, into: &canvas) { $0.title }
        case .subjectMatch:
            let matches = state.directoryMatches
            for (index, member) in matches.enumerated() {
                let text = [member.name, member.role, member.ward].filter { !$0.isEmpty }.joined(separator: ", ")
                row = choiceRow("", text, highlighted: focused && index == state.matchHighlight, row: row, left: left, width: width, into: &canvas)
            }
            row = choiceRow("", "None of these: keep the name as I typed it", highlighted: focused && state.matchHighlight == matches.count,
                            row: row, left: left, width: width, into: &canvas)
            return row + 1
        case .subjectNotNamed:
            let mark = state.subjectNotNamed ? "[x]" : "[ ]"
            return choiceRow(mark, "I would rather not name them", highlighted: focused, row: row, left: left, width: width, into: &canvas) + 1
        case .hold:
            let mark = state.hold ? "[x]" : "[ ]"
            row = choiceRow(mark, "Hold my report until someone else reports the same person", highlighted: focused, row: row, left: left, width: width, into: &canvas)
            let explanation = "Nobody acts on it until a second report about them arrives, or the time you choose runs out; then it is handled as usual."
            for line in Wrap.lines(explanation, width: width - 6) {
                canvas.put(line, row: row, column: left + 6, style: .quiet)
                row += 1
            }
            return row + 1
        case .holdMonths:
            var column = left
            for months in state.holdMonths.items {
                let mark = state.holdMonths.chosen.contains(months) ? "(•)" : "( )"
                let text = "\(mark) \(months) months"
                let chosen = state.holdMonths.chosen.contains(months)
                column += canvas.put(text, row: row, column: column, style: focused && chosen ? .selected : .plain) + 3
            }
            return row + 2
        case .characteristic(let question):
            let answer = state.characteristics.answer(to: question)
            let chosen = answer != Characteristic.preferNotToSay
            let title = question.title + String(repeating: " ", count: max(1, 20 - CellWidth.of(question.title)))
            let pointer = focused ? "›" : " "
            var column = left
            column += canvas.put("\(pointer) \(title)", row: row, column: column, style: focused ? .bold : .plain, limit: width)
            let value = focused ? "< \(answer.title) >" : "  \(answer.title)"
            canvas.put(value, row: row, column: column, style: focused ? .selected : (chosen ? .plain : .quiet), limit: max(0, width - (column - left)))
            return question == Characteristic.allCases.last ? row + 2 : row + 1
        case .subjectName: return line(state.subjectName, focused, row, left, width, into: &canvas)
        case .subjectRole: return line(state.subjectRole, focused, row, left, width, into: &canvas)
        case .date: return line(state.date, focused, row, left, min(width, 24), into: &canvas)
        case .time: return line(state.time, focused, row, left, min(width, 12), into: &canvas)
        case .location: return line(state.location, focused, row, left, width, into: &canvas)
        case .reporterName: return line(state.reporterName, focused, row, left, width, into: &canvas)
        case .contact: return line(state.contact, focused, row, left, width, into: &canvas)
        case .excluded: return line(state.excluded, focused, row, left, width, into: &canvas)
        case .staffImpact: return editor(state.staffImpact, .staffImpact, focused, row, layout, into: &canvas)
        case .witnesses: return editor(state.witnesses, .witnesses, focused, row, layout, into: &canvas)
        case .account: return editor(state.account, .account, focused, row, layout, into: &canvas)
        }
    }

    /// The words above a field, or nil when the page's question is label enough.
    static func label(_ field: FormField, _ state: ReporterFormState) -> String? {
        switch field {
        case .way, .seniority, .concerns, .account, .witnesses, .professionalGroup, .subjectNotNamed, .hold, .characteristic: nil
        case .subjectName: state.subjectID != nil ? "Their name (from the staff directory)" : "Their name (optional)"
        case .subjectMatch: "In the staff directory (↓ and Enter to choose one, or keep typing)"
        case .subjectRole: "Their role, if you know it, e.g. \"charge nurse\" or \"consultant anaesthetist\""
        case .when: "When"
        case .date: "Which day? (like 20/11/2026)"
        case .time: "About what time? (optional, like 14:30)"
        case .location: "Where: a ward, department or place (optional)"
        case .harm: "Harm to a patient"
        case .staffImpact: "How has it affected you or other staff? (optional)"
        case .outcome: "I would like"
        case .holdMonths: "Release it on its own after"
        case .reporterName: "Your name"
        case .contact: "How would you like us to contact you? (optional)"
        case .excluded: "Anyone who should not see it? (optional: names, separated by commas)"
        }
    }

    private static func list<Item>(_ list: ChoiceList<Item>, _ focused: Bool, _ row: Int, _ left: Int, _ width: Int,
                                   into canvas: inout Canvas, title: (Item) -> String) -> Int {
        var row = row
        for (index, item) in list.items.enumerated() {
            let mark = list.allowsMany ? (list.chosen.contains(item) ? "[x]" : "[ ]") : (list.chosen.contains(item) ? "(•)" : "( )")
            row = choiceRow(mark, title(item), highlighted: focused && index == list.highlighted, row: row, left: left, width: width, into: &canvas)
        }
        return row
    }

    static func choiceRow(_ mark: String, _ label: String, highlighted: Bool, row: Int, left: Int, width: Int, into canvas: inout Canvas) -> Int {
        let pointer = highlighted ? "›" : " "
        let text = mark.isEmpty ? "\(pointer) \(label) " : "\(pointer) \(mark) \(label) "
        canvas.put(text, row: row, column: left, style: highlighted ? .selected : .plain, limit: width)
        return row + 1
    }

    private static func line(_ field: TextField, _ focused: Bool, _ row: Int, _ left: Int, _ width: Int, into canvas: inout Canvas) -> Int {
        canvas.put("[", row: row, column: left, style: .quiet)
        canvas.put("]", row: row, column: left + width - 1, style: .quiet)
        let cursor = canvas.cursor
        field.render(into: &canvas, row: row, column: left + 2, width: width - 4)
        if !focused { canvas.cursor = cursor }
        return row + 2
    }

    private static func editor(_ editor: TextEditor, _ field: FormField, _ focused: Bool, _ row: Int,
                               _ layout: ReporterFormLayout, into canvas: inout Canvas) -> Int {
        let viewport = layout.editorViewport(for: field)
        canvas.box(top: row, left: layout.left, bottom: row + viewport.rows + 1, right: layout.left + layout.width - 1,
                   style: focused ? .plain : .quiet)
        let cursor = canvas.cursor
        editor.render(into: &canvas, row: row + 1, column: layout.left + 2)
        if !focused { canvas.cursor = cursor }
        let counterRow = row + viewport.rows + 2
        let count = editor.buffer.count
        let limit = editor.buffer.limit
        let nearLimit = count * 10 >= limit * 9
        let text = "\(count.grouped) of \(limit.grouped) characters" + (nearLimit ? (count >= limit ? " (full)" : " (nearly full)") : "")
        if field == .account || nearLimit {
            canvas.put(text, row: counterRow, column: layout.left + layout.width - CellWidth.of(text), style: nearLimit ? .attention : .quiet)
        }
        if editor.lineCount > viewport.rows {
            canvas.put("PgUp/PgDn scroll", row: counterRow, column: layout.left, style: .quiet)
        }
        return counterRow + 1
    }
}
