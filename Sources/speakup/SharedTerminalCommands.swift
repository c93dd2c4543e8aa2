import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpRules
import SpeakUpStore
import SpeakUpTUI

/// Options shared by `speakup ward` and `speakup kiosk`.
struct SharedTerminalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where this terminal is, recorded with each report made at it (default: the settings file's).", valueName: "place"))
    var location: String?

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp(
        "How long without a key before the form is cleared, such as 2m or 90s (default: the settings file's, else 2m).", valueName: "time"))
    var idleTimeout: String?

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var rulesOptions: RulesOptions

    /// The idle timeout in seconds: from the option, else the settings, else two minutes.
    func idleSeconds(configured: Int) throws(Failure) -> Int {
        guard let text = idleTimeout else { return configured }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let seconds: Int? = if trimmed.hasSuffix("m") { Int(trimmed.dropLast()).map { $0 * 60 } }
            else if trimmed.hasSuffix("s") { Int(trimmed.dropLast()) } else { Int(trimmed) }
        guard let seconds, (5...3600).contains(seconds) else {
            throw Failure("--idle-timeout should be a time between 5s and 60m, such as 2m or 90s, not \"\(text)\".", code: 64)
        }
        return seconds
    }

    func checkedLocation(configured: String?) throws(Failure) -> String? {
        guard let location else { return configured }
        guard !location.isBlank, location.count <= 200 else {
            throw Failure("--location should name the place, in up to 200 characters, such as --location \"Ward 7\".", code: 64)
        }
        return location
    }
}

/// `speakup ward`: a ward-station terminal whose login many people share.
struct WardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ward",
        abstract: "Run a shared ward terminal: reports with a given name or anonymous, cleared after each person.",
        discussion: "Nothing is kept on the terminal: no draft is written, and the form is cleared after each report and after a while without a key. Ctrl-Q on the first screen closes it."
    )

    @OptionGroup var options: SharedTerminalOptions

    func run() throws {
        do {
            let settings = try Deployment.get().installation?.ward ?? Installation.StationSettings()
            let station = Station.ward(location: try options.checkedLocation(configured: settings.location))
            try SharedTerminalRun(options: options, station: station, idleSeconds: try options.idleSeconds(configured: settings.idleTimeout), gate: nil).start()
        } catch {
            error.exit()
        }
    }
}

/// `speakup kiosk`: an anonymous kiosk in a public place, meant to be a getty autologin's shell.
struct KioskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk",
        abstract: "Run an anonymous kiosk: no key leaves it, every report is anonymous, floods are held back.",
        discussion: "Meant to be the login shell of a getty autologin (docs/deployment.md). Ctrl-C, Ctrl-Z, Ctrl-\\ and Ctrl-D do nothing; stop it with a signal (SIGTERM)."
    )

    @OptionGroup var options: SharedTerminalOptions

    @Option(name: .customLong("submissions-per-hour"), help: ArgumentHelp(
        "The most reports this kiosk takes in an hour (default: the settings file's, else 5).", valueName: "count"))
    var submissionsPerHour: Int?

    func run() throws {
        do throws(Failure) {
            let settings = try Deployment.get().installation?.kiosk ?? Installation.StationSettings()
            let perHour = submissionsPerHour ?? settings.submissionsPerHour
            guard (1...1000).contains(perHour) else {
                throw Failure("--submissions-per-hour should be a number from 1 to 1000.", code: 64)
            }
            let station = Station.kiosk(location: try options.checkedLocation(configured: settings.location))
            try SharedTerminalRun(
                options: options, station: station, idleSeconds: try options.idleSeconds(configured: settings.idleTimeout),
                gate: KioskLimit(perHour: perHour)
            ).start()
        } catch {
            error.exit()
        }
    }
}

/// What `ward` and `kiosk` share: the role check, the store, the rules, the terminal.
struct SharedTerminalRun {
    let options: SharedTerminalOptions
    let station: Station
    let idleSeconds: Int
    let gate: SubmissionGate?

    func start() throws(Failure) {
        try Roles.require(.reporter, toDo: "run a \(station.kind) terminal")
        // A shared terminal's reports must go where its login cannot read them back: the
        // installed shared store. The login's own store would let anyone who knows it read them.
        if try Deployment.get().installation == nil, options.storeOptions.path == nil {
            throw Failure(
                "A \(station.kind) terminal keeps its reports in a shared store that its login cannot read, so it needs SpeakUp installed for a shared host (docs/deployment.md). To try it out on a store of your own, give one with --db PATH.",
                code: 78)
        }
        let rulesPath = try options.rulesOptions.chosen()
        let (store, _) = try options.storeOptions.open(forScreen: true)
        let router = Routing.deferred(store: store, rulesPath: rulesPath, owner: RealIdentity.current()?.reporter.userName)
        let terminal = try TerminalSetup.start()
        if case .kiosk = station {
            // Raw mode already turns these keys into plain bytes; ignoring the signals as well means
            // nothing that reaches the kiosk can stop it but the administrator's SIGTERM (or a hang-up).
            for signal in [SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU] { Glibc.signal(signal, SIG_IGN) }
        }
        let ending = SharedTerminalSession(
            store: store, station: station, clock: SystemClock(), router: router, idleSeconds: idleSeconds, gate: gate
        ).run(on: terminal)
        terminal.stop()
        if ending == .hungUp, terminal.hungUp { Glibc.exit(129) }
    }
}
