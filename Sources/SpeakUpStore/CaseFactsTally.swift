import Foundation
import SpeakUpCore

/// Every case's facts for statistics, gathered from what an engine reads (concerns, the events
/// that answer deadlines, levels), then counted the same way whichever engine read them.
public struct CaseFactsTally {
    private var concerns: [String: [ConcernCategory]] = [:]
    private var firstAcknowledged: [String: String] = [:]
    private var closedAt: [String: String] = [:]
    private var again: [String: String] = [:]
    private var answered: [String: String] = [:]
    private var highest: [String: PyramidLevel] = [:]
    private var routedSeniority: [String: Seniority] = [:]
    private var checkIns: [String: [CaseFacts.CheckInFact]] = [:]

    public init() {}

    /// The case event kinds `addEvent` needs, read in case and sequence order.
    public static let eventKinds = ["acknowledged", "handler-message", "closed", "speak-up-again", "detriment-check-in"]
    /// The case event kinds `addLevel` needs.
    public static let levelKinds = ["routed", "escalated", "level-changed"]

    public mutating func addConcern(reference: String, category: String) {
        if let category = ConcernCategory(rawValue: category) { concerns[reference, default: []].append(category) }
    }

    /// One event of the kinds in `eventKinds`, in case and sequence order.
    public mutating func addEvent(reference: String, kind: String, at: String, text: String?) {
        switch kind {
        case "acknowledged", "handler-message", "closed":
            if firstAcknowledged[reference] == nil { firstAcknowledged[reference] = at }
            if kind == "closed", closedAt[reference] == nil { closedAt[reference] = at }
        case "detriment-check-in":
            // Only the month and the answer are read from the text; a text that does not read is not counted.
            if let recorded = DetrimentCheckIn.Recorded(text: text), let day = CalendarDay(typed: String(at.prefix(10))) {
                checkIns[reference, default: []].append(CaseFacts.CheckInFact(day: day, answer: recorded.answer))
            }
        default:
            again[reference] = text
            answered[reference] = at
        }
    }

    /// The highest level each case reached: every routing, escalation and handler's change (a
    /// handler may lower a level later; the board counts how far it went), and the seniority
    /// routing took where it was higher than the report's (its explanation says so). `level`: the
    /// event detail's level; `taken`: the 24 characters after `Seniority.takenPrefix` in a routed
    /// event's detail.
    public mutating func addLevel(reference: String, level: String?, taken: String?) {
        if let level = level.flatMap(PyramidLevel.init(rawValue:)), level > highest[reference] ?? .informal {
            highest[reference] = level
        }
        if let taken, let seniority = Seniority.takenByRouting(in: Substring(taken)), seniority > routedSeniority[reference] ?? .unknown {
            routedSeniority[reference] = seniority
        }
    }

    /// One case's facts from its report and its workspace row (nil when they do not read).
    /// `now` decides whether a deadline not yet met is already late.
    public func facts(reference: String, submitted submittedText: String, wayOfRaising: String, reporterGroup: String?, subjectSeniority: String?,
                      acknowledgeBy: String?, feedBackBy: String?, level: String?, now: Date) -> CaseFacts? {
        guard let submitted = SubmissionTime(text: submittedText),
            let day = CalendarDay(typed: String(submitted.text.prefix(10))),
            let way = WayOfRaising(rawValue: wayOfRaising)
        else { return nil }
        func days(_ text: String?) -> Double? {
            guard let text, let at = SubmissionTime(text: text) else { return nil }
            return max(0, at.moment.timeIntervalSince(submitted.moment) / 86_400)
        }
        func late(_ text: String?, _ due: String?) -> Bool {
            guard let dueDate = due.flatMap(StoredForm.date) else { return false }
            guard let text, let at = SubmissionTime(text: text) else { return dueDate < now }
            return at.moment > dueDate
        }
        var facts = CaseFacts(
            submitted: day, wayOfRaising: way, concerns: concerns[reference] ?? [],
            professionalGroup: reporterGroup.flatMap(ProfessionalGroup.init(rawValue:)),
            acknowledgedAfterDays: days(firstAcknowledged[reference]), closedAfterDays: days(closedAt[reference]),
            acknowledgedLate: late(firstAcknowledged[reference], acknowledgeBy),
            closedLate: late(closedAt[reference], feedBackBy),
            speakUpAgain: again[reference].flatMap(SpeakUpAgain.init(rawValue:)),
            answeredOn: answered[reference].flatMap { CalendarDay(typed: String($0.prefix(10))) },
            subjectSeniority: max(subjectSeniority.flatMap(Seniority.init(rawValue:)) ?? .unknown, routedSeniority[reference] ?? .unknown),
            highestLevel: max(level.flatMap(PyramidLevel.init(rawValue:)) ?? .informal, highest[reference] ?? .informal))
        facts.checkIns = checkIns[reference] ?? []
        return facts
    }
}
