import Testing
@testable import SpeakUpCore

@Suite("Retention policy: the closings a run reads")
struct RetentionPolicyBoundTests {
    /// Every day of several years, under periods in days, months (month ends included) and years.
    @Test("property: no case closed after the bound is due, nor is its receipt, whatever the day and the periods")
    func boundNeverLeavesADueCaseOut() {
        let policies = [
            RetentionPolicy.standard,
            RetentionPolicy(closedCases: .init(1, .months), byOutcome: ["upheld": .init(13, .months)], receipts: .init(45, .days), drafts: .init(30, .days)),
            RetentionPolicy(closedCases: .init(3, .years), byOutcome: ["withdrawn": .init(1, .days)], receipts: .forever, drafts: .forever),
        ]
        var today = CalendarDay(year: 2027, month: 1, day: 1)!
        while today < CalendarDay(year: 2029, month: 3, day: 31)! {
            for policy in policies {
                guard let bound = policy.latestClosingDue(today: today) else {
                    Issue.record("a policy with periods has a bound")
                    continue
                }
                // The days just after the bound (adding months is monotone, so later days are never due either).
                for closedOn in (1...10).map({ bound.adding(days: $0) }) {
                    for outcome in [nil, "upheld", "withdrawn"] {
                        #expect(!policy.caseIsDue(closedOn: closedOn, outcome: outcome, today: today), "\(policy) \(today) \(closedOn)")
                    }
                    #expect(!policy.receiptIsDue(closedOn: closedOn, today: today), "\(policy) \(today) \(closedOn)")
                }
            }
            today = today.adding(days: 1)
        }
    }

    @Test("a policy that keeps everything for ever has no bound: nothing is due")
    func forever() {
        let policy = RetentionPolicy(closedCases: .forever, receipts: .forever, drafts: .init(30, .days))
        #expect(policy.latestClosingDue(today: CalendarDay(year: 2030, month: 1, day: 1)!) == nil)
    }

    @Test("the bound is close: a case closed on it, or a few days before, is due under the standard policy")
    func boundIsClose() {
        let today = CalendarDay(year: 2026, month: 11, day: 30)!
        let bound = RetentionPolicy.standard.latestClosingDue(today: today)!
        #expect(bound == CalendarDay(year: 2025, month: 12, day: 4)!, "receipts: a year, and the few days' margin")
        #expect(RetentionPolicy.standard.receiptIsDue(closedOn: bound.adding(days: -4), today: today))
    }
}
