import ArgumentParser
import Foundation
import SpeakUpCore
import SpeakUpRules

/// `speakup directory`: the staff directory the rules use to keep reports away
/// from their subject's management chain.
struct DirectoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory",
        abstract: "Manage the staff directory.",
        subcommands: [Import.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Replace the staff directory from a CSV file, all or nothing.",
            discussion: "Columns: \(DirectoryFile.columns.joined(separator: ", ")). Every problem is listed with its line; if there is any, the directory is left as it was."
        )

        @Argument(help: ArgumentHelp("The CSV file.", valueName: "file"))
        var file: String

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var rulesOptions: RulesOptions

        func run() throws {
            do {
                try Roles.require(.administrator, toDo: "replace the staff directory")
                let text = try TextFile.read(file, what: "directory (as UTF-8 CSV)")
                switch DirectoryFile.members(from: text) {
                case .failure(let problems):
                    let lines = problems.all.map { "\(file):\($0.line): \($0.sentence)" }
                    throw Failure(lines.joined(separator: "\n") + "\nThe directory was not changed: please correct \(problems.all.count == 1 ? "this" : "these \(problems.all.count.counted("problem"))") and try again.")
                case .success(let members):
                    // The rules are worked out first: a mistake there must stop before the directory changes.
                    let rulesPath = try rulesOptions.chosen()
                    let (store, _) = try storeOptions.open(.write)
                    let importer = RealIdentity.current()?.reporter.userName
                    do { try store.replaceStaff(members, by: importer, at: nil) } catch { throw Failure(error) }
                    Diagnostics.say("The staff directory now lists \(members.count.counted("person", "people")).")
                    // Only an open case can be stranded by a new directory: with none, no router is needed.
                    let anyOpen: Bool
                    do { anyOpen = try store.hasOpenCases() } catch {
                        throw Failure("The directory was replaced, but the open cases could not be checked against it: \(error.sentence) Please run `speakup directory import` again.")
                    }
                    guard anyOpen else { return }
                    // Cases whose every handler the new directory shows to be too close to the person they are about.
                    let router = try Routing.router(store: store, rulesPath: rulesPath, owner: importer)
                    let rerouted: [CaseReference]
                    do {
                        rerouted = try store.rerouteWithheldCases(policy: SubjectChainPolicy(router: router, names: SystemAccounts()), router: router, at: Date())
                    } catch {
                        throw Failure("The directory was replaced, but the open cases could not be checked against it: \(error.sentence) Please run `speakup directory import` again.")
                    }
                    for reference in rerouted {
                        Diagnostics.say("\(reference): nobody who had it may see it under the new directory, so it was routed again (see `speakup rules explain \(reference)`).")
                    }
                }
            } catch let failure as Failure {
                failure.exit()
            }
        }
    }
}
