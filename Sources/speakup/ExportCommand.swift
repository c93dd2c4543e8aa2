import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpRules
import SpeakUpStore

/// `speakup export`: reports out of the store for other tools.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write reports out of the store.",
        subcommands: [JSON.self, ReturnExport.self, NGOExport.self]
    )

    /// `speakup export json`: every report, as documented in docs/export-format.md.
    struct JSON: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "json",
            abstract: "Write every report, with its case events, as JSON to standard output."
        )

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var rulesOptions: RulesOptions

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
            let (store, isDefault) = try storeOptions.open(.read, createIfMissing: false)
            // The same policy as the workspace: an administrator never exports a report they may be
            // the subject of, or whose subject manages them (docs/escalation.md).
            guard let identity = RealIdentity.current() else {
                throw Failure("SpeakUp cannot find your user account (uid \(getuid())) in the system's user list. Please tell IT.")
            }
            let rulesPath = try rulesOptions.chosen()
            let router = try Routing.router(store: store, rulesPath: rulesPath, owner: identity.reporter.userName)
            let policy = SubjectChainPolicy(router: router, names: SystemAccounts())
            let exporter = try Routing.handler(for: identity.reporter.userName, rulesPath: rulesPath)
            var records: [ReportJSON.Record] = []
            var withheld: [CaseReference] = []
            do throws(StoreError) {
                var exported: [Report] = []
                for report in try store.allReports() {
                    if policy.refusal(of: exporter, for: report.caseSubject) != nil {
                        withheld.append(report.reference)
                    } else {
                        exported.append(report)
                    }
                }
                // A thousand timelines a read, not one a report (a read each is a round trip on PostgreSQL).
                for start in stride(from: 0, to: exported.count, by: 1_000) {
                    let batch = exported[start..<min(start + 1_000, exported.count)]
                    let timelines = try store.timelines(of: batch.map(\.reference))
                    records += batch.map { ReportJSON.record($0, events: timelines[$0.reference] ?? []) }
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
            if isDefault { Diagnostics.say("Exported \(records.count.counted("report")) from your SpeakUp store \(store.location)") }
            let sealed = records.filter { $0.sealed == true }.count
            if sealed > 0 {
                Diagnostics.say("\(sealed.counted("report")) \(sealed == 1 ? "has its" : "have their") words sealed for \(sealed == 1 ? "its" : "their") handlers: exported with \"sealed\": true and the words left empty (docs/security.md).")
            }
            if !withheld.isEmpty {
                Diagnostics.say("\(withheld.count.counted("report")) \(withheld.count == 1 ? "was" : "were") left out of the export (\(withheld.map(\.text).joined(separator: ", "))): you may be the person \(withheld.count == 1 ? "it is" : "they are") about, or managed by them. Please ask another administrator to export \(withheld.count == 1 ? "it" : "them").")
                Glibc.exit(3)
            }
        }
    }
}
