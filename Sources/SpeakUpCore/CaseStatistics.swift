import Foundation

/// The figures for people who would rather look than read: cases per month,
/// elements of each category, time to acknowledge and to close, and the
/// speak-up-again answers. Counted from facts only, never words.
public struct CaseStatistics: Hashable, Sendable {
    /// Counts from 1 to this are shown as "<5": small numbers identify people.
    public static let suppressBelow = 5

    public struct Month: Hashable, Sendable {
        public var year: Int
        public var month: Int
        public var count: Int

        public var title: String {
            let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return "\(names[month - 1]) \(year)"
        }
    }

    public struct Timing: Hashable, Sendable {
        /// Median days, over the cases that got there.
        public var medianDays: Double?
        public var done: Int
        public var late: Int
    }

    public var total: Int
    /// The last twelve months, oldest first.
    public var months: [Month]
    public var categories: [(ConcernCategory, Int)]
    public var acknowledge: Timing
    public var close: Timing
    public var speakUpAgain: [(SpeakUpAgain, Int)]

    public static func == (a: Self, b: Self) -> Bool {
        a.total == b.total && a.months == b.months && a.categories.map(\.1) == b.categories.map(\.1)
            && a.acknowledge == b.acknowledge && a.close == b.close && a.speakUpAgain.map(\.1) == b.speakUpAgain.map(\.1)
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(total); hasher.combine(months) }

    public init(facts: [CaseFacts], today: CalendarDay) {
        total = facts.count
        var months: [Month] = []
        var year = today.year, month = today.month
        for _ in 0..<12 {
            months.insert(Month(year: year, month: month, count: 0), at: 0)
            month -= 1
            if month == 0 { month = 12; year -= 1 }
        }
        for fact in facts {
            if let index = months.firstIndex(where: { $0.year == fact.submitted.year && $0.month == fact.submitted.month }) {
                months[index].count += 1
            }
        }
        self.months = months
        categories = ConcernCategory.allCases.map { category in (category, facts.filter { $0.concerns.contains(category) }.count) }
        func timing(_ days: [Double], late: Int) -> Timing {
            Timing(medianDays: Self.median(days), done: days.count, late: late)
        }
        acknowledge = timing(facts.compactMap(\.acknowledgedAfterDays), late: facts.filter(\.acknowledgedLate).count)
        close = timing(facts.compactMap(\.closedAfterDays), late: facts.filter(\.closedLate).count)
        speakUpAgain = SpeakUpAgain.allCases.map { answer in (answer, facts.filter { $0.speakUpAgain == answer }.count) }
    }

    /// The middle value (the mean of the middle two for an even count); nil for none.
    public static func median(_ values: [Double]) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Whether a count is small enough to identify people: 1 to 4.
    public static func isSmall(_ count: Int) -> Bool { (1..<suppressBelow).contains(count) }

    /// A count as it may be shown: "<5" from 1 to 4.
    public static func shown(_ count: Int) -> String {
        isSmall(count) ? "<\(suppressBelow)" : String(count)
    }

    /// A count as a bar may show it: nothing for a suppressed count (a bar's length would tell).
    public static func barCount(_ count: Int) -> Int {
        isSmall(count) ? 0 : count
    }

    /// Days in words: "3.5 days", or "none yet".
    public static func days(_ value: Double?) -> String {
        guard let value else { return "none yet" }
        return String(format: value < 10 ? "%.1f days" : "%.0f days", value)
    }

    /// Plain text with bar charts, for `speakup stats` and the workspace's statistics screen:
    /// categories and answers in words (never their slugs), and no line ends in a space.
    public func lines(width: Int) -> [String] {
        let barRoom = max(10, width - 30)
        // The total is given to the nearest five, so no hidden cell can be worked out from it.
        let about = total < Self.suppressBelow ? Self.shown(total) : "about \(Int((Double(total) / 5).rounded()) * 5)"
        var out = ["Cases raised, last 12 months (\(about) in the store since it began)"]
        let biggest = max(1, months.map { Self.barCount($0.count) }.max() ?? 1)
        for month in months {
            let bar = String(repeating: "█", count: Self.barCount(month.count) * barRoom / biggest)
            out.append("  \(month.title.padding(toLength: 9, withPad: " ", startingAt: 0))\(Self.shown(month.count).leftPadded(5))  \(bar)")
        }
        out.append("")
        out.append("Elements of each category (a case can have several)")
        let most = max(1, categories.map { Self.barCount($0.1) }.max() ?? 1)
        for (category, count) in categories {
            let bar = String(repeating: "█", count: Self.barCount(count) * (barRoom - 16) / most)
            out.append("  \(category.title.padding(toLength: 24, withPad: " ", startingAt: 0))\(Self.shown(count).leftPadded(5))  \(bar)")
        }
        out.append("")
        // A median of fewer than five cases could be one person's case: not shown.
        func median(_ timing: Timing) -> String {
            timing.done < Self.suppressBelow ? "not shown (fewer than 5 cases)" : Self.days(timing.medianDays)
        }
        out.append("Time to acknowledge: median \(median(acknowledge)) over \(Self.shown(acknowledge.done)) cases; \(Self.shown(acknowledge.late)) past the deadline")
        out.append("Time to close:       median \(median(close)) over \(Self.shown(close.done)) cases; \(Self.shown(close.late)) past the deadline")
        out.append("")
        out.append("\"Given your experience, would you speak up again?\"")
        out.append("  " + speakUpAgain.map { "\($0.0.title): \(Self.shown($0.1))" }.joined(separator: "   "))
        out.append("")
        out.append("Counts from 1 to 4 are shown as <5, and draw no bar: small numbers can identify people.")
        // A count with no bar ends at the count: no spaces after it.
        return out.map { line in String(line.reversed().drop(while: { $0 == " " }).reversed()) }
    }
}

