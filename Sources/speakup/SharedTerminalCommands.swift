import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpRules
import SpeakUpSealing
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
    @OptionGroup var displayOptions: DisplayOptions

    /// The settings this terminal runs with.
    ///
    /// Writing to an installed SpeakUp's shared store, they come from its root-owned settings
    /// for this account (`kiosks:` or `wards:`), and for this terminal if the settings name
    /// terminals: anyone else is refused, so no member of staff can file reports labelled as the
    /// main entrance's kiosk. The command line may then only make them stricter (a shorter idle
    /// time, a lower hourly limit), never change the place the reports say they were made.
    /// With --db (a store of one's own) or without an installation, the command line sets them,
    /// for trying out.
    func settings(kiosk: Bool, submissionsPerHour: Int?) throws(Failure) -> Installation.StationSettings {
        let deployment = try Deployment.get()
        let noun = kiosk ? "kiosk" : "ward terminal"
        var settings = Installation.StationSettings()
        var fromSettings = false
        if case .installed(let installation, let settingsPath) = deployment {
            settings = kiosk ? installation.kiosk : installation.ward
            if storeOptions.path == nil {
                guard let login = RealIdentity.current()?.reporter.userName else {
                    throw Failure("SpeakUp cannot find your user account (uid \(getuid())) in the system's user list. Please tell IT.")
                }
                let section = kiosk ? "kiosks" : "wards"
                guard let mine = (kiosk ? installation.kiosks : installation.wards)[login] else {
                    throw Failure(
                        "This account (\(login)) is not set up as a \(noun) in \(settingsPath), so it cannot take reports as one: a \(noun)'s place and limits come from IT, not from whoever starts it. IT can add it under `\(section):`.",
                        code: 77)
                }
                if !mine.terminals.isEmpty {
                    let terminal = ttyname(STDIN_FILENO).map { String(cString: $0) } ?? "no terminal"
                    guard mine.terminals.contains(terminal) else {
                        throw Failure(
                            "This \(noun) is set up to run only on \(mine.terminals.joined(separator: ", ")), and this is \(terminal). Please start it there, or ask IT to change `\(section): \(login): terminals:`.",
                            code: 77)
                    }
                }
                settings = mine
                fromSettings = true
            }
        }
        if let location {
            guard !location.isBlank, location.count <= 200 else {
                throw Failure("--location should name the place, in up to 200 characters, such as --location \"Ward 7\".", code: 64)
            }
            if fromSettings && location != settings.location {
                throw Failure(
                    "--location cannot change where this \(noun)'s reports say they were made: that comes from the settings (\(settings.location.map { "\"\($0)\"" } ?? "no place")). Please ask IT to change it there.",
                    code: 64)
            }
            settings.location = location
        }
        if let idleTimeout {
            let trimmed = idleTimeout.trimmingCharacters(in: .whitespaces)
            let seconds: Int? = if trimmed.hasSuffix("m") { Int(trimmed.dropLast()).map { $0 * 60 } }
                else if trimmed.hasSuffix("s") { Int(trimmed.dropLast()) } else { Int(trimmed) }
            guard let seconds, (5...3600).contains(seconds) else {
                throw Failure("--idle-timeout should be a time between 5s and 60m, such as 2m or 90s, not \"\(idleTimeout)\".", code: 64)
            }
            if fromSettings && seconds > settings.idleTimeout {
                throw Failure("--idle-timeout can only be shorter than the settings' \(settings.idleTimeout) seconds for this \(noun): the form must not stay on screen longer than IT chose.", code: 64)
            }
            settings.idleTimeout = seconds
        }
        if kiosk, let submissionsPerHour {
            guard (1...1000).contains(submissionsPerHour) else {
                throw Failure("--submissions-per-hour should be a number from 1 to 1000.", code: 64)
            }
            if fromSettings && submissionsPerHour > settings.submissionsPerHour {
                throw Failure("--submissions-per-hour can only be lower than the settings' \(settings.submissionsPerHour) for this kiosk: a kiosk's limit comes from IT.", code: 64)
            }
            settings.submissionsPerHour = submissionsPerHour
        }
        return settings
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
            let settings = try options.settings(kiosk: false, submissionsPerHour: nil)
            try SharedTerminalRun(options: options, station: .ward(location: settings.location), idleSeconds: settings.idleTimeout, perHour: nil,
                                  plain: settings.ascii).start()
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
            let settings = try options.settings(kiosk: true, submissionsPerHour: submissionsPerHour)
            try SharedTerminalRun(
                options: options, station: .kiosk(location: settings.location), idleSeconds: settings.idleTimeout,
                perHour: settings.submissionsPerHour, plain: settings.ascii
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
    /// A kiosk's hourly limit; nil for a ward terminal.
    let perHour: Int?
    /// The settings ask for plain characters (or --ascii does).
    let plain: Bool

    func start() throws(Failure) {
        try Roles.require(.reporter, toDo: "run a \(station.kind) terminal")
        // A shared terminal's reports must go where its login cannot read them back: the
        // installed shared store. The login's own store would let anyone who knows it read them.
        if try Deployment.get().installation == nil, options.storeOptions.path == nil {
            throw Failure(
                "A \(station.kind) terminal keeps its reports in a shared store that its login cannot read, so it needs SpeakUp installed for a shared host (docs/deployment.md). To try it out on a store of your own, give one with --db PATH.",
                code: 78)
        }
        if case .kiosk = station { try TerminalSetup.requireTerminal(for: .kiosk) } else { try TerminalSetup.requireTerminal(for: .ward) }
        let rulesPath = try options.rulesOptions.chosen()
        let (store, _) = try options.storeOptions.open(.write, forScreen: true)
        SealingKeys.warmUp(store)
        Thread.detachNewThread { store.warmUpForSubmit() }
        let router = Routing.deferred(store: store, rulesPath: rulesPath, owner: RealIdentity.current()?.reporter.userName)
        var gate: SubmissionGate? = nil
        if let perHour {
            // A restart must not reset the limit: it starts from today's reports at this kiosk (see SubmissionLimit).
            let now = Date()
            let earlier: Int
            do { earlier = try store.reportCount(at: station, on: CalendarDay.local(now)) } catch { throw Failure(error) }
            gate = KioskLimit(perHour: perHour, earlierToday: earlier, start: now, clearedAfter: Int(idleSeconds))
        }
        let terminal = try TerminalSetup.start(plain: plain || options.displayOptions.ascii)
        if case .kiosk = station {
            // Raw mode already turns these keys into plain bytes; ignoring the signals as well means
            // nothing that reaches the kiosk can stop it but the administrator's SIGTERM (or a hang-up).
            for signal in [SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU] { Glibc.signal(signal, SIG_IGN) }
        }
        let ending = SharedTerminalSession(
            store: store, station: station, clock: SystemClock(), router: router, idleSeconds: idleSeconds, gate: gate,
            // After each report, the next reporter's one-off sealing key is made ahead, while they write.
            afterSaved: { store.tidy(); SealingKeys.warmUp(store) }, replyKeys: ReceiptReplyKeys(store: store)
        ).run(on: terminal)
        terminal.stop()
        if ending == .hungUp, terminal.hungUp { Glibc.exit(129) }
    }
}
