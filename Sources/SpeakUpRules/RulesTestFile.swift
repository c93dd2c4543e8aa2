import Foundation
import SpeakUpCore
import Yams

/// `speakup rules test FILE`: given reports, a directory, groups and times, the
/// routes, levels, handlers and escalations a rules file must produce (like
/// `promtool test rules`).
///
/// ```yaml
/// rules: default.yaml            # relative to this file; omit for the built-in rules
/// groups: { speakup-guardians: [asha, gita] }
/// directory:
///   - { id: S1, name: Helen Chief, unix_user: hchief, role: chief executive, seniority: chief-executive }
/// history:                       # earlier reports about a subject
///   - { name: Carl Consultant, role: consultant, count: 2 }
/// cases:
///   - name: the chief executive goes to the independent route
///     at: 2026-11-27T09:00:00Z
///     report: { subject: Helen Chief, role: chief executive, seniority: chief-executive, harm: none }
///     expect: { routes: [independent-for-senior-subjects], level: informal, handlers: [ned], not_handlers: [hchief] }
///     escalations:
///       - { at: 2026-12-05T09:00:00Z, missed: acknowledge, handlers_include: [pat] }
/// ```
public enum RulesTestFile {
    /// One case's result.
    public struct Outcome: Hashable, Sendable {
        public var name: String
        public var line: Int
        /// Empty when the case passed.
        public var failures: [String]
    }

    /// Everything needed to run the cases, read from the file.
    public struct Plan: Sendable {
        public var rulesPath: String?
        var groups: [String: [String]]
        var directory: [StaffMember]
        var history: [SubjectKey: Int]
        var cases: [Case]
    }

    struct Case: Sendable {
        var name: String
        var line: Int
        var at: Date
        var report: Report
        var expect: [String: [String]]
        var escalations: [(at: Date, missed: CaseDeadline, expect: [String: [String]])]
    }

