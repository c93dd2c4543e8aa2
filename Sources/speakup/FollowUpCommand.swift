import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpSealing
import SpeakUpStore
import SpeakUpTUI

/// `speakup follow-up`: see how a report is going, read replies and answer.
struct FollowUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow-up",
        abstract: "See how a report is going, read messages and reply (your reports, or a receipt code)."
    )

    @OptionGroup var storeOptions: StoreOptions

    @OptionGroup var rulesOptions: RulesOptions

    @OptionGroup var displayOptions: DisplayOptions

    func run() throws {
        do {
            try Roles.require(.reporter, toDo: "follow up reports")
            try TerminalSetup.requireTerminal(for: .followUp)
            try followUp()
        } catch {
            error.exit()
        }
    }

    private func followUp() throws(Failure) {
        let rulesPath = try rulesOptions.chosen()
        let (store, isDefault) = try storeOptions.open(.write, createIfMissing: false, forScreen: true)
        let terminal = try TerminalSetup.start(plain: displayOptions.ascii)
        let reporter = RealIdentity.current()?.reporter
        // A detriment check-in's yes opens a case routed as the form routes a report: the rules and
        // the directory are read only then, and one that cannot be read stops it with a sentence.
        let router = Routing.deferred(store: store, rulesPath: rulesPath, owner: reporter?.userName)
        FollowUpSession(store: store, reporter: reporter, clock: SystemClock(), router: router, replyKeys: ReceiptReplyKeys(store: store)).run(on: terminal)
        terminal.stop()
        if isDefault { Diagnostics.say("Your SpeakUp store is \(store.location)") }
    }
}

/// Starting the terminal the same way for every screen.
enum TerminalSetup {
    /// The screens a command opens, each with what to do when there is no terminal to open it on.
    enum Screen {
        case form, followUp, cases, ward, kiosk

        var withoutTerminal: String {
            switch self {
            case .form: "The SpeakUp form needs a terminal to type in. To read reports out, use `speakup export json`."
            case .followUp: "Following up a report needs a terminal to read messages and reply in. Run `speakup follow-up` at a terminal, or over SSH with `ssh -t`."
            case .cases: "The cases workspace needs a terminal. To read cases out, use `speakup export json`; for the figures, `speakup stats`."
            case .ward: "A ward terminal needs a terminal to run on: start `speakup ward` at the ward's screen, for example as its login's shell (docs/deployment.md)."
            case .kiosk: "A kiosk needs a terminal to run on: make `speakup kiosk` the shell of a getty autologin (docs/deployment.md)."
            }
        }
    }

    /// Stops with the screen's own sentence (exit 2, as for every terminal SpeakUp cannot use) when
    /// standard input or output is not a terminal: asked first, before the store is opened or made.
    static func requireTerminal(for screen: Screen) throws(Failure) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw Failure(screen.withoutTerminal, code: 2) }
    }

    /// `plain`: draw in ASCII and the terminal\'s own line drawing (`--ascii`, or a ward\'s settings).
    static func start(plain: Bool) throws(Failure) -> CursesTerminal {
        let wantsColour = (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        do {
            return try CursesTerminal.start(colour: wantsColour, plain: plain)
        } catch {
            throw Failure(error.sentence, code: 2)
        }
    }
}
