import Foundation
import Testing

@Suite("End to end: bad arguments to ward, kiosk, audit, stats and export ngo")
struct StationArgumentTests {
    @Test("each bad value gets a sentence naming what is wanted, exit 64, and nothing is started", arguments: [
        (["ward", "--idle-timeout", "2h"], "--idle-timeout should be a time between 5s and 60m"),
        (["ward", "--idle-timeout", "\u{1B}]0;x\u{07}"], "--idle-timeout should be a time between 5s and 60m"),
        (["kiosk", "--idle-timeout", "1s"], "--idle-timeout should be a time between 5s and 60m"),
        (["ward", "--location", "   "], "--location should name the place"),
        (["kiosk", "--submissions-per-hour", "0"], "--submissions-per-hour should be a number from 1 to 1000"),
        (["audit", "verify", "--anchor", "12:abc"], "--anchor needs a record number and at least 16 hex digits"),
        (["export", "ngo", "--quarter", "2026Q5"], "is not a quarter"),
    ])
    func badArguments(arguments: [String], sentence: String) throws {
        let scratch = Scratch()
        let result = try Binary.run(arguments + ["--db", scratch.store], environment: ["TERM": "xterm-256color", "HOME": scratch.path])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(sentence), "\(result.stderr)")
        #expect(!result.stderr.contains("\u{1B}"))  // what was typed is shown safely
        #expect(!FileManager.default.fileExists(atPath: scratch.store))
    }
}
