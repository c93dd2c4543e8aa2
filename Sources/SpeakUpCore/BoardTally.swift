/// The counts `BoardReport` is made from, for one quarter: filled either case by case from
/// `CaseFacts` (what `BoardReport.init(quarter:facts:)` does) or from counts an engine made in
/// SQL over its board columns (`Workspace.boardTally`). One set of rules decides what each
/// figure counts, whichever way it was filled, so the Core tests still say what each figure means.
///
/// Every `add` takes a `count`: a group of cases alike in everything the figure reads.
public struct BoardTally: Sendable {
    public let quarter: Quarter
    /// The three quarters before `quarter`, then `quarter` (fewer at the start of the calendar).
    public let quarters: [Quarter]
    var raised: [Int]
    var detriment: [Int]
    var byMonth = [0, 0, 0]
    var acknowledge = BoardReport.Timing()
    var close = BoardReport.Timing()
    var rows = Dictionary(uniqueKeysWithValues: Seniority.allCases.map { ($0, BoardReport.Row(seniority: $0)) })
    var answers: [SpeakUpAgain: Int] = [:]
    var checkIns: [DetrimentCheckIn.Answer: Int] = [:]

    public init(quarter: Quarter) {
        self.quarter = quarter
        var earlier = [quarter]
        while earlier.count < 4, let before = earlier[0].previous { earlier.insert(before, at: 0) }
        quarters = earlier
        raised = [Int](repeating: 0, count: earlier.count)
        detriment = raised
    }

    /// The first day any of the four quarters counts, and the last.
    public var span: (first: CalendarDay, last: CalendarDay) { (quarters[0].first, quarter.last) }

    /// Cases raised on `day` (outside the four quarters: not counted), with the detriment category or not.
    public mutating func addRaised(on day: CalendarDay, detriment hasDetriment: Bool, count: Int = 1) {
        guard day >= span.first, day <= span.last, let index = quarters.lastIndex(where: { $0.contains(day) }) else { return }
        raised[index] += count
        if hasDetriment { detriment[index] += count }
        if index == quarters.count - 1 { byMonth[(day.month - quarter.first.month + 12) % 12] += count }
    }

    /// Cases raised in the quarter itself (also counted by `addRaised`), by how senior the person
    /// they are about is, the highest level they reached, and how their deadlines went: days to
    /// acknowledge or close (nil when not yet) and whether that was, or already is, late.
    public mutating func addCase(seniority: Seniority, highestLevel: PyramidLevel,
                                 acknowledgedAfterDays: Double?, acknowledgedLate: Bool,
                                 closedAfterDays: Double?, closedLate: Bool, count: Int = 1) {
        acknowledge.add(afterDays: acknowledgedAfterDays, late: acknowledgedLate, count: count)
        close.add(afterDays: closedAfterDays, late: closedLate, count: count)
        rows[seniority]!.cases += count
        rows[seniority]!.acknowledge.add(afterDays: acknowledgedAfterDays, late: acknowledgedLate, count: count)
        rows[seniority]!.close.add(afterDays: closedAfterDays, late: closedLate, count: count)
        rows[seniority]!.levels[highestLevel, default: 0] += count
    }

    /// Answers to "would you speak up again?" given in the quarter (whenever the case was raised).
    public mutating func addAnswer(_ answer: SpeakUpAgain, seniority: Seniority, count: Int = 1) {
        answers[answer, default: 0] += count
        rows[seniority]!.again.of += count
        if answer == .yes { rows[seniority]!.again.count += count }
    }

    /// Answers to detriment check-ins given in the quarter.
    public mutating func addCheckIn(_ answer: DetrimentCheckIn.Answer, count: Int = 1) {
        checkIns[answer, default: 0] += count
    }

    /// One case's facts, counted where they belong.
    public mutating func add(_ fact: CaseFacts) {
        for checkIn in fact.checkIns where quarter.contains(checkIn.day) { addCheckIn(checkIn.answer) }
        if let answer = fact.speakUpAgain, let day = fact.answeredOn, quarter.contains(day) {
            addAnswer(answer, seniority: fact.subjectSeniority)
        }
        addRaised(on: fact.submitted, detriment: fact.concerns.contains(.detriment))
        guard quarter.contains(fact.submitted) else { return }
        addCase(seniority: fact.subjectSeniority, highestLevel: fact.highestLevel,
                acknowledgedAfterDays: fact.acknowledgedAfterDays, acknowledgedLate: fact.acknowledgedLate,
                closedAfterDays: fact.closedAfterDays, closedLate: fact.closedLate)
    }
}
