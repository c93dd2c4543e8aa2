import SpeakUpCore

/// The check page, the confirmation, and the offer to resume a draft.
enum ReporterFormReview {
    /// One numbered part of the check page.
    struct Section {
        let key: Character
        let step: ReporterFormState.Step
        let label: String
        let value: String
    }

    static func sections(_ state: ReporterFormState) -> [Section] {
        let draft = state.draft
        let notGiven = "not given"
        var sections: [Section] = []
        func add(_ step: ReporterFormState.Step, _ label: String, _ value: String) {
            let keys: [Character] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]
            sections.append(Section(key: keys[sections.count], step: step, label: label, value: value))
        }
        add(.wayOfRaising, "Raised", draft.wayOfRaising.map { "\($0.title). \($0.explanation)" } ?? "not chosen yet")
        var who = draft.subjectNotNamed || draft.subjectName.allSatisfy(\.isWhitespace) ? "Not named" : draft.subjectName
        if !draft.subjectRole.isEmpty { who += ", " + draft.subjectRole }
        if draft.subjectID != nil && !draft.subjectNotNamed { who += " (from the staff directory)" }
        add(.subject, "About", who)
        add(.seniority, "Seniority", draft.subjectSeniority.map { "\($0.title) (\($0.examples))" } ?? "not chosen yet")
        add(.concerns, "Concern", draft.concerns.isEmpty ? "not chosen yet" : draft.concerns.sorted().map(\.meaning).joined(separator: "; "))
        var when = draft.occurredDay(today: state.today).map { $0.written } ?? (draft.when == nil ? "not chosen yet" : draft.dateText)
        if let time = Occurrence.time(typed: draft.timeText) { when += " at \(time)" }
        add(.whenWhere, "When and where", when + (draft.location.isEmpty ? "" : ", " + draft.location))
        var impact = draft.harm?.title ?? "not chosen yet"
        if !draft.staffImpact.isEmpty { impact += ". Staff: " + draft.staffImpact }
        add(.impact, "Harm", impact)
        add(.account, "What happened", draft.account.isEmpty ? "not written yet" : draft.account)
        add(.witnesses, "Who else saw it", draft.witnesses.isEmpty ? notGiven : draft.witnesses)
        var outcome = draft.desiredOutcome?.title ?? "not chosen yet"
        if draft.holdForMatch { outcome += ". Held until someone else reports them, for up to \(draft.holdMonths) months" }
        let excluded = ReportDraft.names(in: draft.excludeText)
        if !excluded.isEmpty { outcome += ". Not to be seen by: " + excluded.joined(separator: ", ") }
        add(.outcome, "You would like", outcome)
        if draft.wayOfRaising?.keepsIdentity ?? false {
            var you = draft.reporterName
            if !draft.contact.isEmpty { you += ", " + draft.contact }
            if let group = draft.professionalGroup { you += " (\(group.title))" }
            if !state.characteristics.isEmpty { you += ". For the figures only: " + state.characteristics.summary }
            add(.aboutYou, "You", you)
        }
        return sections
    }

    /// Room for "1  When and where" before the answers start.
    static let labelWidth = 20

    /// The check page as lines: a numbered label where a section starts, and its answer wrapped.
    static func lines(_ state: ReporterFormState, width: Int) -> [(label: String?, text: String)] {
        var lines: [(label: String?, text: String)] = []
        for section in sections(state) {
            for (index, text) in Wrap.lines(section.value, width: width - labelWidth).enumerated() {
                lines.append((index == 0 ? "\(section.key)  \(section.label)" : nil, text))
            }
        }
        return lines
    }

    /// The furthest the check page can scroll.
    static func maxTop(_ state: ReporterFormState) -> Int {
        let layout = ReporterFormLayout(size: state.size)
        return max(0, lines(state, width: layout.width).count - room(layout))
    }

    private static func room(_ layout: ReporterFormLayout) -> Int {
        let introLines = Wrap.lines(ReporterFormState.Step.review.intro, width: layout.width).count
        return max(1, layout.noticeRow - 1 - (layout.headingRow + 1 + introLines + 1))
    }

    static func render(_ state: ReporterFormState, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        let top = ReporterFormView.heading(ReporterFormState.Step.review.title, ReporterFormState.Step.review.intro, layout, into: &canvas)
        let all = lines(state, width: layout.width)
        let room = room(layout)
        let first = min(state.reviewTop, max(0, all.count - room))
        for (offset, line) in all.dropFirst(first).prefix(room).enumerated() {
            if let label = line.label { canvas.put(label, row: top + offset, column: layout.left, style: .bold) }
            canvas.put(line.text, row: top + offset, column: layout.left + labelWidth)
        }
        if all.count > room {
            let more = first + room < all.count ? "↓ more below (↑↓, PgUp and PgDn scroll)" : "↑ more above (↑ and PgUp scroll)"
            canvas.put(more, row: layout.noticeRow - 1, column: layout.left, style: .quiet)
        }
        if state.phase == .saving {
            if let waited = state.waitingForStore {
                let seconds = Int(waited)
                let text = "Another terminal is saving, so yours waits its turn" + (seconds >= 1 ? " (\(seconds) s so far)." : ".")
                canvas.put(text, row: layout.noticeRow, column: layout.left, style: .bold)
            } else {
                canvas.put("Saving your report…", row: layout.noticeRow, column: layout.left, style: .bold)
            }
        }
    }

    static func renderSaved(_ report: Report, receipt: ReceiptCode?, routing: CaseRouting?, routingUnknown: Bool = false,
                            _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        var row = ReporterFormView.heading(
            "Thank you. Your report is saved.",
            "Speaking up takes courage, and it helps everyone here work and care better.",
            layout, into: &canvas)
        canvas.put("Your case reference is  ", row: row, column: layout.left)
        canvas.put(report.reference.text, row: row, column: layout.left + 24, style: .good)
        row += 2
        var paragraphs: [String] = []
        if let receipt, report.reporter != nil {
            // A named reporter's reply code: their login leads back to the report, the code opens the replies.
            canvas.put("Your reply code is      ", row: row, column: layout.left)
            canvas.put(receipt.description, row: row, column: layout.left + 24, style: Style([.bold, .reverse]))
            row += 2
            paragraphs.append("Replies to you about this report are sealed so that only you can read them. Please write this code down now: it will not be shown again, and `speakup follow-up` asks for it to open them.")
        } else if let receipt {
            canvas.put("Your receipt code is    ", row: row, column: layout.left)
            canvas.put(receipt.description, row: row, column: layout.left + 24, style: Style([.bold, .reverse]))
            row += 2
            if report.station.isShared {
                paragraphs.append("Please write the receipt code down now. It will not be shown again, and it is the only way back to your report: press F on this terminal's first screen (or run `speakup follow-up` at your own login) to read replies and answer questions.")
            } else {
                paragraphs.append("Please write the receipt code down now. It will not be shown again, and it is the only way back to your report: with `speakup follow-up` you can read replies and answer questions, and nobody can tell it is you.")
            }
        } else {
            paragraphs.append("Please note the reference if you would like to talk about this case later; `speakup follow-up` shows how it is going.")
        }
        switch report.wayOfRaising {
        case .anonymous:
            paragraphs.append("You chose to stay anonymous: no name, login or exact time is kept with it.")
        case .confidential:
            paragraphs.append("You chose confidential: only the person handling it will see your name.")
        case .open:
            paragraphs.append("You chose to raise it openly: your name is kept with the report.")
        }
        if report.station.isShared {
            paragraphs.append("When you press Enter, this screen is cleared for the next person.")
        }
        if let words = RoutingForReporter.sentence(routing, report: report) {
            paragraphs.append(words)
        } else if routingUnknown {
            paragraphs.append("Who will see it could not be read back just now; `speakup follow-up` shows it"
                + (report.station.isShared ? " (press F on this terminal's first screen)." : "."))
        } else if let hold = report.hold {
            paragraphs.append("It is held until someone else reports the same person, or until \(hold.until.written).")
        }
        if report.hold != nil, let routing, !routing.held {
            paragraphs.append("You asked to hold it until someone else reports the same person: someone already has, so it goes ahead now.")
        }
        for paragraph in paragraphs {
            for line in Wrap.lines(paragraph, width: layout.width) {
                canvas.put(line, row: row, column: layout.left)
                row += 1
            }
            row += 1
        }
    }

    static func renderResume(_ draft: ReportDraft, _ layout: ReporterFormLayout, into canvas: inout Canvas) {
        var row = ReporterFormView.heading(
            "Welcome back",
            "You started a report earlier and did not send it. It was kept for your login only, and nothing has been sent.",
            layout, into: &canvas)
        var summary = draft.wayOfRaising.map { "Raised \($0.title.lowercased())" } ?? "Not yet chosen how to raise it"
        if !draft.concerns.isEmpty { summary += ", about: " + draft.concerns.sorted().map(\.meaning).joined(separator: "; ") }
        for line in Wrap.lines(summary, width: layout.width - 2) {
            canvas.put(line, row: row, column: layout.left + 2, style: .quiet)
            row += 1
        }
        row += 1
        canvas.put("R  carry on with it", row: row, column: layout.left, style: .bold)
        canvas.put("N  start a new report (the earlier one is deleted)", row: row + 1, column: layout.left, style: .bold)
        canvas.put("Esc  leave for now (it stays kept)", row: row + 2, column: layout.left, style: .bold)
    }
}
