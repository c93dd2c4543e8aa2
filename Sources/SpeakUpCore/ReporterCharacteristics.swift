/// How a reporter described themselves, if they chose to: one answer per `Characteristic`
/// (each "prefer not to say" unless chosen), and the month the report was made in. Kept
/// apart from the report it came with: written in the same transaction, but with no
/// reference, no reporter and no day, so it can only ever be counted.
public struct ReporterCharacteristics: Hashable, Sendable {
    /// The answers chosen; a question left out is "prefer not to say".
    public private(set) var chosen: [Characteristic: String] = [:]

    public init() {}

    /// The answers given, checked: an answer a question does not have is refused (nil).
    public init?(_ answers: [Characteristic: String]) {
        for (question, id) in answers {
            guard question.answer(id) != nil else { return nil }
            if id != Characteristic.preferNotToSay.id { chosen[question] = id }
        }
    }

    /// The answer to one question.
    public func answer(to question: Characteristic) -> Characteristic.Answer {
        chosen[question].flatMap(question.answer) ?? Characteristic.preferNotToSay
    }

    /// Sets one answer by its place in the question's list, going round at either end.
    public mutating func step(_ question: Characteristic, by offset: Int) {
        let answers = question.answers
        let index = answers.firstIndex(of: answer(to: question)) ?? 0
        let next = answers[((index + offset) % answers.count + answers.count) % answers.count]
        chosen[question] = next.id == Characteristic.preferNotToSay.id ? nil : next.id
    }

    /// True when every answer is "prefer not to say": nothing is stored then.
    public var isEmpty: Bool { chosen.isEmpty }

    /// The answers given, in the questions' order, as the check page reads them back.
    public var summary: String {
        Characteristic.allCases.compactMap { question in chosen[question] == nil ? nil : answer(to: question).title }.joined(separator: "; ")
    }
}
