import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpStore

/// `speakup board`: what the board monitors, for one quarter (docs/handling.md).
struct BoardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "board",
        abstract: "Show the board's figures for a quarter: cases over time, deadlines kept, speaking up again, detriment, and all by the seniority of the person the concern is about.",
        discussion: "Counts only, never words; counts under 5 are shown as <5. --format csv or json writes the same figures for board papers (docs/export-format.md). Quarters are the NHS financial year's: 2026Q3 is October to December 2026."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, csv, json
    }

    @OptionGroup var quarterOption: QuarterlyReturn

    @Option(help: ArgumentHelp("text (charts for people), csv or json (for board papers).", valueName: "format"))
    var format: Format = .text

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        do throws(Failure) {
            // The quarter is read as the returns read it.
            let quarter = try quarterOption.chosen(in: .financial)
            let (tally, described) = try QuarterlyReturn.boardTallyAndDescriptions(storeOptions, for: quarter, toDo: "see the board's figures")
            QuarterlyReturn.noteIfRunning(quarter, in: .financial)
            let report = BoardReport(tally, described: described)
            switch format {
            case .text: for line in report.lines(width: Self.width()) { print(line) }
            case .csv: print(report.csv, terminator: "")
            case .json: print(report.json, terminator: "")
            }
        } catch {
            error.exit()
        }
    }

    /// The width for the bars: `COLUMNS` if set, else the terminal's, else 80; 60 at least.
    static func width() -> Int {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return max(60, columns) }
        var size = winsize()
        let asked = withUnsafeMutablePointer(to: &size) { ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), $0) }
        if isatty(STDOUT_FILENO) == 1, asked == 0, size.ws_col > 0 { return max(60, Int(size.ws_col)) }
        return 80
    }
}
