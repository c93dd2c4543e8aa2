import Foundation

/// How a return's quarters fall in the year. A quarter is written `2026Q3`: the year its
/// year starts in, `Q`, and 1 to 4. With the NHS financial year (`firstMonth` 4, April),
/// `2026Q1` is April to June 2026, `2026Q3` October to December 2026 and `2026Q4` January
/// to March 2027, exactly as `Quarter.first` and `Quarter.last` have them; with
/// `firstMonth` 1, `2026Q1` is January to March 2026.
public struct QuarterScheme: Hashable, Sendable {
    /// The month the year starts in, 1 to 12.
    public let firstMonth: Int

    public init?(firstMonth: Int) {
        guard (1...12).contains(firstMonth) else { return nil }
        self.firstMonth = firstMonth
    }

    /// The NHS financial year: April to March.
    public static let financial = QuarterScheme(firstMonth: 4)!

    public static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    ]

    /// The first day of the quarter `offset` quarters after `quarter`'s.
    private func start(of quarter: Quarter, plus offset: Int = 0) -> CalendarDay {
        let months = firstMonth - 1 + 3 * (quarter.number - 1 + offset)
        return CalendarDay(year: quarter.year + months / 12, month: months % 12 + 1, day: 1)!
    }

    public func first(of quarter: Quarter) -> CalendarDay { start(of: quarter) }

    public func last(of quarter: Quarter) -> CalendarDay { start(of: quarter, plus: 1).adding(days: -1) }

    public func contains(_ day: CalendarDay, in quarter: Quarter) -> Bool {
        day >= first(of: quarter) && day <= last(of: quarter)
    }

    /// "Q3 2026/27: 1 October 2026 to 31 December 2026" (or "Q3 2026: …" for a calendar year).
    public func title(of quarter: Quarter) -> String {
        let first = first(of: quarter), last = last(of: quarter)
        let next = String((quarter.year + 1) % 100)
        let year = firstMonth == 1 ? "\(quarter.year)" : "\(quarter.year)/\(next.count == 1 ? "0" + next : next)"
        func month(_ day: CalendarDay) -> String { QuarterScheme.monthNames[day.month - 1].capitalized }
        return "Q\(quarter.number) \(year): \(first.day) \(month(first)) \(first.year) to \(last.day) \(month(last)) \(last.year)"
    }
}

/// A national return as data (docs/governance.md): what it is called, how its quarters fall,
/// and its measures, each counted from `CaseFacts` by a filter. Read from a definition file by
/// `ReturnDefinitionLoader` (SpeakUpRules); the default is NHS England's quarterly Freedom to
/// Speak Up return (docs/returns/nhse-ftsu-quarterly.yaml).
public struct ReturnDefinition: Hashable, Sendable {
    /// What a measure counts.
    public enum Counted: String, CaseIterable, Sendable {
        /// Cases raised in the quarter.
        case cases
        /// Feedback answers ("would you speak up again?") given in the quarter.
        case answers
        /// Reporters' descriptions of themselves (`ReporterCharacteristics`) given in the quarter's months.
        case descriptions
        /// Answers to the detriment check-ins (1, 3 and 6 months after a case closed) given in the
        /// quarter: one case may give up to three.
        case checkIns = "check-ins"
    }

    /// Which facts a measure counts: every field given must hold (and), any of a field's
    /// values will do (or). A field left out (nil) holds for every case.
    public struct Filter: Hashable, Sendable {
        public var ways: Set<WayOfRaising>?
        /// Any of these among the case's categories (a case may have several).
        public var categories: Set<ConcernCategory>?
        /// nil in the set stands for "not given" (anonymous reporters, and those who did not say).
        public var groups: Set<ProfessionalGroup?>?
        public var answers: Set<SpeakUpAgain>?
        /// For descriptions: the answers (short names) each question must have, any of them.
        public var characteristics: [Characteristic: Set<String>]?
        /// Answers to the detriment check-ins (with `Counted.checkIns`).
        public var checkIns: Set<DetrimentCheckIn.Answer>?

