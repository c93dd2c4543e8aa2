import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpStore

/// `--db PATH`, shared by every command that uses the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(
        "The store to use: a file, or a PostgreSQL store's postgresql:// address (default: $SPEAKUP_DB, else your own store).",
        valueName: "path"))
    var path: String?

    @Option(name: .customLong("wait"), help: ArgumentHelp(
        "How many seconds a write waits for other terminals before giving up and saying so (default: 10 at a form, 30 for a command).",
        valueName: "seconds"))
    var waitText: String?

    /// The longest a write waits, from --wait, else the default for a form or a command.
    func waitSeconds(forScreen: Bool) throws(Failure) -> Double {
        guard let waitText else { return forScreen ? StoreWait.formSeconds : StoreWait.commandSeconds }
        guard let seconds = Double(waitText), seconds.isFinite, seconds >= 0.1, seconds <= 600 else {
            throw Failure("--wait needs a number of seconds from 0.1 to 600, such as --wait 30; \"\(waitText)\" is not one.", code: 64)
        }
        return seconds
    }

    /// Which store to open, and whether it is the per-user default (where its owner
    /// holds every role). An installed SpeakUp uses the store its settings name;
    /// `--db` there gives up the group privilege first, so it opens only files the
    /// person could open anyway, and `$SPEAKUP_DB` is not read.
    func location() throws(Failure) -> (path: String, isDefault: Bool) {
        let deployment = try Deployment.get()
        if let path {
            guard !path.isEmpty else { throw Failure("--db needs the path of a store file, such as --db reports.sqlite.", code: 64) }
            GroupPrivilege.dropForGood()
            return (path, false)
        }
        if let installation = deployment.installation {
            return (installation.store, false)
        }
        if let fromEnvironment = ProcessInfo.processInfo.environment["SPEAKUP_DB"] {
            guard !fromEnvironment.isEmpty else {
                throw Failure("SPEAKUP_DB is set but empty. Set it to the path of a store file, or unset it to use your own store.", code: 64)
            }
            return (fromEnvironment, false)
        }
        return (try DefaultStore.path(), true)
    }

    /// Opens the store, turning every failure into a sentence. Refuses a store
    /// that people other than its owner and group could open.
    /// `need`: whether the command saves into the store. One that does is stopped before it
    /// starts (before a form is drawn) when the store cannot take a write, with the reason.
    /// `forScreen`: a person is at a form or workspace, so writes wait less by default.
    func open(_ need: StoreAccess.Need, createIfMissing: Bool = true, forScreen: Bool = false) throws(Failure) -> (store: any OpenedStore, isDefault: Bool) {
        let wait = StoreWait(seconds: try waitSeconds(forScreen: forScreen))
        let (path, isDefault) = try location()
        if case .server(let address) = try StoreChoice.read(path, from: self.path != nil ? "--db" : "The store's address") {
            // An installed SpeakUp reaches a server only as its root-owned settings say: --db naming one
            // would let anyone point the program, and its secret file, at a server of their choosing.
            if self.path != nil, try Deployment.get().installation != nil {
                throw Failure("This SpeakUp is installed for a shared store, so --db cannot name a PostgreSQL server; the settings file says which store to use.", code: 64)
            }
            return (try StoreChoice.openServer(address, wait: wait), false)
        }
        let installed = try Deployment.get().installation
        let shared = installed?.store == path && self.path == nil
        try StorePermissions.check(path, folderToo: shared)
        // Asked with the privileges the store will be opened with: after --db has given up the group.
        if let problem = StoreAccess().problem(at: path, need: need, createIfMissing: createIfMissing || isDefault || shared) {
            throw Failure(problem)
        }
        if shared {
            // SQLite would create the file 0644 less the umask, leaving the group unable to write; and
            // its log and shared-memory files take the database file's mode. Made here first, 0660.
            let made = Glibc.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o660)
            if made >= 0 { close(made) }
        }
        do {
            return (try SQLiteReportStore(path: path, createIfMissing: createIfMissing || isDefault || shared, wait: wait), isDefault)
        } catch {
            throw Failure(error)
        }
    }
}

/// The embedded store each user gets when no other is named.
enum DefaultStore {
    /// `$XDG_DATA_HOME/speakup/speakup.sqlite`, else `~/.local/share/speakup/speakup.sqlite`,
    /// where `~` is the home directory of the real uid's passwd entry (not `$HOME`).
    /// The folder is created, readable by its owner only.
    static func path() throws(Failure) -> String {
        let folder: String
        if let data = ProcessInfo.processInfo.environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            folder = data + "/speakup"
        } else {
            guard let home = RealIdentity.current()?.home, !home.isEmpty else {
                throw Failure("SpeakUp cannot find your home folder to keep your store in. Please give one with --db PATH.")
            }
            folder = home + "/.local/share/speakup"
        }
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure("SpeakUp cannot create the folder \(folder) for your store. Please give another with --db PATH.")
        }
        return folder + "/speakup.sqlite"
    }
}
