import Foundation
import Testing
import SpeakUpTUI

/// Compares a canvas's text with `Snapshots/NAME.txt` beside this file.
/// Run with `SPEAKUP_RECORD_SNAPSHOTS=1` to write the files anew, then read the diff.
func assertSnapshot(_ canvas: Canvas, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = folder.appendingPathComponent("\(name).txt")
    let actual = canvas.text + "\n"
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
