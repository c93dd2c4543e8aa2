import Foundation

/// The quarterly figures the National Guardian's Office asks every organisation
/// for: counts only, never any words a person typed.
public struct DataReturn: Hashable, Sendable {
    public let quarter: Quarter
    /// Every measure, in the order the return lists them.
    public let lines: [(measure: String, count: Int)]

    public static func == (a: Self, b: Self) -> Bool {
        a.quarter == b.quarter && a.lines.map(\.measure) == b.lines.map(\.measure) && a.lines.map(\.count) == b.lines.map(\.count)
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(quarter)
        for line in lines { hasher.combine(line.measure); hasher.combine(line.count) }
    }

    /// The NGO element a concern category counts towards, if any.
    public static func element(of category: ConcernCategory) -> String? {
        switch category {
        case .unsafePractice, .lackOfCompassion: "an element of patient safety or quality"
        case .workerSafety: "an element of worker safety or wellbeing"
        case .bullyingOrHarassment: "an element of bullying or harassment"
        case .rudeOrAggressive, .discrimination: "an element of inappropriate attitudes or behaviours"
        case .detriment: "an element of detriment for speaking up"
        case .other: nil
        }
    }

    public static let elements = [
        "an element of patient safety or quality", "an element of worker safety or wellbeing", "an element of bullying or harassment",
        "an element of inappropriate attitudes or behaviours", "an element of detriment for speaking up",
    ]

    /// Counts the cases raised in the quarter, and the feedback answers given in it.
    public init(quarter: Quarter, facts: [CaseFacts]) {
        self.quarter = quarter
        let raised = facts.filter { quarter.contains($0.submitted) }
        var lines: [(String, Int)] = [
            ("cases raised", raised.count),
            ("cases raised anonymously", raised.filter { $0.wayOfRaising == .anonymous }.count),
        ]
        for element in Self.elements {
            lines.append(("cases with " + element, raised.filter { $0.concerns.contains { Self.element(of: $0) == element } }.count))
        }
        for group in ProfessionalGroup.allCases where group != .preferNotToSay {
            lines.append(("cases raised by professional group: \(group.rawValue)", raised.filter { $0.professionalGroup == group }.count))
        }
        lines.append(("cases raised by professional group: not known", raised.filter {
            $0.professionalGroup == nil || $0.professionalGroup == .preferNotToSay
        }.count))
        let answers = facts.filter { $0.answeredOn.map(quarter.contains) ?? false }
        for answer in SpeakUpAgain.allCases {
            lines.append(("feedback: would speak up again: \(answer.rawValue)", answers.filter { $0.speakUpAgain == answer }.count))
        }
        self.lines = lines
    }

    /// `measure,count` lines with a header: the CSV the NGO's return is typed from.
    public var csv: String {
        (["quarter,measure,count"] + lines.map { "\(quarter),\($0.measure),\($0.count)" }).joined(separator: "\n") + "\n"
    }

    /// A table for people.
    public var text: String {
        let width = lines.map(\.measure.count).max() ?? 0
        return (["Freedom to Speak Up data return, \(quarter.title)", ""] + lines.map {
            $0.measure.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String($0.count)
        }).joined(separator: "\n") + "\n"
    }
}
