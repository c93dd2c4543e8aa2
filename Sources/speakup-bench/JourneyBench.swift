import Foundation
import SpeakUpCore
import SpeakUpStore
import SpeakUpTUI

/// The reporter journey's figures: a key press in a long account, the receipt
/// hash's deliberate cost, and a whole anonymous submit with its receipt.
struct JourneyBench {
    let scratch: String

    func run() throws -> [String] {
        var summary: [String] = []
        summary.append(keyPress())
        let (hashLine, hashMedian) = try receiptHash()
        summary.append(hashLine)
        summary.append(try submitWithReceipt(hashMedian: hashMedian))
        return summary
    }

    /// Key press to canvas updated: `update` and `render` for one typed
    /// character, with the account already long, beside rendering the same page
    /// with an empty account (the floor: what drawing the page costs anyway).
    private func keyPress() -> String {
        func form(account: String) -> ReporterFormState {
            var state = ReporterFormState(size: .minimum, today: CalendarDay(year: 2026, month: 11, day: 27)!)
            for key: Key in [.enter, .tab, .tab, .tab, .enter, .character(" "), .enter, .enter, .enter, .enter, .enter, .tab] {
                _ = ReporterForm.update(&state, key)
            }
            _ = ReporterForm.update(&state, .paste(account))
            return state
        }
        let text = String(repeating: "She raised her voice at the patient and walked off without a word. ", count: 200)
        var full = form(account: String(text.prefix(ReportLimits.accountCharacters - 100)))
        var typing = Sample()
        for index in 0..<300 {
            let start = now()
            _ = ReporterForm.update(&full, index % 2 == 0 ? .character("x") : .backspace)
            var canvas = Canvas(size: full.size)
            ReporterFormView.render(full, into: &canvas)
            typing.add(now() - start)
        }
        // The figure: the editor itself holding 20,000 characters.
        var editor = TextEditor(limit: 25_000)
        editor.resize(to: Size(columns: 72, rows: 12))
        _ = editor.handle(.paste(String(text.prefix(20_000))))
        var editing = Sample()
        for index in 0..<300 {
            let start = now()
            _ = editor.handle(index % 2 == 0 ? .character("x") : .backspace)
            var canvas = Canvas(size: .minimum)
            editor.render(into: &canvas, row: 7, column: 4)
            editing.add(now() - start)
        }
        let empty = form(account: "")
        var floor = Sample()
        for _ in 0..<300 {
            let start = now()
            var canvas = Canvas(size: empty.size)
            ReporterFormView.render(empty, into: &canvas)
            floor.add(now() - start)
        }
        print("## Key press to screen updated (update + render to the canvas, no terminal, 300 presses)")
        print("| case | median ms | p99 ms |")
        print("|---|---|---|")
        print("| the form, account at 9,900 characters (near its 10,000 cap) | \(format(typing.median)) | \(format(typing.p99)) |")
        print("| the account editor alone holding 20,000 characters | \(format(editing.median)) | \(format(editing.p99)) |")
        print("| floor: rendering the same page with an empty account | \(format(floor.median)) | \(format(floor.p99)) |")
        print("goal: under 1 ms median")
        return "key press: form \(format(typing.median)) ms, editor with 20,000 characters \(format(editing.median)) ms, floor \(format(floor.median)) ms (goal < 1 ms)"
    }

    private func receiptHash() throws -> (String, Double) {
        let hasher = ReceiptHasher(salt: ReceiptHasher.newSalt())
        var times = Sample()
        _ = try hasher.hash(.random())
        for _ in 0..<10 {
            let code = ReceiptCode.random()
            let start = now()
            _ = try hasher.hash(code)
            times.add(now() - start)
        }
        print("## Receipt hash (scrypt, N=\(ReceiptHasher.defaultRounds), r=8, p=1: \(ReceiptHasher.defaultRounds * 128 * 8 / 1_048_576) MiB), 10 hashes")
        print("median \(format(times.median)) ms, min \(format(times.percentile(0))) ms, max \(format(times.percentile(100))) ms (target: about 100 ms)")
        return ("receipt hash: median \(format(times.median)) ms (target about 100 ms)", times.median)
    }

    private func submitWithReceipt(hashMedian: Double) throws -> String {
        let store = try SQLiteReportStore(path: scratch + "/journey.sqlite")
        var times = Sample()
        for _ in 0..<30 {
            let report = CommitBench.report(way: .anonymous)
            let start = now()
            _ = try store.submit(report, receipt: .random())
            times.add(now() - start)
            store.tidy()
        }
        print("## Full anonymous submit with its receipt (hash + one transaction), 30 submits")
        print("median \(format(times.median)) ms, p99 \(format(times.p99)) ms; the hash alone is \(format(hashMedian)) ms of it")
        return "anonymous submit with receipt: median \(format(times.median)) ms, p99 \(format(times.p99)) ms"
    }
}
