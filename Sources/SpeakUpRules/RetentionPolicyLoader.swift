import Foundation
import SpeakUpCore
import Yams

/// Reads a retention policy file (YAML), every problem with its line and column:
///
/// ```yaml
/// format: 1
/// closed-cases: 6 years          # content erased this long after a case closed
/// outcomes:                      # an outcome's own period, instead
///   upheld: 10 years
///   referred-on: 10 years
/// receipts: 1 year               # receipt codes stop working this long after closing
/// drafts: 30 days                # unsent drafts, after they were last saved
/// ```
///
/// A period is a whole number of days, months or years (at most 100 years), or `never`. Keys left
/// out keep the standard policy's value (`RetentionPolicy.standard`).
public enum RetentionPolicyLoader {
    public static let supportedFormat = 1

    public static func load(_ text: String) -> Result<RetentionPolicy, RuleProblems> {
        Reader.read(text, what: "The retention policy") { reader, root in reader.retentionPolicy(root) }
    }
}

extension Reader {
    mutating func retentionPolicy(_ root: Node) -> RetentionPolicy? {
        let top = entries(root, allowed: ["format", "closed-cases", "outcomes", "receipts", "drafts"], what: "the retention policy")
        if let node = top["format"]?.value, node.int != RetentionPolicyLoader.supportedFormat {
            report(node, "This SpeakUp reads retention policies of format \(RetentionPolicyLoader.supportedFormat); this one says \(node.scalar?.string ?? "something else").")
        }
        var policy = RetentionPolicy.standard
        if let node = top["closed-cases"]?.value, let period = retentionPeriod(node, what: "closed-cases") { policy.closedCases = period }
        if let node = top["receipts"]?.value, let period = retentionPeriod(node, what: "receipts") { policy.receipts = period }
        if let node = top["drafts"]?.value, let period = retentionPeriod(node, what: "drafts") { policy.drafts = period }
        if let node = top["outcomes"]?.value {
            let names = CaseOutcome.allCases.map(\.rawValue)
            let outcomes = entries(node, allowed: names, what: "outcomes")
            for (name, entry) in outcomes {
                if let period = retentionPeriod(entry.value, what: "outcomes \(name)") { policy.byOutcome[name] = period }
            }
        }
        return policy
    }

    /// `30 days`, `18 months`, `6 years` (or `1 year`), or `never`.
    mutating func retentionPeriod(_ node: Node, what: String) -> RetentionPolicy.Period? {
        let text = (node.scalar?.string ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if text == "never" { return .forever }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        let units: [String: RetentionPolicy.Period.Unit] = ["day": .days, "days": .days, "month": .months, "months": .months,
                                                            "year": .years, "years": .years]
        guard parts.count == 2, let amount = Int(parts[0]), let unit = units[String(parts[1])] else {
            report(node, "\(what) should be a time such as 30 days, 18 months or 6 years (or never, to keep for ever), not \"\(node.scalar?.string ?? "")\".")
            return nil
        }
        let days = switch unit { case .days: amount; case .months: amount * 31; case .years: amount * 366 }
        guard amount >= 1 else {
            report(node, "\(what) should be at least 1 \(String(unit.rawValue.dropLast())), not \(amount): nothing would be kept at all.")
            return nil
        }
        guard days <= 100 * 366 else {
            report(node, "\(what) is longer than 100 years; write never to keep it for ever.")
            return nil
        }
        return RetentionPolicy.Period(amount, unit)
    }
}