        public init(ways: Set<WayOfRaising>? = nil, categories: Set<ConcernCategory>? = nil,
                    groups: Set<ProfessionalGroup?>? = nil, answers: Set<SpeakUpAgain>? = nil, checkIns: Set<DetrimentCheckIn.Answer>? = nil,
                    characteristics: [Characteristic: Set<String>]? = nil) {
            self.ways = ways
            self.categories = categories
            self.groups = groups
            self.answers = answers
            self.checkIns = checkIns
            self.characteristics = characteristics
        }

        /// Whether a reporter's description of themselves holds every answer asked for.
        public func matches(_ description: ReporterCharacteristics) -> Bool {
            (characteristics ?? [:]).allSatisfy { question, answers in answers.contains(description.answer(to: question).id) }
        }

        public func matches(_ fact: CaseFacts) -> Bool {
            (ways?.contains(fact.wayOfRaising) ?? true)
                && (categories.map { !$0.isDisjoint(with: fact.concerns) } ?? true)
                && (groups?.contains(fact.professionalGroup) ?? true)
                && (answers.map { answer in fact.speakUpAgain.map(answer.contains) ?? false } ?? true)
        }

        /// A case both filters would count, in words, or nil when none can be. Categories never
        /// keep two filters apart, since one case may have any number of them; the fields with
        /// one value a case (way, professional group, answer) do when their values have none in common.
        public func sharedCase(with other: Filter) -> String? {
            func both<T: Hashable>(_ a: Set<T>?, _ b: Set<T>?) -> Set<T>? {
                switch (a, b) {
                case (nil, nil): nil
                case (let a?, nil): a
                case (nil, let b?): b
                case (let a?, let b?): a.intersection(b)
                }
            }
            let ways = both(self.ways, other.ways), groups = both(self.groups, other.groups), answers = both(self.answers, other.answers)
            let checkIns = both(self.checkIns, other.checkIns)
            if ways?.isEmpty == true || groups?.isEmpty == true || answers?.isEmpty == true || checkIns?.isEmpty == true { return nil }
            var described: [String] = []
            for question in Characteristic.allCases {
                guard let shared = both(characteristics?[question], other.characteristics?[question]) else { continue }
                guard let answer = shared.sorted().first else { return nil }
                described.append("\(question.rawValue) \(answer)")
            }
            var words: [String] = []
            if let way = ways?.map(\.rawValue).sorted().first { words.append("raised \(way)ly") }  // openly, confidentially, anonymously
            let categories = (self.categories ?? []).union(other.categories ?? []).map(\.rawValue).sorted()
            if !categories.isEmpty { words.append("about " + categories.joined(separator: " and ")) }
            if let group = groups?.map({ $0?.rawValue ?? "not-given" }).sorted().first { words.append("from professional group \(group)") }
            if let answer = answers?.map(\.rawValue).sorted().first { words.append("answered \(answer)") }
            if let answer = checkIns?.map(\.rawValue).sorted().first { words.append("a check-in answered \(answer)") }
            if characteristics != nil || other.characteristics != nil {
                return described.isEmpty ? "any description" : "a description with " + described.joined(separator: ", ")
            }
            return words.isEmpty ? "any case" : "a case " + words.joined(separator: ", ")
        }
    }

    public struct Measure: Hashable, Sendable {
        /// A short name that never changes, for the return's rows: `anonymous`.
        public var id: String
        /// The words the return uses: "Cases raised anonymously".
        public var label: String
        public var counts: Counted
        public var filter: Filter

        public init(id: String, label: String, counts: Counted, filter: Filter = Filter()) {
            self.id = id
            self.label = label
            self.counts = counts
            self.filter = filter
        }

        /// How many of `facts` (or, for descriptions, of `described`: those given in the quarter's
        /// months) this measure counts in the quarter.
        public func count(_ facts: [CaseFacts], described: [ReporterCharacteristics] = [], in quarter: Quarter, scheme: QuarterScheme) -> Int {
            if counts == .descriptions { return described.filter(filter.matches).count }
            if counts == .checkIns {
                // Each answer given in the quarter, of a case the other fields fit.
                return facts.reduce(0) { total, fact in
                    guard filter.matches(fact) else { return total }
                    return total + fact.checkIns.filter { scheme.contains($0.day, in: quarter) && (filter.checkIns?.contains($0.answer) ?? true) }.count
                }
            }
            return facts.reduce(0) { total, fact in
                let day: CalendarDay? = switch counts {
                case .cases: fact.submitted
                case .answers: fact.speakUpAgain == nil ? nil : fact.answeredOn
                case .descriptions, .checkIns: nil  // counted above
                }
                guard let day, scheme.contains(day, in: quarter), filter.matches(fact) else { return total }
                return total + 1
            }
        }
    }

