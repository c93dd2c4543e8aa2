import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpSealing
import SpeakUpStore
import SpeakUpTUI

/// `speakup report`: the reporter form (also what `speakup` alone opens).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Open the form to report a concern (the default)."
    )

    @OptionGroup var storeOptions: StoreOptions

    @OptionGroup var rulesOptions: RulesOptions

    @OptionGroup var displayOptions: DisplayOptions

    func run() throws {
        do {
            try runForm()
        } catch {
            error.exit()
        }
    }

    private func runForm() throws(Failure) {
        try Roles.require(.reporter, toDo: "report a concern")
        try TerminalSetup.requireTerminal(for: .form)
        let rulesPath = try rulesOptions.chosen()
        let (store, isDefault) = try storeOptions.open(.write, forScreen: true)
        guard let identity = RealIdentity.current() else {
            throw Failure("SpeakUp cannot find your user account (uid \(getuid())) in the system's user list. Please tell IT.")
        }
        SealingKeys.warmUp(store)
        Thread.detachNewThread { store.warmUpForSubmit() }
        let terminal = try TerminalSetup.start(plain: displayOptions.ascii)
        // The rules and the directory are read when the report is sent, not before the first
        // screen (parsing the rules measured a millisecond of start-up). A directory that cannot
        // be read then stops the send with a sentence, and the form keeps every word.
        let router = Routing.deferred(store: store, rulesPath: rulesPath, owner: identity.reporter.userName)
        let session = ReporterSession(
            store: store, reporter: identity.reporter, reporterName: identity.fullName, clock: SystemClock(), router: router,
            afterSaved: { store.tidy() }, references: { SealingWarmUp.reference() })
        let outcome = session.run(on: terminal)
        terminal.stop()
        switch outcome {
        case .submitted(let report) where report.wayOfRaising == .anonymous:
            // Nothing that leads back to an anonymous report stays in a shared terminal's scrollback.
            Diagnostics.say("Thank you. Your report is saved.")
        case .submitted(let report):
            Diagnostics.say("Thank you. Your report \(report.reference) is saved.")
        case .left:
            Diagnostics.say("You left without sending a report. Nothing was saved.")
        case .keptDraft:
            Diagnostics.say("Your unsent report is kept, for your login only; it will be offered next time.")
        case .hungUp:
            // After SIGHUP, end as the signal would have: 128 + 1.
            if terminal.hungUp { Glibc.exit(129) }
        }
        if isDefault { Diagnostics.say("Your SpeakUp store is \(store.location)") }
    }
}
