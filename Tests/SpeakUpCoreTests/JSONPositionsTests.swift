import Testing
@testable import SpeakUpCore

@Suite("JSON positions: where each value of an import file starts, by line and character")
struct JSONPositionsTests {
    /// Where `needle` first occurs in `text`, as a person would count it: lines from 1, characters from 1.
    static func spot(_ needle: String, in text: String) -> JSONPositions.Position? {
        guard let range = text.range(of: needle) else { return nil }
        let before = text[..<range.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let column = before.split(separator: "\n", omittingEmptySubsequences: false).last.map { $0.unicodeScalars.count } ?? 0
        return JSONPositions.Position(line: line, column: column + 1)
    }

    @Test("on one long line, several lines, after multi-byte characters and a byte-order mark, each value's place is counted as a person would")
    func places() throws {
        let oneLine = #"[{"a": "Zoë ñ 名前", "b": [1, 2, {"c": "ü"}], "d": true}, {"a": "second", "b": [], "d": null}]"#
        let lines = "[\n  {\"a\": \"Zoë\",\n   \"b\": [1,\n         2, {\"c\": \"名前\"}],\n \"d\": true},\n  {\"a\": \"second\", \"b\": [], \"d\": null}\n]"
        for text in [oneLine, lines] {
            let positions = try JSONPositions.of(Array(text.utf8)).get()
            #expect(positions[["0", "a"]] == Self.spot("\"Zo", in: text))
            #expect(positions[["0", "b", "2", "c"]] == Self.spot(text == oneLine ? "\"ü\"" : "\"名前\"", in: text))
            #expect(positions[["0", "d"]] == Self.spot("true", in: text))
            #expect(positions[["1", "a"]] == Self.spot("\"second\"", in: text))
            #expect(positions[["1", "d"]] == Self.spot("null", in: text))
        }
        let marked = try JSONPositions.of([0xEF, 0xBB, 0xBF] + Array(oneLine.utf8)).get()
        #expect(marked[["1", "d"]] == Self.spot("null", in: oneLine))
    }

    @Test("a file of many reports on one line (as many programs write JSON): 20,000 values, each where it is")
    func longLine() throws {
        let items = (0..<20_000).map { #"{"n": \#($0), "t": "é"}"# }
        let text = "[" + items.joined(separator: ",") + "]"
        let positions = try JSONPositions.of(Array(text.utf8)).get()
        // Characters, not bytes: é is two bytes and one character.
        for n in [0, 1, 9, 10, 19_999] {
            let column = 2 + items[..<n].reduce(0) { $0 + $1.unicodeScalars.count + 1 }
            #expect(positions[[String(n)]] == JSONPositions.Position(line: 1, column: column), "item \(n)")
            #expect(positions[[String(n), "t"]]?.column == column + items[n].unicodeScalars.count - 4, "item \(n)'s text")
        }
    }
}
