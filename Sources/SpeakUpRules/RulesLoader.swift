import Foundation
import SpeakUpCore
import Yams

/// Reads a rules file (YAML) into a checked `RuleSet`, or lists every problem
/// with its line and column. A rules file that loads names a fallback, every
/// role it names exists, and every role lists some user or group; whether those
/// groups have members is known only on the system (see the explanation).
public enum RulesLoader {
    public static let supportedVersion = 1

    public static func load(_ text: String) -> Result<RuleSet, RuleProblems> {
        Reader.read(text, what: "The rules file") { reader, root in reader.ruleSet(root) }
    }

    static func problem(from error: YamlError) -> RuleProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return RuleProblem(line: mark.line, column: mark.column, sentence: "This is not valid YAML: \(problem).")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return RuleProblem(line: context.mark.line, column: context.mark.column,
                               sentence: "The key \(duplicates.joined(separator: ", ")) appears twice in the same place.")
        default:
            return RuleProblem(line: 1, column: 1, sentence: "This is not valid YAML: \(error).")
        }
    }
}

/// Walks the YAML tree, collecting every problem rather than stopping at the first.
struct Reader {
    var problems: [RuleProblem] = []

    /// Composes `text` and walks it with `walk`: the value, or every problem in file order.
    /// `what` names the file in a sentence: "The rules file".
    static func read<T>(_ text: String, what: String, _ walk: (inout Reader, Node) -> T?) -> Result<T, RuleProblems> {
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                return .failure(RuleProblems(all: [RuleProblem(line: 1, column: 1, sentence: "\(what) is empty.")]))
            }
            root = composed
        } catch let error as YamlError {
            return .failure(RuleProblems(all: [RulesLoader.problem(from: error)]))
        } catch {
            return .failure(RuleProblems(all: [RuleProblem(line: 1, column: 1, sentence: "\(what) could not be read: \(error)")]))
        }
        var reader = Reader()
        let value = walk(&reader, root)
        if let value, reader.problems.isEmpty { return .success(value) }
        return .failure(RuleProblems(all: reader.problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) }))
    }

    mutating func report(_ node: Node?, _ sentence: String) {
        problems.append(RuleProblem(line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, sentence: sentence))
    }

    /// The mapping's entries, reporting keys that are not allowed (with the nearest allowed one).
    mutating func entries(_ node: Node, allowed: [String], what: String) -> [String: (key: Node, value: Node)] {
        guard let mapping = node.mapping else {
            report(node, "\(what) should be a set of `key: value` lines.")
            return [:]
        }
        var result: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            let name = key.string ?? ""
            if allowed.contains(name) {
                result[name] = (key, value)
            } else if let guess = nearest(name, in: allowed) {
                report(key, "Unknown key \"\(name)\" in \(what). Did you mean \"\(guess)\"?")
            } else {
                report(key, "Unknown key \"\(name)\" in \(what). Allowed here: \(allowed.joined(separator: ", ")).")
            }
        }
        return result
    }

    mutating func strings(_ node: Node, what: String) -> [String] {
        if node.null != nil || node.scalar?.string.isBlank == true {
            report(node, "\(what) has an empty entry; give a name.")
            return []
        }
        if let single = node.scalar?.string { return [single] }
        guard let sequence = node.sequence else {
            report(node, "\(what) should be a name or a list of names.")
            return []
        }
        return sequence.compactMap { item in
            if item.null == nil, let text = item.scalar?.string, !text.isBlank { return text }
            report(item, "Each entry of \(what) should be a name; this one is empty.")
            return nil
        }
    }

    mutating func values<T: RawRepresentable & CaseIterable>(_ node: Node, _ type: T.Type, what: String) -> [T] where T.RawValue == String {
        var found: [T] = []
        let sequence = node.sequence.map(Array.init) ?? [node]
        if sequence.isEmpty {
            report(node, "An empty list would match nothing here; leave the key out to match everything.")
        }
        for item in sequence {
            let text = item.scalar?.string ?? ""
            if let value = T(rawValue: text) {
                found.append(value)
            } else {
                let names = T.allCases.map(\.rawValue)
                let hint = nearest(text, in: names).map { " Did you mean \"\($0)\"?" } ?? " Known: \(names.joined(separator: ", "))."
                report(item, "\"\(text)\" is not a \(what).\(hint)")
            }
        }
        return found
    }

    mutating func duration(_ node: Node, what: String) -> RuleSet.Duration? {
        let text = (node.scalar?.string ?? "").replacingOccurrences(of: " ", with: "")
        for unit in [RuleSet.Duration.Unit.months, .hours, .days] where text.hasSuffix(unit.rawValue) {
            if let amount = Int(text.dropLast(unit.rawValue.count)), amount > 0 {
                let limit = switch unit { case .hours: 24 * 366 * 10; case .days: 366 * 10; case .months: 120 }
                guard amount <= limit else {
                    report(node, "\(what) is longer than ten years; please give a shorter time.")
                    return nil
                }
                return RuleSet.Duration(amount: amount, unit: unit)
            }
        }
        report(node, "\(what) should be a time like 24h, 7d or 3mo, not \"\(node.scalar?.string ?? "")\".")
        return nil
    }

    mutating func bool(_ node: Node, what: String) -> Bool {
        if let value = node.bool { return value }
        report(node, "\(what) should be true or false.")
        return false
    }

    mutating func int(_ node: Node, what: String) -> Int? {
        if let value = node.int, value > 0 { return value }
        report(node, "\(what) should be a whole number above 0.")
        return nil
    }

    // MARK: The file

    mutating func ruleSet(_ root: Node) -> RuleSet? {
        let top = entries(root, allowed: ["version", "roles", "independent", "fallback", "deadlines", "escalation", "routes"], what: "the rules file")
        var version = RulesLoader.supportedVersion
        if let node = top["version"]?.value {
            version = node.int ?? -1
            if version != RulesLoader.supportedVersion {
                report(node, "This SpeakUp reads rules files of version \(RulesLoader.supportedVersion); this one says \(node.scalar?.string ?? "?").")
            }
        } else {
            report(root, "The rules file needs `version: \(RulesLoader.supportedVersion)`.")
        }
        var roles: [String: RuleSet.Role] = [:]
        if let node = top["roles"]?.value {
            roles = self.roles(node)
        } else {
            report(root, "The rules file needs `roles:`, the people and groups who may handle cases.")
        }
        let roleNames = Array(roles.keys).sorted()
        var fallback: [String] = []
        if let node = top["fallback"]?.value {
            fallback = strings(node, what: "fallback")
            checkRoles(fallback, in: node, known: roleNames, what: "fallback")
            if fallback.isEmpty { report(node, "fallback needs at least one role, so that every report reaches someone.") }
        } else {
            report(root, "The rules file needs `fallback:`, the role that receives any report no route takes, so that none is ever dropped.")
        }
        var independent: [String] = roles["independent"] != nil ? ["independent"] : []
        if let node = top["independent"]?.value {
            independent = strings(node, what: "independent")
            checkRoles(independent, in: node, known: roleNames, what: "independent")
        }
        var acknowledge = RuleSet.Duration(amount: 7, unit: .days)
        var feedBack = RuleSet.Duration(amount: 3, unit: .months)
        if let node = top["deadlines"]?.value {
            let fields = entries(node, allowed: ["acknowledge_within", "feed_back_within"], what: "deadlines")
            if let value = fields["acknowledge_within"]?.value, let parsed = duration(value, what: "acknowledge_within") { acknowledge = parsed }
            if let value = fields["feed_back_within"]?.value, let parsed = duration(value, what: "feed_back_within") { feedBack = parsed }
        }
        var whenAcknowledgeMissed = RuleSet.Escalation(raiseLevel: false, notify: [])
        var whenFeedBackMissed = RuleSet.Escalation(raiseLevel: true, notify: [])
        if let node = top["escalation"]?.value {
            let fields = entries(node, allowed: ["acknowledge_missed", "feed_back_missed"], what: "escalation")
            if let value = fields["acknowledge_missed"]?.value { whenAcknowledgeMissed = escalation(value, roleNames, what: "acknowledge_missed") }
            if let value = fields["feed_back_missed"]?.value { whenFeedBackMissed = escalation(value, roleNames, what: "feed_back_missed") }
        }
        var routes: [RuleSet.Route] = []
        if let node = top["routes"]?.value {
            if let sequence = node.sequence {
                var names: Set<String> = []
                for item in sequence {
                    guard let route = route(item, roleNames) else { continue }
                    if !names.insert(route.name).inserted { report(item, "Two routes are called \"\(route.name)\"; names must differ so explanations are clear.") }
                    routes.append(route)
                }
            } else {
                report(node, "routes should be a list (each route starts with `- name:`).")
            }
        }
        return RuleSet(
            version: version, roles: roles, independent: independent, fallback: fallback, routes: routes, acknowledgeWithin: acknowledge,
            feedBackWithin: feedBack, whenAcknowledgeMissed: whenAcknowledgeMissed, whenFeedBackMissed: whenFeedBackMissed)
    }

    mutating func roles(_ node: Node) -> [String: RuleSet.Role] {
        guard let mapping = node.mapping else {
            report(node, "roles should list each role's name with its users and groups.")
            return [:]
        }
        var roles: [String: RuleSet.Role] = [:]
        for (key, value) in mapping {
            let name = key.string ?? ""
            let fields = entries(value, allowed: ["users", "groups"], what: "role \"\(name)\"")
            let users = fields["users"].map { strings($0.value, what: "users") } ?? []
            let groups = fields["groups"].map { strings($0.value, what: "groups") } ?? []
            if users.isEmpty && groups.isEmpty {
                report(key, "The role \"\(name)\" has no users and no groups, so nobody could handle what it receives.")
            }
            roles[name] = RuleSet.Role(name: name, users: users, groups: groups)
        }
        return roles
    }

    mutating func checkRoles(_ names: [String], in node: Node, known: [String], what: String) {
        let items = node.sequence.map(Array.init) ?? [node]
        for (index, name) in names.enumerated() where !known.contains(name) {
            let at = index < items.count ? items[index] : node
            let hint = nearest(name, in: known).map { " Did you mean \"\($0)\"?" } ?? " Roles: \(known.joined(separator: ", "))."
            report(at, "\(what) names the role \"\(name)\", which is not in roles.\(hint)")
        }
    }

    mutating func escalation(_ node: Node, _ roleNames: [String], what: String) -> RuleSet.Escalation {
        let fields = entries(node, allowed: ["raise_level", "notify"], what: what)
        let raise = fields["raise_level"].map { bool($0.value, what: "raise_level") } ?? false
        let notify = fields["notify"].map { strings($0.value, what: "notify") } ?? []
        if let value = fields["notify"]?.value { checkRoles(notify, in: value, known: roleNames, what: "\(what).notify") }
        return RuleSet.Escalation(raiseLevel: raise, notify: notify)
    }

    mutating func route(_ node: Node, _ roleNames: [String]) -> RuleSet.Route? {
        let fields = entries(node, allowed: ["name", "match", "level", "notify", "acknowledge_within", "feed_back_within", "continue", "exclude"], what: "a route")
        guard let name = fields["name"]?.value.scalar?.string, !name.isEmpty else {
            report(node, "Each route needs a `name:`, used in explanations.")
            return nil
        }
        let match = fields["match"].map { self.match($0.value, route: name) } ?? RuleSet.Match()
        var level = PyramidLevel.informal
        if let value = fields["level"]?.value {
            if value.sequence != nil { report(value, "level takes one pyramid level, not a list.") }
            level = values(value, PyramidLevel.self, what: "pyramid level").first ?? .informal
        }
        var notify: [String] = []
        if let value = fields["notify"]?.value {
            notify = strings(value, what: "notify")
            checkRoles(notify, in: value, known: roleNames, what: "route \"\(name)\"")
        }
        if notify.isEmpty { report(node, "The route \"\(name)\" needs `notify:`, the roles who will see what it takes.") }
        return RuleSet.Route(
            name: name, match: match, level: level, notify: notify,
            acknowledgeWithin: fields["acknowledge_within"].flatMap { duration($0.value, what: "acknowledge_within") },
            feedBackWithin: fields["feed_back_within"].flatMap { duration($0.value, what: "feed_back_within") },
            continues: fields["continue"].map { bool($0.value, what: "continue") } ?? false,
            line: node.mark?.line ?? 0,
            excludeSubjectManagers: fields["exclude"].flatMap { exclusion($0.value) })
    }

    /// `exclude: subject-managers` (every level above the subject) or
    /// `exclude: { subject-managers: 2 }` (the two levels above).
    mutating func exclusion(_ node: Node) -> Int? {
        if node.scalar?.string == "subject-managers" { return Int.max }
        if node.mapping != nil {
            let fields = entries(node, allowed: ["subject-managers"], what: "exclude")
            return fields["subject-managers"].flatMap { int($0.value, what: "subject-managers (how many levels of managers)") }
        }
        report(node, "exclude takes `subject-managers` (every manager above the subject) or `{ subject-managers: 2 }` (that many levels).")
        return nil
    }

    mutating func match(_ node: Node, route: String) -> RuleSet.Match {
        let fields = entries(node, allowed: ["concerns", "harm", "seniority", "location", "way_of_raising", "pattern"], what: "match of route \"\(route)\"")
        var match = RuleSet.Match()
        if let value = fields["concerns"]?.value { match.concerns = values(value, ConcernCategory.self, what: "concern category") }
        if let value = fields["harm"]?.value { match.harm = values(value, PatientHarm.self, what: "kind of harm") }
        if let value = fields["way_of_raising"]?.value { match.ways = values(value, WayOfRaising.self, what: "way of raising") }
        if let value = fields["location"]?.value { match.locations = strings(value, what: "location") }
        if let value = fields["seniority"]?.value { match.seniority = seniorityTest(value) }
        if let value = fields["pattern"]?.value {
            let parts = entries(value, allowed: ["at_least", "within"], what: "pattern")
            if let count = parts["at_least"].flatMap({ int($0.value, what: "at_least") }),
                let within = parts["within"].flatMap({ duration($0.value, what: "within") }) {
                match.pattern = RuleSet.Pattern(atLeast: count, within: within)
            } else if parts["at_least"] == nil || parts["within"] == nil {
                report(value, "pattern needs both at_least (how many reports) and within (over what time, e.g. 28mo).")
            }
        }
        return match
    }

    mutating func seniorityTest(_ node: Node) -> RuleSet.SeniorityTest? {
        let text = (node.scalar?.string ?? "").trimmingCharacters(in: .whitespaces)
        let comparison = RuleSet.SeniorityTest.Comparison.allCases
            .sorted { $0.rawValue.count > $1.rawValue.count }
            .first { text.hasPrefix($0.rawValue) } ?? .exactly
        let name = text.dropFirst(text.hasPrefix(comparison.rawValue) ? comparison.rawValue.count : 0).trimmingCharacters(in: .whitespaces)
        guard let seniority = Seniority(rawValue: name) else {
            let hint = nearest(name, in: Seniority.allCases.map(\.rawValue)).map { " Did you mean \"\($0)\"?" } ?? ""
            report(node, "\"\(name)\" is not a seniority.\(hint) Write a test like \">= executive\".")
            return nil
        }
        let test = RuleSet.SeniorityTest(comparison: comparison, seniority: seniority)
        if Seniority.ladder.filter({ test.holds(for: $0) }).isEmpty {
            report(node, "No seniority is \(text): this route could never match.")
        }
        return test
    }
}
