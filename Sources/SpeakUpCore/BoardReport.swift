import Foundation

/// What the board monitors, for one quarter (`speakup board`): cases over time, time to
/// acknowledge and to close against the deadlines, whether reporters would speak up again,
/// detriment, and the same figures by the seniority of the person the concern is about,
/// to show whether seniority shields anyone. Counted from facts only, never words; counts
/// from 1 to 4 are suppressed as `CaseStatistics` suppresses them.
public struct BoardReport: Hashable, Sendable {
    /// A count over some cases, and how many of them something holds for.
    public struct Share: Hashable, Sendable {
        public var count = 0
        public var of = 0

        /// Shown only when neither the cases it holds for nor the rest are 1 to 4: either would tell a small count.
        public var isShown: Bool { of > 0 && !CaseStatistics.isSmall(count) && !CaseStatistics.isSmall(of - count) }

        public var percent: Int? { isShown ? Int((Double(count) * 100 / Double(of)).rounded()) : nil }

        /// "85%", "-" for no cases, or "*" when suppressed.
        public var shown: String { of == 0 ? "-" : percent.map { "\($0)%" } ?? "*" }
    }

    /// Promises against their deadlines, over the cases raised in the quarter whose outcome is
    /// known: done (in time or late), or not done and already past the deadline.
    public struct Timing: Hashable, Sendable {
        public var inTime = Share()
        /// Days taken by the cases that got there.
        public var days: [Double] = []

        /// The median, shown only over 5 cases or more (fewer could be one person's case).
        public var median: Double? { days.count < CaseStatistics.suppressBelow ? nil : CaseStatistics.median(days) }

        /// `count` cases alike: done after `afterDays` (nil: not yet), and whether that was, or already is, late.
        mutating func add(afterDays: Double?, late: Bool, count: Int = 1) {
            guard afterDays != nil || late, count > 0 else { return }
            inTime.of += count
            if let afterDays {
                days.append(contentsOf: repeatElement(afterDays, count: count))
                if !late { inTime.count += count }
            }
        }
    }

    /// One row of the seniority table.
    public struct Row: Hashable, Sendable {
        public var seniority: Seniority
        public var cases = 0
        public var acknowledge = Timing()
        public var close = Timing()
        /// Each level on the pyramid: the cases whose highest level it was.
        public var levels: [PyramidLevel: Int] = [:]
        /// Answers given in the quarter, and how many were yes.
        public var again = Share()

        public func level(_ level: PyramidLevel) -> Share { Share(count: levels[level] ?? 0, of: cases) }
    }

    public struct Period: Hashable, Sendable {
        public var title: String
        public var count: Int
    }

    public let quarter: Quarter
    /// The quarter's months, oldest first.
    public let months: [Period]
    /// The previous three quarters and this one, oldest first.
    public let quarters: [Period]
    /// Cases raised in each of those quarters with the detriment category.
    public let detriment: [Period]
    public let raised: Int
    public let acknowledge: Timing
    public let close: Timing
    /// Answers to "would you speak up again?" given in the quarter.
    public let answers: [SpeakUpAgain: Int]
    /// Each seniority band, from student to board, then "Not sure".
    public let rows: [Row]
    /// How the reporters who chose to describe themselves in the quarter did so.
    public let whoSpeaksUp: WhoSpeaksUp
    /// Answers to detriment check-ins (1, 3 and 6 months after a case closed) given in the quarter.
    public let checkIns: [DetrimentCheckIn.Answer: Int]

    /// - Parameter described: the descriptions reporters gave in the quarter's months (`CharacteristicsKeeping`).
    public init(quarter: Quarter, facts: [CaseFacts], described: [ReporterCharacteristics] = []) {
        var tally = BoardTally(quarter: quarter)
        for fact in facts { tally.add(fact) }
        self.init(tally, described: described)
    }

    /// The report from counts already made (`BoardTally`, filled by an engine in SQL or from facts).
    public init(_ tally: BoardTally, described: [ReporterCharacteristics] = []) {
        let quarter = tally.quarter
        self.quarter = quarter
        whoSpeaksUp = WhoSpeaksUp(described)
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        months = (0..<3).map { step in
            let month = (quarter.first.month - 1 + step) % 12
            return Period(title: "\(names[month]) \(quarter.first.year)", count: tally.byMonth[step])
        }
        let earlier = tally.quarters
        quarters = earlier.indices.map { Period(title: earlier[$0].shortTitle, count: tally.raised[$0]) }
        detriment = earlier.indices.map { Period(title: earlier[$0].shortTitle, count: tally.detriment[$0]) }
        raised = tally.raised[earlier.count - 1]
        acknowledge = tally.acknowledge
        close = tally.close
        answers = tally.answers
        checkIns = tally.checkIns
        rows = Seniority.allCases.map { tally.rows[$0]! }
    }

