/// Something wrong in a rules file, at a line and column, with a sentence a rule author can act on.
public struct RuleProblem: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var sentence: String

    public init(line: Int, column: Int, sentence: String) {
        self.line = line
        self.column = column
        self.sentence = sentence
    }

    public var description: String { "\(line):\(column): \(sentence)" }
}

/// Every problem found in a rules file, in file order.
public struct RuleProblems: Error, Hashable, Sendable {
    public var all: [RuleProblem]
}

/// The closest of `candidates` to a misspelt word, if it is close enough to be a likely typo
/// (used for rules-file keys and names, and for mistyped commands).
public func nearest(_ word: String, in candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
    // An abbreviation ("exec") suggests what it starts.
    if word.count >= 3, let whole = candidates.filter({ $0.lowercased().hasPrefix(word.lowercased()) }).min(by: { $0.count < $1.count }) {
        return whole
    }
    let scored = candidates.map { ($0, distance(Array(word.lowercased()), Array($0.lowercased()))) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
    return best.0
}
