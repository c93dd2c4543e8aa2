import SpeakUpCore
import Yams

/// Reads a return definition file (docs/governance.md, "The national return"), giving every
/// problem with its line and column, the way `RulesLoader` reads rules.
public enum ReturnDefinitionLoader {
    public static let supportedFormat = 1

    public static func load(_ text: String) -> Result<ReturnDefinition, RuleProblems> {
        Reader.read(text, what: "The return definition") { reader, root in reader.returnDefinition(root) }
    }
}

extension Reader {
    mutating func returnDefinition(_ root: Node) -> ReturnDefinition? {
        let top = entries(root, allowed: ["format", "name", "version", "quarters", "measures", "exclusive"], what: "the return definition")
        if let node = top["format"]?.value {
            if node.int != ReturnDefinitionLoader.supportedFormat {
                report(node, "This SpeakUp reads return definitions of format \(ReturnDefinitionLoader.supportedFormat); this one says \(node.scalar?.string ?? "something else").")
            }
        } else {
            report(root, "The return definition needs `format: \(ReturnDefinitionLoader.supportedFormat)`.")
        }
        var name: String?, version: String?
        if let node = top["name"]?.value {
            name = oneLine(node, what: "name")
        } else {
            report(root, "The return definition needs `name:`, the return's name as its publisher gives it.")
        }
        if let node = top["version"]?.value {
            version = oneLine(node, what: "version")
        } else {
            report(root, "The return definition needs `version:`, the return's version as its publisher gives it, such as \"2026/27\".")
        }
        var scheme: QuarterScheme?
        if let node = top["quarters"]?.value {
            scheme = quarterScheme(node)
        } else {
            report(root, "The return definition needs `quarters:` with the month its year starts in, such as `quarters: {first-month: april}`.")
        }
        var measures: [ReturnDefinition.Measure] = []
        var idNodes: [String: Node] = [:]
        if let node = top["measures"]?.value {
            if let sequence = node.sequence, !sequence.isEmpty {
                for item in sequence {
                    if let measure = measure(item, seen: &idNodes) { measures.append(measure) }
                }
            } else {
                report(node, "measures should be a list of measures, each with an id, a label and what it counts.")
            }
        } else {
            report(root, "The return definition needs `measures:`, the figures the return asks for.")
        }
        var exclusive: [ReturnDefinition.ExclusiveSet] = []
        if let node = top["exclusive"]?.value {
            exclusive = exclusiveSets(node, measures: measures)
        }
        guard let name, let version, let scheme else { return nil }
        return ReturnDefinition(name: name, version: version, quarters: scheme, measures: measures, exclusive: exclusive)
    }

