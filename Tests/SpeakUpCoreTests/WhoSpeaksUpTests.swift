import Testing
@testable import SpeakUpCore

@Suite("Who speaks up: reporters' own descriptions, counted with small numbers hidden")
struct WhoSpeaksUpTests {
    static func described(_ answers: [Characteristic: String]) -> ReporterCharacteristics { ReporterCharacteristics(answers)! }

    @Test("every question starts at \"prefer not to say\", and an answer a question does not have is refused")
    func answers() {
        let none = ReporterCharacteristics()
        for question in Characteristic.allCases {
            #expect(none.answer(to: question) == Characteristic.preferNotToSay)
            #expect(question.answers.first == Characteristic.preferNotToSay)
            #expect(Set(question.answers.map(\.id)).count == question.answers.count, "\(question) has an answer twice")
        }
        #expect(none.isEmpty)
        #expect(ReporterCharacteristics([.sex: "martian"]) == nil)
        #expect(ReporterCharacteristics([.sex: "prefer-not-to-say"])?.isEmpty == true, "choosing \"prefer not to say\" keeps nothing")
    }

    @Test("← and → go round each question's answers, both ways")
    func stepping() {
        var described = ReporterCharacteristics()
        described.step(.disability, by: 1)
        #expect(described.answer(to: .disability).id == "yes")
        described.step(.disability, by: 1)
        described.step(.disability, by: 1)
        #expect(described.answer(to: .disability) == Characteristic.preferNotToSay, "round to the start")
        #expect(described.isEmpty)
        described.step(.ageBand, by: -1)
        #expect(described.answer(to: .ageBand).id == "65-plus", "left from the start goes to the end")
        #expect(described.summary == "65 or over")
    }

    @Test("counts by hand: 12 descriptions, every cell checked")
    func handCount() {
        let descriptions = Array(repeating: Self.described([.ethnicGroup: "white", .sex: "female"]), count: 7)
            + Array(repeating: Self.described([.ethnicGroup: "asian", .sex: "male"]), count: 5)
        let who = WhoSpeaksUp(descriptions)
        #expect(who.described == 12)
        let ethnic = who.shown(.ethnicGroup)
        #expect(ethnic.map(\.shown) == ["0", "7", "0", "5", "0", "0"])
        #expect(who.shown(.sex).map(\.shown) == ["0", "7", "5"])
        #expect(who.shown(.religion).map(\.shown) == ["12", "0", "0", "0", "0", "0", "0", "0", "0"])
    }

    @Test("a count from 1 to 4 is hidden, and when it is the only one hidden so is the next smallest, so the total cannot give it away")
    func suppression() {
        let descriptions = Array(repeating: Self.described([.disability: "no"]), count: 9) + [Self.described([.disability: "yes"])] * 2
        let who = WhoSpeaksUp(descriptions)
        // prefer not to say 0, yes 2, no 9: yes is hidden, and with it "no" (the smallest other above 0).
        #expect(who.shown(.disability).map(\.shown) == ["0", "<5", "*"])
        // Two small cells hide each other: nothing more is hidden.
        let two = WhoSpeaksUp([Self.described([.sex: "female"])] * 3 + [Self.described([.sex: "male"])] * 2 + [ReporterCharacteristics()] * 8)
        #expect(two.shown(.sex).map(\.shown) == ["8", "<5", "<5"])
    }

    @Test("with fewer than 5 descriptions in all, nothing is shown, not even which answers nobody gave")
    func fewInAll() {
        let who = WhoSpeaksUp([Self.described([.ethnicGroup: "asian"])] * 3)
        #expect(who.shown(.ethnicGroup).allSatisfy { $0.shown == "*" })
        let lines = who.lines(width: 80)
        #expect(lines.contains { $0.contains("not shown, since so few could be recognised") })
        #expect(!lines.joined().contains("Asian"))
    }

    @Test("the board shows the section, each line within the width, and its cells in the CSV")
    func onTheBoard() {
        let descriptions = [Self.described([.ethnicGroup: "black", .training: "overseas"])] * 6
        let board = BoardReport(quarter: Quarter(year: 2026, number: 3)!, facts: [], described: descriptions)
        let lines = board.lines(width: 80)
        #expect(lines.contains { $0.hasPrefix("Who speaks up") })
        #expect(lines.contains { $0.contains("Black, Black British, Caribbean or African 6") })
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 })")
        #expect(board.csv.contains("2026Q3,reporters' own description: training,overseas,6"))
        #expect(board.csv.contains("2026Q3,reporters' own description: descriptions given,all,6"))
    }
}

private func * <T>(items: [T], count: Int) -> [T] { (0..<count).flatMap { _ in items } }
