import Foundation
import SpeakUpCore

/// Words made to fit a cell of a list or the queue: shortened at a word, never cut in one.
enum ScreenWords {
    /// How many cells `text` takes once drawn (every character as `Canvas.put` draws it).
    static func width(_ text: String) -> Int {
        text.reduce(0) { $0 + CellWidth.of(SafeText.displayable($1)) }
    }

    /// `text` in at most `width` cells: whole, or as many whole words as fit then "…"
    /// ("Rude or aggressive behaviour" in 20 → "Rude or aggressive…"). Only a first word
    /// wider than the cell itself is cut, as "…" must show something was left out.
    static func fit(_ text: String, _ width: Int) -> String {
        guard width > 0 else { return "" }
        let text = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard Self.width(text) > width else { return text }
        var kept = ""
        for word in text.split(separator: " ") {
            let next = kept.isEmpty ? String(word) : kept + " " + word
            if Self.width(next) + 1 > width { break }
            kept = next
        }
        if kept.isEmpty {
            // One long word: as much of it as fits, marked.
            for character in text {
                if Self.width(kept + String(character)) + 1 > width { break }
                kept.append(character)
            }
        }
        while let last = kept.last, ",;:-–(".contains(last) { kept.removeLast() }
        return kept + "…"
    }

    /// Short items joined with ", " while they fit whole, then "+N" for the rest ("rude, unsafe +2").
    static func list(_ items: [String], _ width: Int) -> String {
        var shown = ""
        for (index, item) in items.enumerated() {
            let next = shown.isEmpty ? item : shown + ", " + item
            let rest = items.count - index - 1
            let tail = rest > 0 ? " +\(rest)" : ""
            if Self.width(next + tail) > width {
                let left = items.count - index
                return shown.isEmpty ? fit(item, width - 3) + " +\(left - 1)" : shown + " +\(left)"
            }
            shown = next
        }
        return shown
    }

    /// Who the report is about, for a list: as written, "not named", or, when it was sealed with the
    /// report's words and is not opened here, "sealed" (never "not named": that would not be true).
    static func about(_ written: String, sealed: Bool = false) -> String {
        written.isBlank ? (sealed ? "sealed" : "not named") : written
    }

    /// Who `subject` is about, as `about(_:sealed:)` says it.
    static func about(_ subject: Subject) -> String {
        about(subject.asWritten, sealed: subject.isSealedAway)
    }
}

extension KeyModel.Binding {
    /// The key and its words, as the key bar takes them.
    var hint: (keys: String, action: String) { (keys, action) }
}

/// The answer to a yes-or-no question: Y is yes; N and Esc are no; anything else is no answer
/// yet (the question stays on screen, so a stray key decides nothing).
enum YesNo {
    /// True on Y. Y, N and Esc take the question off the screen; any other key leaves it there.
    static func settle<Question>(_ question: inout Question?, _ key: Key) -> Bool {
        switch key {
        case .character("y"), .character("Y"):
            question = nil
            return true
        case .character("n"), .character("N"), .escape:
            question = nil
            return false
        default:
            return false
        }
    }
}

/// The key bars' words for keys the key model leaves to each screen, so both screens say them alike.
enum ScreenKeys {
    /// After Tab in a writing box: what will be sent is shown, and sending takes S.
    static func reviewing(send: String) -> [(keys: String, action: String)] {
        [KeyModel.send.saying(send).hint, ("E", "edit"), KeyModel.back.hint]
    }

    /// In a writing box.
    static let writing: [(keys: String, action: String)] = [KeyModel.doneWriting.hint, KeyModel.newLine.hint, KeyModel.back.hint]

    /// A yes-or-no question.
    static func question(yes: String, no: String) -> [(keys: String, action: String)] {
        [("Y", yes), ("N", no)]
    }
}

/// Moments and days on screen, one style (`ScreenDate`): a day alone for an anonymous report
/// (whose time is not kept), the time too where it is known.
enum ScreenTimes {
    static func when(_ time: SubmissionTime) -> String {
        switch time {
        case .instant(let date): ScreenDate.moment(date)
        case .day(let text): CalendarDay(typed: text).map(ScreenDate.day) ?? text
        }
    }

    static func day(_ time: SubmissionTime) -> String {
        switch time {
        case .instant(let date): ScreenDate.day(CalendarDay.local(date))
        case .day(let text): CalendarDay(typed: text).map(ScreenDate.day) ?? text
        }
    }

    /// A span in words: "3 days", "5 hours", "20 minutes".
    static func span(_ seconds: TimeInterval) -> String {
        let minutes = max(1, Int(abs(seconds) / 60))
        func count(_ n: Int, _ unit: String) -> String { "\(n) \(unit)\(n == 1 ? "" : "s")" }
        if minutes < 60 { return count(minutes, "minute") }
        if minutes < 48 * 60 { return count(minutes / 60, "hour") }
        return count(minutes / (24 * 60), "day")
    }
}

/// A box over the middle of the screen: a title, then items to choose from (those not offered
/// dimmed, with why), or a question with its answers in a footer.
enum ChoiceBox {
    static func render(_ title: String, _ items: [(words: String, notOffered: String?)], highlighted: Int, wide: Bool = false,
                                     footer: String? = nil, into canvas: inout Canvas) {
        let width = min(canvas.size.columns - 8, wide ? 100 : 72)
        let titleLines = Wrap.lines(title, width: width - 4)
        let height = titleLines.count + items.count + (items.isEmpty ? 1 : 2) + (footer == nil ? 0 : 1)
        let top = max(2, (canvas.size.rows - height) / 2 - 1)
        let left = (canvas.size.columns - width) / 2
        canvas.clear(top: top, left: left, bottom: top + height + 1, right: left + width - 1)
        canvas.box(top: top, left: left, bottom: top + height + 1, right: left + width - 1, style: .bold)
        var row = top + 1
        for line in titleLines {
            canvas.put(line, row: row, column: left + 2, style: .bold)
            row += 1
        }
        row += items.isEmpty ? 0 : 1
        for (index, item) in items.enumerated() {
            let marker = index == highlighted && item.notOffered == nil ? "› " : "  "
            // One not offered is dimmed, with why, shortened at a word to the box.
            let words = item.notOffered.map { ScreenWords.fit("\(item.words): not offered, \($0)", width - 6) } ?? item.words
            let style: Style = item.notOffered != nil ? .quiet : index == highlighted ? .selected : .plain
            canvas.put(marker + words, row: row, column: left + 2, style: style, limit: width - 4)
            row += 1
        }
        if let footer {
            canvas.put(footer, row: row + 1, column: left + 2, style: .bold, limit: width - 4)
        }
    }
}
