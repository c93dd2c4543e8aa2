import Foundation

/// The text of a subject access disclosure, drafted from `SubjectAccessHoldings` for a handler to
/// review, then written to a file once they approve (docs/governance.md, "Subject access requests").
/// Pure: the same holdings and day give the same text, byte for byte.
///
/// - Concerns about them: what the reporter said and what handlers wrote, through
///   `SourceRedaction` with that case's reporter's traces; who else saw it taken out whole; every
///   date as its month; never the case reference, the way it was raised, the reporter, the place it
///   was raised from, the handlers it went to, the routing's explanation, the handlers the reporter
///   asked to keep it from, whether it was held, or the reporter's answer to the feedback question.
/// - Concerns they raised: theirs, as they wrote them, with their references and days; handlers'
///   notes through `SourceRedaction` (other people named in them are taken out).
/// - Mentions in cases about someone else: only the sentences that may name them, redacted.
/// - Their own actions in SpeakUp: the audit trail's records with their login, as recorded.
/// Every line of free text is made safe for a terminal (`SafeText`), since the file will be read on one.
public enum SubjectAccessDisclosure {
    public static func text(_ holdings: SubjectAccessHoldings, directory: [StaffMember], drafted: CalendarDay) -> String {
        let person = holdings.person
        var lines: [String] = []
        func add(_ line: String = "") { lines.append(line) }
        func block(_ label: String, _ text: String) {
            add("    \(label):")
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) { add("      " + SafeText.displayable(String(line))) }
        }

        add("What SpeakUp holds about \(safe(person.name)) (staff id \(safe(person.id)))")
        add("Drafted on \(ScreenDate.day(drafted)) in answer to a subject access request.")
        add()
        // Lines short enough to read whole on an 80-column screen, and in any editor.
        add("How to read this: words that could identify anyone who raised a concern,")
        add("and other people named, have been taken out and replaced by a note in")
        add("square brackets, such as \(SourceRedaction.Reason.reporter.replacement).")
        add("In concerns raised about you, every date is given to the month only.")
        add("\"Possible match\" marks a case SpeakUp could not be sure is about you;")
        add("the handler who checked this disclosure kept it in.")
        add()

        add("1. Your entry in the staff directory")
        add("    Staff id: \(safe(person.id))")
        add("    Name: \(safe(person.name))")
        if !person.knownAs.isEmpty { add("    Also known as: \(safe(person.knownAs.joined(separator: ", ")))") }
        add("    Login: \(safe(person.unixUser ?? "none"))")
        add("    Role: \(safe(person.role))")
        add("    Seniority: \(person.seniority.title)")
        add("    Ward or department: \(safe(person.ward))")
        add("    Manager's staff id: \(safe(person.managerID ?? "none"))")
        add()

        add("2. Concerns raised about you: \(holdings.aboutThem.count)")
        for (number, held) in holdings.aboutThem.enumerated() {
            let report = held.report
            let reporterEntry = report.reporter.flatMap { reporter in directory.first { $0.unixUser == reporter.userName } }
            let traces = SourceRedaction.Traces(reporter: report.reporter, details: report.reporterDetails, station: report.station, entry: reporterEntry)
            let redaction = SourceRedaction(traces: traces, requester: person, directory: directory, location: report.location)
            add()
            add("  Concern \(number + 1)" + (held.match.isPossible ? " (possible match: \(safe(held.match.because)))" : ""))
            add("    Raised: \(DateCoarsening.month(of: report.submitted))")
            if let occurred = report.occurred { add("    Happened: \(DateCoarsening.month(of: occurred.day))") }
            if !report.location.isBlank { add("    Where: \(SourceRedaction.Reason.place.replacement)") }
            let about = report.subject.asWritten
            add("    About, as the person who raised it wrote it: \(about.isEmpty ? "not named" : safe(redaction.redact(about)))")
            add("    Seniority given: \(report.subject.seniority.title)")
            add("    Kinds of concern: \(report.concerns.map(\.title).joined(separator: "; "))")
            add("    Harm to patients: \(report.harm.title)")
            block("What happened", redaction.redact(report.account))
            if !report.staffImpact.isBlank { block("Impact on staff", redaction.redact(report.staffImpact)) }
            if !report.witnesses.isBlank { add("    Who else saw it: [redacted: who else saw it, which could identify the person who raised the concern]") }
            timeline(held.events, redaction: redaction, exact: false, add: add, block: block)
        }
        add()

        add("3. Concerns you raised: \(holdings.raisedByThem.count)")
        if !holdings.raisedByThem.isEmpty {
            add("  These are yours, shown as you wrote them. Handlers' notes have other people's names taken out.")
        }
        for held in holdings.raisedByThem {
            let report = held.report
            let redaction = SourceRedaction(traces: .init(), requester: person, directory: directory)
            add()
            add("  Case \(report.reference.text)")
            add("    Raised: \(exactDay(report.submitted))")
            if let occurred = report.occurred { add("    Happened: \(ScreenDate.day(occurred.day))\(occurred.time.map { " at \($0)" } ?? "")") }
            if !report.location.isBlank { add("    Where: \(safe(report.location))") }
            let about = report.subject.asWritten
            add("    About: \(about.isEmpty ? "not named" : safe(about))")
            add("    Kinds of concern: \(report.concerns.map(\.title).joined(separator: "; "))")
            block("What happened", report.account)
            if !report.staffImpact.isBlank { block("Impact on staff", report.staffImpact) }
            if !report.witnesses.isBlank { block("Who else saw it", report.witnesses) }
            timeline(held.events, redaction: redaction, exact: true, add: add, block: block)
        }
        add()

