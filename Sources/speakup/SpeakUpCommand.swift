import ArgumentParser
import Glibc
import SpeakUpCore
import SpeakUpStore

/// `speakup`: report a concern at a terminal, safely, whoever it is about.
@main
struct SpeakUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speakup",
        abstract: "Report a concern about anyone's behaviour, safely, at a terminal.",
        discussion: """
            With no command, SpeakUp opens the reporter form.
            The store is chosen by --db PATH, else $SPEAKUP_DB, else your own store in
            $XDG_DATA_HOME/speakup/speakup.sqlite (~/.local/share/speakup/speakup.sqlite).
            """,
        version: "speakup \(SpeakUpVersion.number)",
        subcommands: [ReportCommand.self, FollowUpCommand.self, WardCommand.self, KioskCommand.self, ExportCommand.self, ImportCommand.self, RulesCommand.self, EscalateCommand.self, DirectoryCommand.self, AuditCommand.self, WhoAmICommand.self, CheckCommand.self, CasesCommand.self, StatsCommand.self, BoardCommand.self, SubjectAccessCommand.self, StoreCommand.self, RetentionCommand.self, RecoverCommand.self],
        defaultSubcommand: ReportCommand.self
    )

    static func main() {
        GroupPrivilege.remember()
        // glibc drops TMPDIR for a setgid program, but not SQLite's own variable: with the group
        // held, temporary files must not go wherever the person points them.
        if GroupPrivilege.isElevated { unsetenv("SQLITE_TMPDIR") }
        // Reports are sensitive: files SpeakUp creates are readable by their owner only, or,
        // when installed for a shared store, by the speakup group too (the store's folder keeps
        // everyone else out); see docs/deployment.md.
        if case .success(.installed) = Deployment.current { umask(0o007) } else { umask(0o077) }
        do {
            let arguments: [String]
            switch CommandWords.arranged(Array(CommandLine.arguments.dropFirst()), root: Self.self) {
            case .success(let arranged): arguments = arranged
            case .failure(let failure): failure.exit()
            }
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            // The parser's messages quote what was typed, so they are made safe like everything else.
            let message = fullMessage(for: error)
            let code = exitCode(for: error)
            if code == .success {
                print(message)  // --help and --version
            } else if !message.isEmpty {
                Diagnostics.say(message)
            }
            Glibc.exit(code.rawValue)
        }
    }
}

/// A failure a person can act on: the sentence goes to stderr, then the exit code.
struct Failure: Error, CustomStringConvertible {
    let sentence: String
    let code: Int32

    init(_ sentence: String, code: Int32 = 1) {
        self.sentence = sentence
        self.code = code
    }

    /// A store's failure. A store kept busy by another terminal past the wait exits 75
    /// (EX_TEMPFAIL: try again later), so a script can tell it from a real fault.
    init(_ error: StoreError, code: Int32 = 1) {
        self.init(error.sentence, code: error.kind == .busy ? 75 : code)
    }

    /// A store that cannot be used as the command needs (sysexits, documented in docs/store.md):
    /// 77 (EX_NOPERM) when the permissions keep this login out, 73 (EX_CANTCREAT) when the disk is
    /// full or read-only, and 1, as for every missing store, when the file or its folder is not there.
    init(_ problem: StoreAccess.Problem) {
        let code: Int32 = switch problem.kind {
        case .noPermission: 77
        case .diskFull: 73
        case .missing: 1
        }
        self.init(problem.sentence, code: code)
    }

    var description: String { sentence }

    /// Prints the sentence and ends the program.
    func exit() -> Never {
        Diagnostics.say(sentence)
        Glibc.exit(code)
    }
}

/// Messages for the person at the terminal, on stderr so stdout stays data.
///
/// They can quote paths, TERM values and arguments, any of which may hold
/// escape sequences, so every line passes through `SafeText` first.
enum Diagnostics {
    static func say(_ text: String) {
        let safe = text.split(separator: "\n", omittingEmptySubsequences: false).map { SafeText.displayable(String($0)) }
        var line = Array((safe.joined(separator: "\n") + "\n").utf8)
        _ = write(STDERR_FILENO, &line, line.count)
    }
}
