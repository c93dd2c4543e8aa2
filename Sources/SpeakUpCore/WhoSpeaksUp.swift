/// How the reporters who chose to describe themselves in a span of months (a quarter) did so,
/// counted: for each `Characteristic`, how many gave each answer. Only counts, and small ones
/// hidden: a count from 1 to 4 is shown as "<5", and when only one answer to a question is
/// hidden so, the smallest other count above 0 is hidden too ("*"), so that it cannot be
/// worked out from the total; with fewer than 5 descriptions in all, every count is hidden.
public struct WhoSpeaksUp: Hashable, Sendable {
    /// How many descriptions were given.
    public let described: Int
    /// Each question's answers, in the question's order, with how many gave each.
    public let counts: [Characteristic: [(answer: Characteristic.Answer, count: Int)]]

    public init(_ descriptions: [ReporterCharacteristics]) {
        described = descriptions.count
        var counts: [Characteristic: [(answer: Characteristic.Answer, count: Int)]] = [:]
        for question in Characteristic.allCases {
            var tally: [String: Int] = [:]
            for description in descriptions { tally[description.answer(to: question).id, default: 0] += 1 }
            counts[question] = question.answers.map { ($0, tally[$0.id] ?? 0) }
        }
        self.counts = counts
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.described == b.described && Characteristic.allCases.allSatisfy { question in
            a.counts[question]?.map(\.count) == b.counts[question]?.map(\.count)
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(described)
        for question in Characteristic.allCases { hasher.combine(counts[question]?.map(\.count)) }
    }

    /// One question's answers as they may be shown: a count, "<5", or "*".
    public func shown(_ question: Characteristic) -> [(answer: Characteristic.Answer, shown: String)] {
        let row = counts[question] ?? []
        // So few descriptions that even which answers were never given would tell: nothing shown.
        if CaseStatistics.isSmall(described) { return row.map { ($0.answer, "*") } }
        var shown = row.map { CaseStatistics.shown($0.count) }
        let small = row.indices.filter { CaseStatistics.isSmall(row[$0].count) }
        if small.count == 1, described > 0,
            let other = row.indices.filter({ $0 != small[0] && row[$0].count > 0 }).min(by: { row[$0].count < row[$1].count }) {
            shown[other] = "*"
        }
        return zip(row, shown).map { ($0.0.answer, $0.1) }
    }

    /// Plain text for the board: a heading, then each question's answers, wrapped to `width`.
    public func lines(width: Int) -> [String] {
        var out = [
            "Who speaks up: how open and confidential reporters who chose to describe",
            "themselves did so (\(CaseStatistics.shown(described)) descriptions this quarter; never asked at a kiosk",
            "or of anonymous reporters, and kept apart from the reports)",
        ]
        if CaseStatistics.isSmall(described) {
            out.append("  Fewer than \(CaseStatistics.suppressBelow) this quarter: not shown, since so few could be recognised.")
            return out
        }
        for question in Characteristic.allCases {
            let parts = shown(question).map { "\($0.answer.title) \($0.shown)" }
            var line = "  \(question.title):"
            for (index, part) in parts.enumerated() {
                let piece = (index == 0 ? " " : "; ") + part
                if line.count + piece.count > width {
                    out.append(line + (index == 0 ? "" : ";"))
                    line = "      " + part
                } else {
                    line += piece
                }
            }
            out.append(line)
        }
        return out
    }
}