        add("4. Other cases where you may be named: \(holdings.mentions.count)")
        for (number, held) in holdings.mentions.enumerated() {
            let report = held.report
            let reporterEntry = report.reporter.flatMap { reporter in directory.first { $0.unixUser == reporter.userName } }
            let traces = SourceRedaction.Traces(reporter: report.reporter, details: report.reporterDetails, station: report.station, entry: reporterEntry)
            let redaction = SourceRedaction(traces: traces, requester: person, directory: directory, location: report.location)
            add()
            add("  Case \(number + 1) (possible match: \(safe(held.match.because)))")
            add("    Raised: \(DateCoarsening.month(of: report.submitted))")
            let texts = [report.account, report.staffImpact, report.witnesses] + held.events.filter { $0.kind.carriesWords }.compactMap(\.text)
            let passages = texts.flatMap(sentences).filter { SubjectAccessGathering.mentionedWord(of: person, in: $0) != nil }
            block("The passages that may name you", passages.map { redaction.redact($0) }.joined(separator: "\n"))
        }
        add()

        add("5. What you did in SpeakUp: \(holdings.ownActions.count)")
        for record in holdings.ownActions {
            let entry = record.entry
            let on = entry.reference.map { " on case \(safe($0))" } ?? ""
            add("    \(exactDay(entry.at)): \(safe(entry.action))\(on)")
        }
        add()
        add("End of the disclosure.")
        return lines.map { $0.hasSuffix(" ") ? String($0.reversed().drop { $0 == " " }.reversed()) : $0 }.joined(separator: "\n") + "\n"
    }

    /// A case's timeline: what handlers and the reporter wrote, redacted; what the rules did, in plain words.
    static func timeline(_ events: [CaseEvent], redaction: SourceRedaction, exact: Bool, add: (String) -> Void, block: (String, String) -> Void) {
        // The reporter's own feedback and check-in answers, and a link naming another case, are not about the
        // subject; a legal hold's reason is the trust's legal advice (exempt: DPA 2018 Schedule 2 paragraph 19).
        let hidden: Set<CaseEvent.Kind> = [.received, .speakUpAgain, .detrimentCheckIn, .detrimentLinked, .legalHold, .legalHoldLifted]
        let shown = events.filter { !hidden.contains($0.kind) }
        guard !shown.isEmpty else { return }
        add("    What happened since:")
        for event in shown {
            let when = exact ? exactDay(event.at) : DateCoarsening.month(of: event.at)
            let words = event.text.map { exact && event.kind != .note ? $0 : redaction.redact($0) }
            switch event.kind {
            case .handlerMessage: block("\(when), a handler wrote to the person who raised it", words ?? "")
            case .reporterMessage: block("\(when), the person who raised it wrote", words ?? "")
            case .note: block("\(when), a handler's note", words ?? "")
            case .closed:
                if let words, !words.isBlank { block("\(when), closed", words) } else { add("      \(when): closed") }
            case .acknowledged: add("      \(when): a handler acknowledged it")
            case .routed: add("      \(when): passed to a handler")
            case .escalated: add("      \(when): escalated, as the rules say when a deadline passes")
            case .levelChanged: add("      \(when): its level was changed" + (event.text.flatMap(PyramidLevel.init(rawValue:)).map { " to \($0.rawValue)" } ?? ""))
            case .reassigned, .recused: add("      \(when): passed to another handler")
            case .received, .speakUpAgain, .detrimentCheckIn, .detrimentLinked, .legalHold, .legalHoldLifted: break
            }
        }
    }

    /// Sentences of a text (ended by . ! ? or a line).
    static func sentences(_ text: String) -> [String] {
        var found: [String] = []
        var current = ""
        for character in text {
            if character == "\n" {
                found.append(current)
                current = ""
                continue
            }
            current.append(character)
            if ".!?".contains(character) {
                found.append(current)
                current = ""
            }
        }
        found.append(current)
        return found.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func exactDay(_ time: SubmissionTime) -> String {
        switch time {
        case .instant(let moment): ScreenDate.day(CalendarDay(moment, in: .gmt))
        case .day(let text): CalendarDay(typed: text).map(ScreenDate.day) ?? safe(text)
        }
    }

    static func safe(_ text: String) -> String { SafeText.displayable(text.replacingOccurrences(of: "\n", with: " ")) }
}

extension CaseEvent.Kind {
    /// Whether the event's text is words someone wrote (a message, a note, a closing), not a rules' explanation.
    var carriesWords: Bool { [.handlerMessage, .reporterMessage, .note, .closed].contains(self) }
}
