import Foundation

/// How long a store keeps what it holds before `speakup retention run` erases it for good
/// (docs/governance.md). Only closed cases are ever erased; a case under legal hold is kept
/// whatever its age.
public struct RetentionPolicy: Hashable, Sendable {
    /// A length of time in whole days, months or years, or for ever.
    public struct Period: Hashable, Sendable, CustomStringConvertible {
        public enum Unit: String, Sendable { case days, months, years }
        /// Nil: kept for ever.
        public var amount: Int?
        public var unit: Unit

        public init(_ amount: Int, _ unit: Unit) {
            self.amount = amount
            self.unit = unit
        }

        public static let forever = Period(forever: ())
        private init(forever: Void) {
            amount = nil
            unit = .years
        }

        /// The last day a thing dated `day` is kept; nil when kept for ever. Something dated
        /// `day` is due on `day + period` and after.
        public func due(from day: CalendarDay) -> CalendarDay? {
            guard let amount else { return nil }
            return switch unit {
            case .days: day.adding(days: amount)
            case .months: day.adding(months: amount)
            case .years: day.adding(months: amount * 12)
            }
        }

        public var description: String {
            guard let amount else { return "for ever" }
            let name = amount == 1 ? String(unit.rawValue.dropLast()) : unit.rawValue
            return "\(amount) \(name)"
        }
    }

    /// How long a closed case's content is kept after the day it closed, unless its outcome has its own.
    public var closedCases: Period
    /// Per outcome (`CaseOutcome` raw values), overriding `closedCases`.
    public var byOutcome: [String: Period]
    /// How long a receipt code keeps working after its case closed.
    public var receipts: Period
    /// How long an unsent draft is kept after it was last saved.
    public var drafts: Period

    public init(closedCases: Period, byOutcome: [String: Period] = [:], receipts: Period, drafts: Period) {
        self.closedCases = closedCases
        self.byOutcome = byOutcome
        self.receipts = receipts
        self.drafts = drafts
    }

    /// Without a policy file: closed cases' content six years after closing (the NHS records
    /// management code's period for most staff concerns), receipts one year after, drafts 30 days.
    public static let standard = RetentionPolicy(
        closedCases: Period(6, .years), receipts: Period(1, .years), drafts: Period(30, .days))

    /// The period for a case closed with `outcome` (its raw value), and the words saying which rule it is.
    public func period(forOutcome outcome: String?) -> (Period, rule: String) {
        if let outcome, let own = byOutcome[outcome] { return (own, "closed \(outcome), kept \(own)") }
        return (closedCases, "closed, kept \(closedCases)")
    }

    /// Whether a case closed on `closedOn` with `outcome` is due for erasure on `today`.
    public func caseIsDue(closedOn: CalendarDay, outcome: String?, today: CalendarDay) -> Bool {
        guard let due = period(forOutcome: outcome).0.due(from: closedOn) else { return false }
        return due <= today
    }

    /// Whether a case's receipt, its case closed on `closedOn`, has expired by `today`.
    public func receiptIsDue(closedOn: CalendarDay, today: CalendarDay) -> Bool {
        guard let due = receipts.due(from: closedOn) else { return false }
        return due <= today
    }

    /// A day no later than which every closed case the run has anything to do with on `today`
    /// closed: a case closed after it is neither due nor has a due receipt under any of the
    /// policy's periods. Nil when every period is for ever. It is a bound for finding the
    /// candidates through an index, a few days generous (adding months clamps to a month's end:
    /// 31 March and 28 February plus a month are both 28 or 31 days on); each candidate is
    /// then checked exactly by `caseIsDue` and `receiptIsDue`.
    public func latestClosingDue(today: CalendarDay) -> CalendarDay? {
        let periods = [closedCases, receipts] + Array(byOutcome.values)
        let bounds = periods.compactMap { period -> CalendarDay? in
            guard let amount = period.amount else { return nil }
            return switch period.unit {
            case .days: today.adding(days: -amount)
            case .months: today.adding(months: -amount).adding(days: 4)
            case .years: today.adding(months: -amount * 12).adding(days: 4)
            }
        }
        return bounds.max()
    }

    /// Drafts last saved before this day are due (nil: kept for ever).
    public func draftsSavedBefore(today: CalendarDay) -> CalendarDay? {
        guard let amount = drafts.amount else { return nil }
        let back = switch drafts.unit {
        case .days: today.adding(days: -amount)
        case .months: today.adding(months: -amount)
        case .years: today.adding(months: -amount * 12)
        }
        return back.adding(days: 1)
    }
}
