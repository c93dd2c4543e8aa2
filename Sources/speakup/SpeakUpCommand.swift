import ArgumentParser
import Glibc

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
        subcommands: [ReportCommand.self, ExportCommand.self],
        defaultSubcommand: ReportCommand.self
    )

    static func main() {
        // Reports are sensitive: files SpeakUp creates are readable by their owner only.
        umask(0o077)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
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

    var description: String { sentence }

    /// Prints the sentence and ends the program.
    func exit() -> Never {
        Diagnostics.say(sentence)
        Glibc.exit(code)
    }
}

/// Messages for the person at the terminal, on stderr so stdout stays data.
enum Diagnostics {
    static func say(_ text: String) {
        var line = Array((text + "\n").utf8)
        _ = write(STDERR_FILENO, &line, line.count)
    }
}
