import ArgumentParser
import Foundation
import SpeakUpCore
import SpeakUpRules
import SpeakUpStore

/// `speakup export return`: a national return's figures for a quarter, counted from a return
/// definition (docs/governance.md): NHS England's quarterly Freedom to Speak Up return unless
/// `--definition` names another.
struct ReturnExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "return",
        abstract: "Write a quarter's national return (NHS England's Freedom to Speak Up return unless --definition names another): counts only, 1 to 4 written <5.",
        discussion: "Quarters are written as the year the return's year starts in, Q and 1 to 4: with the NHS financial year, 2026Q1 is April to June 2026, 2026Q3 October to December 2026, 2026Q4 January to March 2027. docs/governance.md says how to change what is counted; docs/export-format.md gives the CSV and JSON."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json
    }

    @OptionGroup var period: QuarterlyReturn

    @Option(help: ArgumentHelp("csv (id,label,count) or json.", valueName: "format"))
    var format: Format = .csv

    @Option(help: ArgumentHelp("A return definition file (YAML); the built-in \(DefaultReturn.path) if not given.", valueName: "file"))
    var definition: String?

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        do throws(Failure) {
            _ = try period.typed()  // a mistyped quarter is named before the definition is read
            let definition = try Self.definition(at: self.definition)
            let quarter = try period.chosen(in: definition.quarters)
            let (facts, described) = try QuarterlyReturn.factsAndDescriptions(
                storeOptions, from: definition.quarters.first(of: quarter), through: definition.quarters.last(of: quarter),
                toDo: "write the data return")
            QuarterlyReturn.noteIfRunning(quarter, in: definition.quarters)
            let figures = ReturnFigures(definition: definition, quarter: quarter, facts: facts, described: described)
            switch format {
            case .csv:
                print(figures.csv, terminator: "")
            case .json:
                do {
                    try FileHandle.standardOutput.write(contentsOf: try figures.json() + Data("\n".utf8))
                } catch {
                    throw Failure("SpeakUp could not write the return: \(error.localizedDescription). Is the disk full?")
                }
            }
        } catch {
            error.exit()
        }
    }

    /// The definition at `path`, or the built-in one: a file that cannot be read exits 64, one with
    /// problems 65, after every problem with its line and column.
    static func definition(at path: String?) throws(Failure) -> ReturnDefinition {
        guard let path else { return DefaultReturn.definition }
        let text = try TextFile.read(path, code: 64, notText: 65, what: "return definition")
        switch ReturnDefinitionLoader.load(text) {
        case .success(let definition):
            return definition
        case .failure(let problems):
            let lines = problems.all.map { "\(path):\($0.line):\($0.column): \($0.sentence)" }
            throw Failure(lines.joined(separator: "\n") + "\n\(problems.all.count.counted("problem")) in \(path); no return was written.", code: 65)
        }
    }
}

/// What the returns share: `--quarter`, refused with a sentence (exit 64) when malformed or not
/// begun, and the case facts, for handlers and administrators only.
struct QuarterlyReturn: ParsableArguments {
    @Option(help: ArgumentHelp("The quarter, such as 2026Q3.", valueName: "quarter"))
    var quarter: String

    /// The quarter as typed, before anything else is read.
    func typed() throws(Failure) -> Quarter {
        guard let quarter = Quarter(typed: quarter.trimmingCharacters(in: .whitespaces)) else {
            throw Failure("\"\(quarter)\" is not a quarter. Give the year the financial year starts in and the quarter, 1 to 4, such as 2026Q3 (October to December 2026).", code: 64)
        }
        return quarter
    }

    /// The quarter, once begun in `scheme`.
    func chosen(in scheme: QuarterScheme) throws(Failure) -> Quarter {
        let quarter = try typed()
        guard scheme.first(of: quarter) <= SystemClock().today() else {
            throw Failure("\(quarter) (\(scheme.title(of: quarter))) has not started yet, so there are no figures for it.", code: 64)
        }
        return quarter
    }

    static func facts(_ storeOptions: StoreOptions, toDo doing: String = "write the data return") throws(Failure) -> [CaseFacts] {
        try Roles.requireAny([.handler, .administrator], toDo: doing)
        let (store, _) = try storeOptions.open(.read, createIfMissing: false)
        do { return try store.caseFacts() } catch { throw Failure(error.sentence) }
    }

    /// The case facts, and how reporters described themselves in the months from `first` to `last`: one store opened, read twice.
    static func factsAndDescriptions(_ storeOptions: StoreOptions, from first: CalendarDay, through last: CalendarDay,
                                     toDo doing: String) throws(Failure) -> ([CaseFacts], [ReporterCharacteristics]) {
        try Roles.requireAny([.handler, .administrator], toDo: doing)
        let (store, _) = try storeOptions.open(.read, createIfMissing: false)
        do { return (try store.caseFacts(), try store.characteristics(from: first, through: last)) } catch { throw Failure(error.sentence) }
    }

    /// The board's counts for `quarter` (counted in the store: `Workspace.boardTally`), and how
    /// reporters described themselves in its months: one store opened, read twice.
    static func boardTallyAndDescriptions(_ storeOptions: StoreOptions, for quarter: Quarter,
                                          toDo doing: String) throws(Failure) -> (BoardTally, [ReporterCharacteristics]) {
        try Roles.requireAny([.handler, .administrator], toDo: doing)
        let (store, _) = try storeOptions.open(.read, createIfMissing: false)
        do {
            return (try store.boardTally(for: quarter), try store.characteristics(from: quarter.first, through: quarter.last))
        } catch {
            throw Failure(error.sentence)
        }
    }

    static func noteIfRunning(_ quarter: Quarter, in scheme: QuarterScheme) {
        let last = scheme.last(of: quarter)
        if last >= SystemClock().today() {
            Diagnostics.say("\(quarter) is not over yet (it ends on \(ScreenDate.day(last))): these are the figures so far.")
        }
    }
}
