import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpStore

/// `speakup store`: what administrators do to a whole store.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Work on a whole store (administrators).",
        subcommands: [Copy.self, Migrate.self, RecoveryKeyCommand.self, StoreSealCommand.self, SubjectKeyCommand.self]
    )

    /// `speakup store migrate ADDRESS`: sets up, or brings up to date, a PostgreSQL store's tables,
    /// logged in as the database's owner (SpeakUp's own login may not change them).
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Set up a PostgreSQL store's tables, or bring them up to date (as the database's owner).",
            discussion: "Run once for a new database, and once after installing a newer SpeakUp, with the owner's address, e.g. speakup store migrate 'postgresql://speakup_owner@db1,db2/speakup?passfile=/etc/speakup/owner-password'. Two hosts running it at once apply each change once."
        )

        @Argument(help: ArgumentHelp("The store's postgresql:// address, logging in as the database's owner.", valueName: "address"))
        var address: String

        func run() throws {
            do throws(Failure) {
                try Roles.require(.administrator, toDo: "set up a store's tables")
                guard case .server(let server) = try StoreChoice.read(address, from: "The address") else {
                    throw Failure("store migrate is for a PostgreSQL store, named by its postgresql:// address; a SQLite store brings itself up to date when it is opened.", code: 64)
                }
                let applied = try StoreChoice.migrate(server)
                Diagnostics.say(applied.isEmpty
                    ? "The store at \(server) was already up to date; nothing was changed."
                    : "The store at \(server) is set up: applied \(applied.joined(separator: ", ")).")
            } catch {
                error.exit()
            }
        }
    }

    /// `speakup store copy --from A --to B`: every table, all or nothing, then checked.
    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy a whole store into a new, empty one, then check the copy against it.",
            discussion: """
                Copies every report, event, receipt, draft, the directory, the workspace and the audit trail, in one \
                transaction: if anything fails, nothing is left in the new store. Then checks that every table has \
                the same number of rows, that the audit trail verifies on both sides and ends on the same hash, and \
                that every report exports the same. The source is only read (past days' anonymous audit records are \
                chained first, as the tick would). With --check nothing is copied: an earlier copy is checked \
                against its source the same way (one whose check was stopped, or a copy to be checked again before \
                it is used).
                """
        )

        @Option(name: .customLong("from"), help: ArgumentHelp("The store to copy.", valueName: "store"))
        var from: String

        @Option(name: .customLong("to"), help: ArgumentHelp("The new store to copy into (made if it is a file that is not there yet; it must be empty).", valueName: "store"))
        var to: String

        @Flag(name: .customLong("check"), help: "Copy nothing: check an earlier copy at --to against --from (one whose check was stopped, or before it is used).")
        var checkOnly = false

        func run() throws {
            do {
                try copy()
            } catch {
                error.exit()
            }
        }

        private func copy() throws(Failure) {
            try Roles.require(.administrator, toDo: "copy a whole store")
            if GroupPrivilege.isElevated, getuid() != 0 {
                // An installed SpeakUp opens the shared store with its group; a copy of all of it is root's to make.
                throw Failure("Copying a whole shared store is done as root on the SpeakUp server (sudo speakup store copy …), so that the copy's owner and modes can be set as docs/deployment.md says.", code: 77)
            }
            guard from != to else {
                throw Failure(checkOnly ? "--from and --to name the same store: name the store and its copy." : "--from and --to name the same store. Name a new, empty store to copy into.", code: 64)
            }
            let source = try Self.open(from, need: .read, createIfMissing: false, what: "--from")
            // Checking reads the copy only; it must be there already.
            let target = try Self.open(to, need: checkOnly ? .read : .write, createIfMissing: !checkOnly, what: "--to")
            let outcome: StoreCopy.Outcome
            let copy = StoreCopy(from: source, to: target, today: CalendarDay.local(Date()))
            do {
                outcome = checkOnly ? try copy.checkOnly() : try copy.run { copied in
                    // Said as soon as the copy is committed: a check stopped after this leaves a whole copy, unchecked.
                    Diagnostics.say("Copied \(copied.values.reduce(0, +).counted("row")) into \(target.location) in one transaction; now checking it against \(source.location). If this is stopped, the copy is whole but unchecked: `speakup store copy --check` with the same --from and --to checks it.")
                }
            } catch {
                throw Failure(error)
            }
            let tables = StoreTables.copied.compactMap { table in outcome.rows[table].map { "\(table) \($0)" } }.joined(separator: ", ")
            let what = checkOnly
                ? "Checked the copy at \(target.location) against \(source.location) (\(outcome.reports.counted("report")))"
                : "Copied \(outcome.reports.counted("report")) from \(source.location) to \(target.location), and checked"
            Diagnostics.say("\(what): every table has the same rows (\(tables)); the audit trail verifies on both sides, \(outcome.auditRecords.counted("record")) ending on the same hash; every report exports the same.")
            print("digest \(outcome.digest)")
            if let last = outcome.lastHash { print("audit-last-hash \(last)") }
        }

        /// Opens one side of a copy, every failure a sentence naming which side it is.
        static func open(_ text: String, need: StoreAccess.Need, createIfMissing: Bool, what: String) throws(Failure) -> any StoreCopy.Side {
            guard !text.isEmpty else { throw Failure("\(what) needs a store: the path of a store file, or a postgresql:// address.", code: 64) }
            if case .server(let address) = try StoreChoice.read(text, from: what) {
                do { return try StoreChoice.openServer(address) } catch { throw Failure("\(what): \(error.sentence)", code: error.code) }
            }
            if let problem = StoreLocation.notAFileProblem(text) { throw Failure(problem, code: 64) }
            if let problem = StoreAccess().problem(at: text, need: need, createIfMissing: createIfMissing) { throw Failure(problem) }
            do {
                return try SQLiteReportStore(path: text, createIfMissing: createIfMissing, wait: StoreWait(seconds: StoreWait.commandSeconds))
            } catch {
                throw Failure("\(what): \(error.sentence)")
            }
        }
    }
}
