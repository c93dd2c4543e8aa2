import ArgumentParser
import Foundation
import SpeakUpCore
import SpeakUpStore

/// `speakup import FILE`: concerns received by phone, letter or in person.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add reports from a JSON file in the export format (one report or an array), all or nothing.",
        discussion: "Every record is checked first. If any is wrong, each problem is listed with its line and nothing is imported."
    )

    @Argument(help: ArgumentHelp("The JSON file to import.", valueName: "file"))
    var file: String

    @OptionGroup var storeOptions: StoreOptions

    @OptionGroup var rulesOptions: RulesOptions

    func run() throws {
        do {
            try Roles.require(.administrator, toDo: "import reports")
            try importFile()
        } catch {
            error.exit()
        }
    }

    private func importFile() throws(Failure) {
        // Read as the person, with the installed group set aside: they name only files they may read.
        guard let bytes = GroupPrivilege.withoutGroup({ FileManager.default.contents(atPath: file) }) else {
            throw Failure("SpeakUp cannot read \(file). Please check that it exists and that you may read it.")
        }
        let records = try ImportFile.records(in: bytes, named: file)
        // References already in the store are problems too, found before anything is written
        // (and a store that does not exist yet is only created once the file is known to be good).
        let existing = try storeOptions.location()
        var taken: Set<String> = []
        if FileManager.default.fileExists(atPath: existing.path) {
            do {
                // Opened as the import itself will open it: a file left empty by a creation that was
                // cut short (a kill, a power cut) is a store not yet made, not a stranger's file.
                taken = try storeOptions.open(.write).store.takenReferences(records.map(\.reference))
            } catch let error as Failure {
                throw error
            } catch let error as StoreError {
                throw Failure(error)
            } catch {
                throw Failure("\(error)")
            }
        }
        let problems = ReportImport.problems(records, today: SystemClock().today(), taken: taken)
        if !problems.isEmpty {
            let lines = ImportFile.lines(for: problems, in: bytes, named: file)
            throw Failure(lines.joined(separator: "\n") + "\nNothing was imported: please correct \(problems.count == 1 ? "this" : "these \(problems.count.counted("problem"))") and try again.")
        }
        let (store, _) = try storeOptions.open(.write)
        let router = try Routing.router(store: store, rulesPath: try rulesOptions.chosen(), owner: RealIdentity.current()?.reporter.userName)
        do {
            try store.importReports(records.map(ReportImport.report(from:)), router: router, by: RealIdentity.current()?.reporter.userName)
        } catch {
            throw Failure(error)
        }
        Diagnostics.say("Imported \(records.count.counted("report")) into \(store.location).")
    }
}