    /// A non-empty scalar on one line, without control characters.
    private mutating func oneLine(_ node: Node, what: String) -> String? {
        guard node.null == nil, let text = node.scalar?.string, !text.isBlank else {
            report(node, "\(what) should be words on one line; this is empty or not text.")
            return nil
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }),
              text.count <= 200
        else {
            report(node, "\(what) should be words on one line, at most 200 characters, with no control characters.")
            return nil
        }
        return text
    }

    private mutating func quarterScheme(_ node: Node) -> QuarterScheme? {
        let fields = entries(node, allowed: ["first-month"], what: "quarters")
        guard let month = fields["first-month"]?.value else {
            if node.mapping != nil {
                report(node, "quarters needs `first-month:`, the month the year starts in (april for the NHS financial year).")
            }
            return nil
        }
        let text = month.scalar?.string.lowercased() ?? ""
        if let number = Int(text) {
            if let scheme = QuarterScheme(firstMonth: number) { return scheme }
            report(month, "first-month should be a month from 1 to 12 (or its name, such as april), not \(number).")
            return nil
        }
        if let index = QuarterScheme.monthNames.firstIndex(of: text) { return QuarterScheme(firstMonth: index + 1) }
        let hint = nearest(text, in: QuarterScheme.monthNames).map { " Did you mean \"\($0)\"?" } ?? ""
        report(month, "first-month should be a month's name, such as april, or its number from 1 to 12, not \"\(month.scalar?.string ?? "")\".\(hint)")
        return nil
    }

    private mutating func measure(_ node: Node, seen: inout [String: Node]) -> ReturnDefinition.Measure? {
        let fields = entries(node, allowed: ["id", "label", "count", "where"], what: "a measure")
        guard node.mapping != nil else { return nil }
        var id: String?
        if let idNode = fields["id"]?.value {
            let text = idNode.scalar?.string ?? ""
            if text.isEmpty || !text.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }) {
                report(idNode, "A measure's id should be lower-case letters, digits and hyphens, such as group-nursing, not \"\(text)\".")
            } else if let earlier = seen[text] {
                report(idNode, "The measure id \"\(text)\" is already used on line \(earlier.mark?.line ?? 1); each measure needs its own id.")
            } else {
                seen[text] = idNode
                id = text
            }
        } else {
            report(node, "This measure needs an `id:`, a short name that never changes, such as anonymous.")
        }
        var label: String?
        if let labelNode = fields["label"]?.value {
            label = oneLine(labelNode, what: "A measure's label")
        } else {
            report(node, "This measure needs a `label:`, the words the return uses for it.")
        }
        var counts: ReturnDefinition.Counted?
        if let countNode = fields["count"]?.value {
            let text = countNode.scalar?.string ?? ""
            counts = ReturnDefinition.Counted(rawValue: text)
            if counts == nil {
                let kinds = ReturnDefinition.Counted.allCases.map(\.rawValue)
                let hint = nearest(text, in: kinds).map { "Did you mean \"\($0)\"?" }
                    ?? "Use cases (cases raised in the quarter), answers (speak-up-again answers given in it), check-ins (answers to the detriment check-ins given in it) or descriptions (reporters' descriptions of themselves given in it)."
                report(countNode, "A measure cannot count \"\(text)\". \(hint)")
            }
        } else {
            report(node, "This measure needs `count: cases`, `count: answers`, `count: check-ins` or `count: descriptions`.")
        }
        var filter = ReturnDefinition.Filter()
        if let whereNode = fields["where"]?.value {
            filter = self.filter(whereNode, counts: counts)
        }
        guard let id, let label, let counts else { return nil }
        return ReturnDefinition.Measure(id: id, label: label, counts: counts, filter: filter)
    }

    private mutating func filter(_ node: Node, counts: ReturnDefinition.Counted?) -> ReturnDefinition.Filter {
        let questions = Characteristic.allCases.map(\.rawValue)
        let fields = entries(node, allowed: ["way", "category", "professional-group", "speak-up-again", "check-in"] + questions, what: "where")
        var filter = ReturnDefinition.Filter()
        for question in Characteristic.allCases {
            guard let entry = fields[question.rawValue] else { continue }
            guard counts == .descriptions else {
                report(entry.key, "\(question.rawValue) picks reporters' descriptions of themselves, which are kept apart from their cases: use it with `count: descriptions`.")
                continue
            }
            filter.characteristics = filter.characteristics ?? [:]
            filter.characteristics?[question] = Set(characteristicAnswers(entry.value, question))
        }
        if counts == .descriptions {
            for key in ["way", "category", "professional-group", "speak-up-again"] {
                guard let entry = fields[key] else { continue }
                report(entry.key, "\(key) is about cases, but reporters' descriptions of themselves are kept apart from their cases, so it cannot pick descriptions. Use \(questions.joined(separator: ", ")).")
            }
        }
        if let value = fields["way"]?.value { filter.ways = Set(values(value, WayOfRaising.self, what: "way of raising a concern")) }
        if let value = fields["category"]?.value { filter.categories = Set(values(value, ConcernCategory.self, what: "category")) }
        if let value = fields["professional-group"]?.value { filter.groups = professionalGroups(value) }
        if let entry = fields["speak-up-again"] {
            filter.answers = Set(values(entry.value, SpeakUpAgain.self, what: "speak-up-again answer"))
            if counts == .cases || counts == .checkIns {
                report(entry.key, "speak-up-again picks feedback answers, which are counted in the quarter they are given: use it with `count: answers`.")
            }
        }
        if let entry = fields["check-in"] {
            filter.checkIns = Set(values(entry.value, DetrimentCheckIn.Answer.self, what: "check-in answer"))
            if let counts, counts != .checkIns {
                report(entry.key, "check-in picks answers to the detriment check-ins, which are counted in the quarter they are given: use it with `count: check-ins`.")
            }
        }
        return filter
    }

    /// One question's answers, by their short names.
    private mutating func characteristicAnswers(_ node: Node, _ question: Characteristic) -> [String] {
        let sequence = node.sequence.map(Array.init) ?? [node]
        if sequence.isEmpty { report(node, "An empty list would match nothing here; leave the key out to match everything.") }
        let names = question.answers.map(\.id)
        return sequence.compactMap { item in
            let text = item.scalar?.string ?? ""
            if names.contains(text) { return text }
            let hint = nearest(text, in: names).map { " Did you mean \"\($0)\"?" } ?? " Known: \(names.joined(separator: ", "))."
            report(item, "\"\(text)\" is not an answer to \(question.rawValue).\(hint)")
            return nil
        }
    }

    /// Professional groups, and `not-given` for reporters who gave none (anonymous reports among them).
    private mutating func professionalGroups(_ node: Node) -> Set<ProfessionalGroup?> {
        var found: Set<ProfessionalGroup?> = []
        let sequence = node.sequence.map(Array.init) ?? [node]
        if sequence.isEmpty { report(node, "An empty list would match nothing here; leave the key out to match everything.") }
        let names = ProfessionalGroup.allCases.map(\.rawValue) + ["not-given"]
        for item in sequence {
            let text = item.scalar?.string ?? ""
            if text == "not-given" {
                found.insert(nil)
            } else if let group = ProfessionalGroup(rawValue: text) {
                found.insert(group)
            } else {
                let hint = nearest(text, in: names).map { " Did you mean \"\($0)\"?" } ?? " Known: \(names.joined(separator: ", "))."
                report(item, "\"\(text)\" is not a professional group.\(hint)")
            }
        }
        return found
    }

    /// `name: [measure ids]`: sets of measures that must never count the same case, checked
    /// from their `where` clauses.
    private mutating func exclusiveSets(_ node: Node, measures: [ReturnDefinition.Measure]) -> [ReturnDefinition.ExclusiveSet] {
        guard let mapping = node.mapping else {
            report(node, "exclusive should name sets of measures that must never count the same case, such as `exclusive: {professional-group: [group-nursing, group-medical]}`.")
            return []
        }
        let byID = Dictionary(measures.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var sets: [ReturnDefinition.ExclusiveSet] = []
        for (key, value) in mapping {
            let name = key.string ?? ""
            var members: [(node: Node, measure: ReturnDefinition.Measure)] = []
            let items = value.sequence.map(Array.init) ?? []
            if items.count < 2 {
                report(value, "The exclusive set \"\(name)\" should list at least two measure ids, such as [feedback-yes, feedback-no].")
            }
            for item in items {
                let id = item.scalar?.string ?? ""
                if let measure = byID[id] {
                    if members.contains(where: { $0.measure.id == id }) {
                        report(item, "\"\(id)\" is listed twice in the exclusive set \"\(name)\".")
                    } else {
                        members.append((item, measure))
                    }
                } else {
                    let hint = nearest(id, in: measures.map(\.id)).map { " Did you mean \"\($0)\"?" } ?? ""
                    report(item, "The exclusive set \"\(name)\" lists \"\(id)\", which is not one of the measures.\(hint)")
                }
            }
            for (index, later) in members.enumerated() {
                for earlier in members[..<index] {
                    if earlier.measure.counts != later.measure.counts {
                        report(later.node, "\"\(earlier.measure.id)\" counts \(earlier.measure.counts.rawValue) and \"\(later.measure.id)\" counts \(later.measure.counts.rawValue): the measures of the exclusive set \"\(name)\" should all count the same thing.")
                    } else if let shared = earlier.measure.filter.sharedCase(with: later.measure.filter) {
                        let apart = later.measure.counts == .descriptions
                            ? "Give them different answers to one question, such as ethnic-group: white and ethnic-group: asian"
                            : "Give them different values of way, professional-group or speak-up-again (categories cannot keep them apart: a case may have several)"
                        report(later.node, "\"\(earlier.measure.id)\" and \"\(later.measure.id)\" could both count \(shared), but the set \"\(name)\" says they must not overlap. \(apart), or take one out of the set.")
                    }
                }
            }
            sets.append(ReturnDefinition.ExclusiveSet(name: name, measures: members.map(\.measure.id)))
        }
        return sets
    }
}
