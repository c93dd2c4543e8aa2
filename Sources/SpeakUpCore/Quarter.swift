/// A quarter of the NHS financial year, as the National Guardian's Office counts
/// them: `2026Q1` is April to June 2026, `2026Q2` July to September, `2026Q3`
/// October to December, and `2026Q4` January to March 2027 (all of 2026/27).
public struct Quarter: Hashable, Sendable, CustomStringConvertible {
    /// The year the financial year starts in (2026 for 2026/27).
    public let year: Int
    /// 1 to 4.
    public let number: Int

    public init?(year: Int, number: Int) {
        guard (1...4).contains(number), (1948...9998).contains(year) else { return nil }
        self.year = year
        self.number = number
    }

    /// Reads `2026Q3` (or `2026q3`); nil for anything else.
    public init?(typed text: String) {
        let upper = text.uppercased()
        let parts = upper.split(separator: "Q", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 1,
            let year = Int(parts[0]), let number = Int(parts[1])
        else { return nil }
        self.init(year: year, number: number)
    }

    public var description: String { "\(year)Q\(number)" }

    /// The first and last day (the NHS financial year's scheme, `QuarterScheme.financial`).
    public var first: CalendarDay { QuarterScheme.financial.first(of: self) }

    public var last: CalendarDay { QuarterScheme.financial.last(of: self) }

    public func contains(_ day: CalendarDay) -> Bool { day >= first && day <= last }

    /// "Q3 2026/27: 1 October 2026 to 31 December 2026".
    public var title: String { QuarterScheme.financial.title(of: self) }
}
