import Foundation
import SpeakUpCore

/// Makes reports to send, from a seeded generator: every way of raising, every
/// field filled in the form the export gives back (so "exactly as sent" can be
/// checked byte for byte), and words that have tripped programs up before:
/// accents both composed and decomposed, CJK, right-to-left text, emoji with
/// joiners, escape sequences, bidi overrides, quotes, backslashes, tabs and
/// line breaks. (Never NUL: that is one of the hostile files.)
struct ReportFactory {
    private var random: SeededRandom
    private var used: Set<String> = []
    /// Today (UTC), so no day sent is in the future.
    private let today: Date

    init(random: SeededRandom, today: Date = Date()) {
        self.random = random
        self.today = today
    }

    static let words = [
        "the", "patient", "was", "left", "without", "pain", "relief", "for", "two", "hours", "shouted", "at", "a", "student",
        "nurse", "in", "front", "of", "visitors", "on", "Ward", "7", "handover", "ignored", "the", "call", "bell", "Zoë", "naïve",
        "e\u{301}cole", "café", "Ñúñez", "患者", "病棟", "مريض", "שלום", "🩺", "👩🏽‍⚕️", "\u{1B}[2J", "\u{1B}]0;PWNED\u{07}", "\u{202E}override",
        "\u{2028}", "\u{7F}", "\u{85}", "\"quoted\"", "back\\slash", "tab\there", "line\nbreak", "crlf\r\nend", "&amp;", "<b>", "'single'",
        "%s%n", "{{x}}", "$(rm -rf /)", "--", "…", "ﬁ", "Å", "A\u{30A}", "\u{FEFF}", "\u{200B}zero-width", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    ]

    static let names = [
        "Dr Zoë Smith", "Mr Ángel Núñez", "Ms 王芳", "Nurse O'Brien", "Dr Ada Quill", "Sister Mary-Jane Okafor",
        "Mx Sam \"Sammy\" Lee", "Prof. Jürgen Weiß", "Dr A\u{30A}sa Lindqvist", "Mr Omar Al-Farsi", "Ms Siobhán Ní Bhriain",
    ]

    static let places = ["Ward 7", "A&E resus", "Theatre 3 — recovery", "病棟 4", "Maternity, bay 2", "Car park", ""]

    /// `count` new reports, each with a reference used nowhere else in this run.
    mutating func reports(_ count: Int, accountLength: ClosedRange<Int> = 20...1_500) -> [ReportRecord] {
        (0..<count).map { _ in report(accountLength: accountLength) }
    }

    mutating func report(accountLength: ClosedRange<Int> = 20...1_500) -> ReportRecord {
        let way = pick(WayOfRaising.allCases)
        let anonymous = way == .anonymous
        let submittedMoment = today.addingTimeInterval(-Double(2 + Int.random(in: 0..<200, using: &random)) * 86_400
            - Double(Int.random(in: 0..<86_400, using: &random)))
        let submitted = anonymous ? day(submittedMoment) : instant(submittedMoment)
        let phoned = !anonymous && chance(0.3)  // taken by phone: no login to keep
        let reporter = anonymous || phoned ? nil
            : ReportRecord.Reporter(user: "staff\(Int.random(in: 100...999, using: &random))", uid: UInt32.random(in: 1_000...60_000, using: &random))
        let station: ReportRecord.Station
        if anonymous && chance(0.2) {
            station = .init(kind: "kiosk", location: "Main entrance, level 0")
        } else if reporter == nil && chance(0.25) {
            station = .init(kind: "ward", location: pick(Self.places.filter { !$0.isEmpty }))
        } else {
            station = .init(kind: "personal", location: nil)
        }
        let occurred = chance(0.8) ? submittedMoment.addingTimeInterval(-Double(Int.random(in: 0...5, using: &random)) * 86_400) : nil
        var events = [ReportRecord.Event(sequence: 1, kind: "received", at: submitted, text: nil, actor: nil)]
        if chance(0.2) {
            events.append(.init(sequence: 2, kind: "reporter-message", at: submitted, text: text(length: 10...200), actor: nil))
        }
        return ReportRecord(
            formatVersion: 3,
            reference: newReference(),
            wayOfRaising: way.rawValue,
            concerns: Array(Set((0..<Int.random(in: 1...3, using: &random)).map { _ in pick(ConcernCategory.allCases).rawValue })).sorted(),
            subjectSeniority: pick(Seniority.allCases).rawValue,
            location: pick(Self.places),
            account: text(length: accountLength),
            reporter: reporter,
            submitted: submitted,
            events: events,
            subjectName: chance(0.85) ? pick(Self.names) : nil,
            subjectRole: chance(0.5) ? pick(["consultant", "charge nurse", "porter", "registrar", "ward manager"]) : "",
            occurredOn: occurred.map(day),
            occurredAt: occurred != nil && chance(0.5) ? String(format: "%02d:%02d", Int.random(in: 0..<24, using: &random), Int.random(in: 0..<60, using: &random)) : nil,
            patientHarm: pick(PatientHarm.allCases).rawValue,
            staffImpact: chance(0.5) ? text(length: 5...300) : "",
            witnesses: chance(0.4) ? text(length: 5...100) : "",
            desiredOutcome: chance(0.8) ? pick(DesiredOutcome.allCases).rawValue : nil,
            holdUntil: chance(0.1) ? day(today.addingTimeInterval(Double(Int.random(in: 30...300, using: &random)) * 86_400)) : nil,
            reporterDetails: anonymous || !chance(0.7) ? nil
                : .init(name: pick(["Asha Patel", "Tomás Ó Floinn", "李雷", "Ben Ndlovu"]), contact: pick(["ext 4321", "bleep 2207", "", "asha@example.nhs.uk"]),
                        professionalGroup: chance(0.8) ? pick(ProfessionalGroup.allCases).rawValue : nil),
            excludedHandlers: [],
            subjectID: nil,
            station: station)
    }

    /// A fresh reference in SpeakUp's form (SU-XXXX-XXXX, Crockford base 32), never repeated in a run.
    mutating func newReference() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        while true {
            let symbols = (0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }
            let reference = "SU-\(String(symbols[0..<4]))-\(String(symbols[4..<8]))"
            if used.insert(reference).inserted { return reference }
        }
    }

    /// Words joined by spaces, about `length` Unicode scalars long (well inside SpeakUp's limits).
    mutating func text(length: ClosedRange<Int>) -> String {
        let target = Int.random(in: length, using: &random)
        var result = pick(["Told by phone:", "A letter:", "In person:", "Seen on shift:"])
        while result.unicodeScalars.count < target { result += " " + pick(Self.words) }
        return result
    }

    mutating func chance(_ probability: Double) -> Bool { random.fraction() < probability }

    mutating func pick<T>(_ choices: [T]) -> T { choices[Int.random(in: 0..<choices.count, using: &random)] }

    private func day(_ moment: Date) -> String {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: moment)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    private func instant(_ moment: Date) -> String {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: moment)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
    }
}
