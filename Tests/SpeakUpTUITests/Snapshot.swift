import Foundation
import Testing
import SpeakUpTUI

/// Compares a canvas's text with `Snapshots/NAME.txt` beside this file.
/// Run with `SPEAKUP_RECORD_SNAPSHOTS=1` to write the files anew, then read the diff.
func assertSnapshot(_ canvas: Canvas, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    assertSnapshot(text: canvas.text, named: name, sourceLocation: sourceLocation)
}

/// The same for a canvas as a terminal that is not UTF-8 shows it (`PlainCharacters`); the
/// snapshot must hold no byte above 0x7F.
func assertPlainSnapshot(_ canvas: Canvas, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let text = PlainCharacters.text(of: canvas)
    #expect(text.utf8.allSatisfy { $0 < 0x80 }, "\(name) holds a byte above 0x7F", sourceLocation: sourceLocation)
    assertSnapshot(text: text, named: name, sourceLocation: sourceLocation)
}

func assertSnapshot(text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = folder.appendingPathComponent("\(name).txt")
    let actual = text + "\n"
    if ProcessInfo.processInfo.environment["SPEAKUP_RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? actual.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("No snapshot \(name).txt; run with SPEAKUP_RECORD_SNAPSHOTS=1 to record it.\n\(actual)", sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        Issue.record("Snapshot \(name) differs.\n--- expected\n\(expected)--- actual\n\(actual)", sourceLocation: sourceLocation)
    }
}
