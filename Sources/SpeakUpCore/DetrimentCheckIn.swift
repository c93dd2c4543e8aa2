import Foundation

/// Asking a reporter, 1, 3 and 6 months after their case closed, whether they have been treated
/// worse since speaking up. Each check-in is offered from its month until the next one's (the last
/// until 12 months after closing), when the reporter next opens follow-up, and is answered once.
/// "Not now" records nothing, so it is offered again on the next visit in the same window.
/// An answer of yes opens a linked case with the detriment category (`linkedReport`).
public enum DetrimentCheckIn {
    /// The months after closing at which a check-in is offered.
    public static let months = [1, 3, 6]
    /// The last check-in is offered until this many months after closing.
    public static let lastWindowEnds = 12

    /// What the reporter may answer.
    public enum Answer: String, CaseIterable, Codable, Sendable {
        case yes, no, ratherNotSay = "rather-not-say"

        public var title: String {
            switch self {
            case .yes: "Yes"
            case .no: "No"
            case .ratherNotSay: "I would rather not say"
            }
        }
    }

    /// An answer as a `detriment-check-in` event's text keeps it: `3 yes SU-7KQ4-M2XD` (the month of
    /// the check-in, the answer, and for yes the linked case's reference).
    public struct Recorded: Hashable, Sendable {
        public var months: Int
        public var answer: Answer
        public var linked: CaseReference?

        public init(months: Int, answer: Answer, linked: CaseReference? = nil) {
            self.months = months
            self.answer = answer
            self.linked = linked
        }

        /// Reads an event's text back; nil when it is not one.
        public init?(text: String?) {
            let parts = (text ?? "").split(separator: " ")
            guard parts.count == 2 || parts.count == 3, let months = Int(parts[0]), DetrimentCheckIn.months.contains(months),
                let answer = Answer(rawValue: String(parts[1]))
            else { return nil }
            let linked = parts.count == 3 ? CaseReference(String(parts[2])) : nil
            guard (parts.count == 3) == (linked != nil), (answer == .yes) == (linked != nil) else { return nil }
            self.init(months: months, answer: answer, linked: linked)
        }

        public var text: String {
            "\(months) \(answer.rawValue)" + (linked.map { " \($0.text)" } ?? "")
        }
    }

    /// A `detriment-linked` event's text, on the case a yes opened: `3 SU-7KQ4-M2XD` (the month of
    /// the check-in, and the case it was asked about).
    public struct Link: Hashable, Sendable {
        public var months: Int
        public var original: CaseReference

        public init(months: Int, original: CaseReference) {
            self.months = months
            self.original = original
        }

        public init?(text: String?) {
            let parts = (text ?? "").split(separator: " ")
            guard parts.count == 2, let months = Int(parts[0]), DetrimentCheckIn.months.contains(months),
                let original = CaseReference(String(parts[1]))
            else { return nil }
            self.init(months: months, original: original)
        }

        public var text: String { "\(months) \(original.text)" }
    }

    /// The day a case closed (its first `closed` event), or nil while it is open.
    public static func closedOn(_ events: [CaseEvent]) -> CalendarDay? {
        guard let closed = events.first(where: { $0.kind == .closed }) else { return nil }
        return day(of: closed.at)
    }

    /// The local day of an event (an anonymous case keeps only the day).
    static func day(of time: SubmissionTime) -> CalendarDay {
        switch time {
        case .day(let text): CalendarDay(typed: text) ?? CalendarDay.local(time.moment)
        case .instant(let date): CalendarDay.local(date)
        }
    }

    /// The check-in due on `today`: 1, 3 or 6 (months after closing), or nil when none is (the case
    /// is open, it is less than a month since it closed, more than 12, or this window's was answered).
    public static func due(events: [CaseEvent], today: CalendarDay) -> Int? {
        guard let closed = closedOn(events) else { return nil }
        let answered = Set(events.filter { $0.kind == .detrimentCheckIn }.compactMap { Recorded(text: $0.text)?.months })
        for (index, month) in months.enumerated() {
            let end = index + 1 < months.count ? months[index + 1] : lastWindowEnds
            if today >= closed.adding(months: month), today < closed.adding(months: end) {
                return answered.contains(month) ? nil : month
            }
        }
        return nil
    }

    /// The most a reporter may write about what happened since (one paragraph).
    public static let accountLimit = 2_000

    /// The words kept as the linked case's account when the reporter wrote none.
    public static func accountWhenEmpty(original: CaseReference, months: Int) -> String {
        "The reporter of case \(original.text) said, when asked \(months.counted("month")) after it closed, that they have been treated worse since speaking up. They did not say more."
    }

    /// The case an answer of yes opens: the detriment category, raised the same way as the first
    /// (an anonymous one stays anonymous: the report's own rules drop any name and keep only the
    /// day), about the same person, kept from the same handlers the reporter asked to leave out.
    public static func linkedReport(from original: Report, months: Int, account: String, reference: CaseReference, at moment: Date) -> Report {
        let words = account.trimmingCharacters(in: .whitespacesAndNewlines)
        return Report(
            reference: reference,
            wayOfRaising: original.wayOfRaising,
            concerns: [.detriment],
            subject: original.subject,
            location: "",
            account: words.isEmpty ? accountWhenEmpty(original: original.reference, months: months) : words,
            excludedHandlers: original.excludedHandlers,
            reporter: original.reporter,
            reporterDetails: original.reporterDetails,
            submitted: .recorded(for: original.wayOfRaising, at: moment),
            station: original.station)
    }
}

/// What answering a check-in stored: the answer's event on the case asked about, and for yes the
/// linked case and where it went.
public struct CheckInAnswered: Hashable, Sendable {
    public var event: CaseEvent
    public var linked: Report?
    public var routing: CaseRouting?

    public init(event: CaseEvent, linked: Report? = nil, routing: CaseRouting? = nil) {
        self.event = event
        self.linked = linked
        self.routing = routing
    }
}

/// The check a store makes inside its transaction before it records a check-in's answer.
public enum CheckInRules {
    static let stillOpen = "This case is still open, so there is no check-in to answer yet. Nothing was saved."
    static let tooEarly = "The first check-in on this case is a month after it closed. Nothing was saved."
    static let ended = "The check-ins on this case have ended. Nothing was saved."
    static let answered = "This check-in was answered already, so your answer is kept as it was. Thank you."

    /// Whether a store refused an answer because no check-in was due (trying again cannot help).
    public static func isRefusal(_ error: StoreError) -> Bool {
        error.kind == .failed && [stillOpen, tooEarly, ended, answered].contains(error.sentence)
    }

    /// The check-in due on the local day of `moment`, or the sentence saying why there is none.
    public static func due(_ events: [CaseEvent], on moment: Date) throws(StoreError) -> Int {
        let today = CalendarDay.local(moment)
        if let months = DetrimentCheckIn.due(events: events, today: today) { return months }
        guard let closed = DetrimentCheckIn.closedOn(events) else {
            throw StoreError(.failed, stillOpen)
        }
        if today < closed.adding(months: DetrimentCheckIn.months[0]) {
            throw StoreError(.failed, tooEarly)
        }
        if today >= closed.adding(months: DetrimentCheckIn.lastWindowEnds) {
            throw StoreError(.failed, ended)
        }
        throw StoreError(.failed, answered)
    }
}