    /// The speak-up-again answers given in the quarter, and how many said yes.
    public var again: Share { Share(count: answers[.yes] ?? 0, of: answers.values.reduce(0, +)) }

    /// Plain text with bar charts in `width` columns (80 or more keeps the seniority table whole);
    /// every figure with its one-line explanation, and no line ends in a space.
    public func lines(width: Int) -> [String] {
        let barRoom = max(10, width - 22)
        var out = ["What the board monitors: \(quarter.title)", ""]
        func bars(_ periods: [Period], room: Int) {
            let biggest = max(1, periods.map { CaseStatistics.barCount($0.count) }.max() ?? 1)
            for period in periods {
                let bar = String(repeating: "█", count: CaseStatistics.barCount(period.count) * room / biggest)
                out.append("  \(period.title.padding(toLength: 12, withPad: " ", startingAt: 0))\(CaseStatistics.shown(period.count).leftPadded(6))  \(bar)")
            }
        }
        func shareBar(_ title: String, _ share: Share, _ after: String) {
            let bar = String(repeating: "█", count: (share.percent ?? 0) * (barRoom - 10) / 100)
            out.append("  \(title.padding(toLength: 12, withPad: " ", startingAt: 0))\(share.shown.leftPadded(6))  \(bar)")
            out.append("  \(after)")
        }
        out.append("Cases raised in each month of the quarter")
        bars(months, room: barRoom)
        out.append("Cases raised this quarter beside the previous three, to show the trend")
        bars(quarters, room: barRoom)
        out.append("")
        out.append("Promises kept: share of this quarter's cases done by the deadline (bar)")
        func median(_ timing: Timing) -> String {
            timing.median == nil ? "median not shown (fewer than 5 cases)" : "median \(CaseStatistics.days(timing.median))"
        }
        shareBar("Acknowledged", acknowledge.inTime, "\(median(acknowledge)) to acknowledge, over \(CaseStatistics.shown(acknowledge.days.count)) cases")
        shareBar("Closed", close.inTime, "\(median(close)) to close, over \(CaseStatistics.shown(close.days.count)) cases")
        out.append("")
        out.append("Reporters who would speak up again: yes, of \(CaseStatistics.shown(again.of)) answers given this quarter")
        shareBar("Yes", again, Self.answerLine(answers))
        out.append("")
        out.append("Cases with an element of detriment for speaking up, by quarter")
        bars(detriment, room: barRoom)
        out.append("Detriment check-ins answered this quarter (1, 3, 6 months after closing);")
        out.append("each yes opened a detriment case, counted above in the quarter it opened")
        out.append("  " + Self.checkInLine(checkIns))
        out.append("")
        out.append("Does seniority shield anyone? This quarter's cases by how senior the person")
        out.append("the concern is about is; levels are the highest each case reached")
        let widths = [5, 7, 8, 5, 5, 5, 5, 5, 7]
        for header in [["Cases", "Ack in", "Median", "Inf", "Awa", "Aut", "Dis", "Urg", "Would"],
                       ["", "time", "close", "", "", "", "", "", "again"]] {
            out.append(String(repeating: " ", count: 21) + zip(header, widths).map { $0.0.leftPadded($0.1) }.joined())
        }
        for row in rows {
            let close = row.close.median.map { String(format: $0 < 10 ? "%.1fd" : "%.0fd", $0) } ?? "-"
            let levels = PyramidLevel.allCases.map { row.level($0).shown.leftPadded(5) }.joined()
            out.append("  \(row.seniority.title.padding(toLength: 19, withPad: " ", startingAt: 0))\(CaseStatistics.shown(row.cases).leftPadded(5))"
                + "\(row.acknowledge.inTime.shown.leftPadded(7))\(close.leftPadded(8))\(levels)\(row.again.shown.leftPadded(7))")
        }
        out.append("Levels: Inf informal, Awa awareness, Aut authority, Dis disciplinary, Urg urgent")
        out.append("")
        out += whoSpeaksUp.lines(width: width)
        out.append("")
        out.append("Counts from 1 to 4 are shown as <5 and draw no bar; a share shown as * has")
        out.append("1 to 4 cases on one side, - means no cases: small numbers can identify people.")
        out.append("In who speaks up, * hides a count that the total would otherwise give away.")
        return out.map { line in String(line.reversed().drop(while: { $0 == " " }).reversed()) }
    }

