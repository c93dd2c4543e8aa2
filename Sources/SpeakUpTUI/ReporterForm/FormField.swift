import SpeakUpCore

/// One answer on the reporter form. Pages are lists of these.
public enum FormField: Hashable, Sendable {
    case way
    case subjectName, subjectMatch, subjectNotNamed, subjectRole
    case seniority
    case concerns
    case when, date, time, location
    case harm, staffImpact
    case account
    case witnesses
    case outcome, hold, holdMonths, excluded
    case reporterName, contact
    case professionalGroup
    /// One question of "about you, for the figures": ← and → change its answer.
    case characteristic(Characteristic)

    /// What kind of control the field is, which decides how keys move through it.
    enum Control {
        case list, checkbox, line, editor, row, match
    }

    var control: Control {
        switch self {
        case .way, .seniority, .concerns, .when, .harm, .outcome, .professionalGroup: .list
        case .subjectNotNamed, .hold: .checkbox
        case .subjectName, .subjectRole, .date, .time, .location, .reporterName, .contact, .excluded: .line
        case .staffImpact, .account, .witnesses: .editor
        case .holdMonths, .characteristic: .row
        case .subjectMatch: .match
        }
    }

    /// Whether `?` is typed into this field rather than opening help.
    var takesText: Bool { control == .line || control == .editor }
}

extension ReporterFormState.Step {
    /// The fields this page shows, in order, given the answers so far.
    func fields(_ state: ReporterFormState) -> [FormField] {
        switch self {
        case .wayOfRaising: [.way]
        case .subject: state.directoryMatches.isEmpty
            ? [.subjectName, .subjectNotNamed, .subjectRole]
            : [.subjectName, .subjectMatch, .subjectNotNamed, .subjectRole]
        case .seniority: [.seniority]
        case .concerns: [.concerns]
        case .whenWhere: state.when.chosen.first == .anotherDay ? [.when, .date, .time, .location] : [.when, .time, .location]
        case .impact: [.harm, .staffImpact]
        case .account: [.account]
        case .witnesses: [.witnesses]
        case .outcome: state.hold ? [.outcome, .hold, .holdMonths, .excluded] : [.outcome, .hold, .excluded]
        case .aboutYou: [.reporterName, .contact]
        case .professionalGroup: [.professionalGroup]
        case .characteristics: Characteristic.allCases.map(FormField.characteristic)
        case .review: []
        }
    }

    /// The page's question.
    var title: String {
        switch self {
        case .wayOfRaising: "How would you like to raise this concern?"
        case .subject: "Who is the concern about?"
        case .seniority: "How senior is the person involved?"
        case .concerns: "What was it about?"
        case .whenWhere: "When and where did it happen?"
        case .impact: "Was anyone harmed?"
        case .account: "What happened?"
        case .witnesses: "Did anyone else see or hear it?"
        case .outcome: "What would you like to happen?"
        case .aboutYou: "About you"
        case .professionalGroup: "Your professional group"
        case .characteristics: "About you, for the figures (optional)"
        case .review: "Please check your report"
        }
    }

    /// A sentence or two under the question, as it reads at this station.
    func intro(at station: Station) -> String {
        switch (self, station) {
        case (.wayOfRaising, .kiosk):
            return "Thank you for speaking up. Reports made at this kiosk are anonymous: nobody, not even SpeakUp, will know who made them. You will get a receipt code to come back for replies."
        case (.wayOfRaising, .ward):
            return "Thank you for speaking up. This terminal is shared, so it does not know who you are: give your name later if you want to, or stay anonymous. You will get a receipt code to come back for replies."
        case (.aboutYou, .ward):
            return "This terminal is shared, so your name is taken as you give it. The person handling your report can then talk to you about it."
        default:
            return intro
        }
    }

    /// A sentence or two under the question.
    var intro: String {
        switch self {
        case .wayOfRaising:
            "Thank you for speaking up. Whichever you choose, your report goes to people whose job is to listen, and you can change this until you send it."
        case .subject:
            "You do not have to name them. Their role helps the right person handle it."
        case .seniority:
            "Reports about anyone are welcome, however senior, from a student to a board member. This only helps us send your report to someone independent of them."
        case .concerns: "Tick everything that fits. One is enough."
        case .whenWhere: "Roughly is fine. The time and the place can be left blank."
        case .impact: "Was a patient harmed? \"Not sure\" is fine. If you like, say how it has affected you or other staff."
        case .account: "In your own words: what you saw or heard. Spelling does not matter."
        case .witnesses: "Names or roles of anyone who was there. You can leave this blank."
        case .outcome: "This helps the person handling it start in the right way."
        case .aboutYou: "So the person handling your report can talk to you about it."
        case .professionalGroup: "Optional. It is only counted, for the national speaking-up figures."
        case .characteristics:
            "Only if you want to. Answers are counted with everyone else's, to see whether some people find it harder to speak up. They are kept apart from your report: the people handling it never see them. ← and → change an answer."
        case .review: "Nothing has been sent yet. Press S to send it, or a number to change an answer."
        }
    }
}