    /// Reads the test file; problems come back with their lines.
    public static func plan(_ text: String) -> Result<Plan, RuleProblems> {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return .failure(RuleProblems(all: [RuleProblem(line: 1, column: 1, sentence: "The test file is empty.")]))
            }
            root = node
        } catch {
            return .failure(RuleProblems(all: [RuleProblem(line: 1, column: 1, sentence: "This is not valid YAML: \(error).")]))
        }
        var problems: [RuleProblem] = []
        func problem(_ node: Node?, _ sentence: String) {
            problems.append(RuleProblem(line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, sentence: sentence))
        }
        func moment(_ node: Node?) -> Date? {
            guard let text = node?.string, let date = try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .gmt)) else {
                problem(node, "This needs a moment like 2026-11-27T09:00:00Z.")
                return nil
            }
            return date
        }
        guard let top = root.mapping else {
            return .failure(RuleProblems(all: [RuleProblem(line: 1, column: 1, sentence: "The test file should be a set of `key: value` lines.")]))
        }
        var plan = Plan(rulesPath: top["rules"]?.string, groups: [:], directory: [], history: [:], cases: [])
        for (key, value) in top["groups"]?.mapping ?? [:] {
            plan.groups[key.string ?? ""] = value.sequence?.compactMap(\.string) ?? []
        }
        for item in top["directory"]?.sequence ?? [] {
            guard let id = item["id"]?.string, let name = item["name"]?.string else {
                problem(item, "Each directory entry needs an id and a name.")
                continue
            }
            let seniority = Seniority(rawValue: item["seniority"]?.string ?? "unknown")
            if seniority == nil { problem(item["seniority"], "\"\(item["seniority"]?.string ?? "")\" is not a seniority.") }
            plan.directory.append(StaffMember(
                id: id, name: name, unixUser: item["unix_user"]?.string, role: item["role"]?.string ?? "",
                seniority: seniority ?? .unknown, managerID: item["manager"]?.string, ward: item["ward"]?.string ?? "",
                knownAs: DirectoryFile.knownAs(item["known_as"]?.string ?? "")))
        }
        for item in top["history"]?.sequence ?? [] {
            let subject = Subject(name: item["name"]?.string, role: item["role"]?.string ?? "", seniority: .unknown)
            guard let key = SubjectKey.of(subject, directoryID: item["id"]?.string), let count = item["count"]?.int else {
                problem(item, "Each history entry needs a name (or id) and a count.")
                continue
            }
            plan.history[key] = count
        }
        for item in top["cases"]?.sequence ?? [] {
            let name = item["name"]?.string ?? "case on line \(item.mark?.line ?? 0)"
            guard let at = moment(item["at"]), let reportNode = item["report"] else {
                if item["report"] == nil { problem(item, "The case \"\(name)\" needs a report.") }
                continue
            }
            let way = WayOfRaising(rawValue: reportNode["way_of_raising"]?.string ?? "confidential") ?? .confidential
            let seniority = Seniority(rawValue: reportNode["seniority"]?.string ?? "unknown")
            let harm = PatientHarm(rawValue: reportNode["harm"]?.string ?? "none")
            let concerns = (reportNode["concerns"]?.sequence?.compactMap(\.string) ?? ["other"]).compactMap(ConcernCategory.init(rawValue:))
            if seniority == nil { problem(reportNode["seniority"], "Not a seniority.") }
            if harm == nil { problem(reportNode["harm"], "Not a kind of harm.") }
            let report = Report(
                reference: .random(), wayOfRaising: way, concerns: concerns.isEmpty ? [.other] : concerns,
                subject: Subject(name: reportNode["subject"]?.string, role: reportNode["role"]?.string ?? "", seniority: seniority ?? .unknown),
                location: reportNode["location"]?.string ?? "", harm: harm ?? .none, account: "(test)", reporter: nil,
                submitted: .recorded(for: way, at: at))
            var expect: [String: [String]] = [:]
            for (key, value) in item["expect"]?.mapping ?? [:] {
                expect[key.string ?? ""] = value.sequence?.compactMap(\.string) ?? [value.string ?? ""]
            }
            var escalations: [(Date, CaseDeadline, [String: [String]])] = []
            for step in item["escalations"]?.sequence ?? [] {
                guard let when = moment(step["at"]), let missed = CaseDeadline(rawValue: step["missed"]?.string ?? "") else {
                    if CaseDeadline(rawValue: step["missed"]?.string ?? "") == nil { problem(step, "missed should be acknowledge or feed-back.") }
                    continue
                }
                var stepExpect: [String: [String]] = [:]
                for (key, value) in step.mapping ?? [:] where !["at", "missed"].contains(key.string ?? "") {
                    stepExpect[key.string ?? ""] = value.sequence?.compactMap(\.string) ?? [value.string ?? ""]
                }
                escalations.append((when, missed, stepExpect))
            }
            plan.cases.append(Case(name: name, line: item.mark?.line ?? 0, at: at, report: report, expect: expect, escalations: escalations))
        }
        if plan.cases.isEmpty && problems.isEmpty { problem(root, "The test file has no cases.") }
        return problems.isEmpty ? .success(plan) : .failure(RuleProblems(all: problems))
    }

    /// Runs every case against the rules.
    public static func run(_ plan: Plan, rules: RuleSet) -> [Outcome] {
        struct Groups: GroupMembership { let table: [String: [String]]; func members(ofGroup group: String) -> [String] { table[group] ?? [] } }
        struct History: ReportHistory { let table: [SubjectKey: Int]; func reportsAbout(_ subject: SubjectKey, since day: CalendarDay) -> Int { table[subject] ?? 0 } }
        let directory = StaffDirectory(plan.directory)
        let groups = Groups(table: plan.groups)
        return plan.cases.map { test in
            // The history is a table in the file, so reading it cannot fail.
            let decision = try! EscalationEngine.evaluate(
                ReportFacts(report: test.report), rules: rules, directory: directory, membership: groups,
                history: History(table: plan.history), now: test.at)
            var failures = check(test.expect, level: decision.level, routes: decision.matchedRoutes, handlers: decision.handlers,
                                 acknowledgeBy: decision.acknowledgeBy, feedBackBy: decision.feedBackBy)
            var routing = CaseRouting(level: decision.level, roles: decision.roles, handlers: decision.handlers,
                                      acknowledgeBy: decision.acknowledgeBy, feedBackBy: decision.feedBackBy, explanation: decision.explanation)
            for step in test.escalations {
                let due = step.missed == .acknowledge ? routing.acknowledgeBy : routing.feedBackBy
                guard step.at > due else {
                    failures.append("at \(stamp(step.at)) the \(step.missed.rawValue) deadline (\(stamp(due))) has not passed yet")
                    continue
                }
                routing = EscalationEngine.escalate(routing, missed: step.missed, report: test.report, rules: rules,
                                                    directory: directory, membership: groups, now: step.at)
                failures += check(step.expect, level: routing.level, routes: nil, handlers: routing.handlers,
                                  acknowledgeBy: routing.acknowledgeBy, feedBackBy: routing.feedBackBy)
                    .map { "after \(step.missed.rawValue) was missed: \($0)" }
            }
            return Outcome(name: test.name, line: test.line, failures: failures)
        }
    }

    private static func check(_ expect: [String: [String]], level: PyramidLevel, routes: [String]?, handlers: [String],
                              acknowledgeBy: Date, feedBackBy: Date) -> [String] {
        var failures: [String] = []
        for (key, wanted) in expect.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "level" where wanted.first != level.rawValue:
                failures.append("expected level \(wanted.first ?? ""), got \(level.rawValue)")
            case "routes" where routes != nil && routes! != wanted:
                failures.append("expected routes \(wanted), got \(routes!)")
            case "handlers" where Set(handlers) != Set(wanted):
                failures.append("expected handlers \(wanted.sorted()), got \(handlers.sorted())")
            case "handlers_include" where !Set(wanted).isSubset(of: Set(handlers)):
                failures.append("expected handlers to include \(wanted.sorted()), got \(handlers.sorted())")
            case "not_handlers" where !Set(wanted).isDisjoint(with: Set(handlers)):
                failures.append("expected none of \(wanted.sorted()) to be handlers, got \(handlers.sorted())")
            case "acknowledge_by" where wanted.first != stamp(acknowledgeBy):
                failures.append("expected acknowledge_by \(wanted.first ?? ""), got \(stamp(acknowledgeBy))")
            case "feed_back_by" where wanted.first != stamp(feedBackBy):
                failures.append("expected feed_back_by \(wanted.first ?? ""), got \(stamp(feedBackBy))")
            case "level", "routes", "handlers", "handlers_include", "not_handlers", "acknowledge_by", "feed_back_by":
                break
            default:
                failures.append("\"\(key)\" is not something a case can expect (level, routes, handlers, handlers_include, not_handlers, acknowledge_by, feed_back_by)")
            }
        }
        return failures
    }

    private static func stamp(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)) }
}