    /// Measures that must never count the same case, such as the professional groups.
    public struct ExclusiveSet: Hashable, Sendable {
        public var name: String
        public var measures: [String]

        public init(name: String, measures: [String]) {
            self.name = name
            self.measures = measures
        }
    }

    public var name: String
    /// The return's own version, as its publisher names it.
    public var version: String
    public var quarters: QuarterScheme
    public var measures: [Measure]
    public var exclusive: [ExclusiveSet]

    public init(name: String, version: String, quarters: QuarterScheme, measures: [Measure], exclusive: [ExclusiveSet] = []) {
        self.name = name
        self.version = version
        self.quarters = quarters
        self.measures = measures
        self.exclusive = exclusive
    }
}

/// A quarter's return, counted from a definition: counts only, never any words a person
/// typed. Counts from 1 to 4 are written `<5`, as in the statistics (`CaseStatistics.shown`).
public struct ReturnFigures: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public var id: String
        public var label: String
        public var counts: ReturnDefinition.Counted
        /// The exact count; write `shown` instead.
        public var count: Int
        public var shown: String { CaseStatistics.shown(count) }
        public var suppressed: Bool { shown != String(count) }
    }

    public let definition: ReturnDefinition
    public let quarter: Quarter
    public let lines: [Line]

    /// - Parameter described: reporters' descriptions of themselves given in the quarter's months.
    public init(definition: ReturnDefinition, quarter: Quarter, facts: [CaseFacts], described: [ReporterCharacteristics] = []) {
        self.definition = definition
        self.quarter = quarter
        lines = definition.measures.map { measure in
            Line(id: measure.id, label: measure.label, counts: measure.counts,
                 count: measure.count(facts, described: described, in: quarter, scheme: definition.quarters))
        }
    }

    /// `id,label,count`, one line a measure, with a header.
    public var csv: String {
        func field(_ text: String) -> String {
            text.contains(where: { ",\"\r\n".contains($0) }) || text.first == " " || text.last == " "
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        return (["id,label,count"] + lines.map { "\(field($0.id)),\(field($0.label)),\($0.shown)" }).joined(separator: "\n") + "\n"
    }

    /// The JSON document of docs/export-format.md ("The quarterly return").
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Document(figures: self))
    }

    private struct Document: Encodable {
        let figures: ReturnFigures

        enum Keys: String, CodingKey {
            case returnName = "return", version, quarter, firstDay = "first_day", lastDay = "last_day", suppressedBelow = "suppressed_below", measures
        }
        enum MeasureKeys: String, CodingKey { case id, label, counts, count, shown }

        func encode(to encoder: Encoder) throws {
            var top = encoder.container(keyedBy: Keys.self)
            let definition = figures.definition
            try top.encode(definition.name, forKey: .returnName)
            try top.encode(definition.version, forKey: .version)
            try top.encode(figures.quarter.description, forKey: .quarter)
            try top.encode(definition.quarters.first(of: figures.quarter).description, forKey: .firstDay)
            try top.encode(definition.quarters.last(of: figures.quarter).description, forKey: .lastDay)
            try top.encode(CaseStatistics.suppressBelow, forKey: .suppressedBelow)
            var measures = top.nestedUnkeyedContainer(forKey: .measures)
            for line in figures.lines {
                var measure = measures.nestedContainer(keyedBy: MeasureKeys.self)
                try measure.encode(line.id, forKey: .id)
                try measure.encode(line.label, forKey: .label)
                try measure.encode(line.counts.rawValue, forKey: .counts)
                if line.suppressed { try measure.encodeNil(forKey: .count) } else { try measure.encode(line.count, forKey: .count) }
                try measure.encode(line.shown, forKey: .shown)
            }
        }
    }
}