    static func checkInLine(_ checkIns: [DetrimentCheckIn.Answer: Int]) -> String {
        (["Answered: \(CaseStatistics.shown(checkIns.values.reduce(0, +)))"]
            + DetrimentCheckIn.Answer.allCases.map { "\($0 == .yes ? "Yes, treated worse" : $0.title): \(CaseStatistics.shown(checkIns[$0] ?? 0))" })
            .joined(separator: "   ")
    }

    static func answerLine(_ answers: [SpeakUpAgain: Int]) -> String {
        SpeakUpAgain.allCases.map { "\($0.title): \(CaseStatistics.shown(answers[$0] ?? 0))" }.joined(separator: "   ")
    }

    /// Every figure as it may be shown, one a line: what a board paper's table is typed from.
    public var cells: [(figure: String, row: String, value: String)] {
        var out: [(String, String, String)] = []
        for period in months { out.append(("cases raised by month", period.title, CaseStatistics.shown(period.count))) }
        for period in quarters { out.append(("cases raised by quarter", period.title, CaseStatistics.shown(period.count))) }
        out.append(("acknowledged in time (percent)", "all", acknowledge.inTime.shown))
        out.append(("median days to acknowledge", "all", acknowledge.median.map { String(format: "%.1f", $0) } ?? "-"))
        out.append(("closed in time (percent)", "all", close.inTime.shown))
        out.append(("median days to close", "all", close.median.map { String(format: "%.1f", $0) } ?? "-"))
        for answer in SpeakUpAgain.allCases {
            out.append(("would speak up again", answer.rawValue, CaseStatistics.shown(answers[answer] ?? 0)))
        }
        for period in detriment { out.append(("cases with detriment by quarter", period.title, CaseStatistics.shown(period.count))) }
        out.append(("detriment check-ins answered", "all", CaseStatistics.shown(checkIns.values.reduce(0, +))))
        for answer in DetrimentCheckIn.Answer.allCases {
            out.append(("detriment check-ins answered", answer.rawValue, CaseStatistics.shown(checkIns[answer] ?? 0)))
        }
        for row in rows {
            let band = row.seniority.rawValue
            out.append(("subject seniority: cases", band, CaseStatistics.shown(row.cases)))
            out.append(("subject seniority: acknowledged in time (percent)", band, row.acknowledge.inTime.shown))
            out.append(("subject seniority: median days to close", band, row.close.median.map { String(format: "%.1f", $0) } ?? "-"))
            for level in PyramidLevel.allCases {
                out.append(("subject seniority: highest level \(level.rawValue) (percent)", band, row.level(level).shown))
            }
            out.append(("subject seniority: would speak up again (percent)", band, row.again.shown))
        }
        out.append(("reporters' own description: descriptions given", "all", CaseStatistics.shown(whoSpeaksUp.described)))
        for question in Characteristic.allCases {
            for cell in whoSpeaksUp.shown(question) {
                out.append(("reporters' own description: \(question.rawValue)", cell.answer.id, cell.shown))
            }
        }
        return out.map { (figure: $0.0, row: $0.1, value: $0.2.replacingOccurrences(of: "%", with: "")) }
    }

    /// `quarter,figure,row,value` with a header. Values as shown: `<5` and `*` are suppressed, `-` is none.
    public var csv: String {
        (["quarter,figure,row,value"] + cells.map { "\(quarter),\($0.figure),\($0.row),\($0.value)" }).joined(separator: "\n") + "\n"
    }

    /// `{"quarter": "2026Q3", "figures": [{"figure", "row", "value"}]}`: a number, or a string for
    /// a suppressed (`"<5"`, `"*"`) or missing (`"-"`) value.
    public var json: String {
        func quoted(_ text: String) -> String { "\"" + text + "\"" }  // figures and rows are fixed words: nothing to escape
        let figures = cells.map { cell in
            let value = Double(cell.value) != nil ? cell.value : quoted(cell.value)
            return "    {\"figure\": \(quoted(cell.figure)), \"row\": \(quoted(cell.row)), \"value\": \(value)}"
        }
        return "{\n  \"quarter\": \(quoted(quarter.description)),\n  \"figures\": [\n" + figures.joined(separator: ",\n") + "\n  ]\n}\n"
    }
}

extension Quarter {
    /// The quarter before.
    public var previous: Quarter? { number == 1 ? Quarter(year: year - 1, number: 4) : Quarter(year: year, number: number - 1) }

    /// "Q3 2026/27".
    public var shortTitle: String { String(title.prefix { $0 != ":" }) }
}
