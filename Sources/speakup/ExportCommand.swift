import ArgumentParser
import Foundation
import SpeakUpCore
import SpeakUpStore

/// `speakup export`: reports out of the store for other tools.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write reports out of the store.",
        subcommands: [JSON.self, NGOExport.self]
    )

    /// `speakup export json`: every report, as documented in docs/export-format.md.
    struct JSON: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "json",
            abstract: "Write every report, with its case events, as JSON to standard output."
        )

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            do {
                try Roles.require(.administrator, toDo: "export the store")
                try export()
            } catch {
                error.exit()
            }
        }

        private func export() throws(Failure) {
            // Exporting never creates a store at a mistyped --db path.
            let (store, isDefault) = try storeOptions.open(createIfMissing: false)
            let records: [ReportJSON.Record]
            do {
                records = try store.allReports().map { report throws(StoreError) in
                    ReportJSON.record(report, events: try store.events(for: report.reference))
                }
            } catch {
                throw Failure(error.sentence)
            }
            let document: Data
            do {
                document = try ReportJSON.document(records)
            } catch {
                throw Failure("SpeakUp could not write the reports as JSON: \(error.localizedDescription)")
            }
            do {
                try FileHandle.standardOutput.write(contentsOf: document + Data("\n".utf8))
            } catch {
                throw Failure("SpeakUp could not write the export: \(error.localizedDescription). Is the disk full?")
            }
            if isDefault { Diagnostics.say("Exported \(records.count) reports from your SpeakUp store \(store.path)") }
        }
    }
}
