import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpStore
import SpeakUpTUI

/// `speakup report`: the reporter form (also what `speakup` alone opens).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Open the form to report a concern (the default)."
    )

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .customLong("rules"), help: ArgumentHelp(
        "The escalation rules file to route reports by (default: $SPEAKUP_RULES, else the built-in rules).", valueName: "path"))
    var rulesPath: String?

    func run() throws {
        do {
            try runForm()
        } catch {
            error.exit()
        }
    }

    private func runForm() throws(Failure) {
        try Roles.require(.reporter, toDo: "report a concern")
        if try Deployment.get().installation != nil, rulesPath != nil {
            throw Failure("This SpeakUp is installed with the rules its settings name, so --rules cannot change where your report goes. To try rules out, use `speakup rules test`.", code: 64)
        }
        let (store, isDefault) = try storeOptions.open()
        guard let identity = RealIdentity.current() else {
            throw Failure("SpeakUp cannot find your user account (uid \(getuid())) in the system's user list. Please tell IT.")
        }
        let terminal = try TerminalSetup.start()
        // The rules are read when the report is sent, not before the first screen: parsing them
        // measured a millisecond of start-up. A directory that cannot be read leaves routing by
        // names and roles only; the report still goes.
        // (The directory is read now: the router runs inside the store's own transaction,
        // where it cannot read the store again.)
        let rulesPath = self.rulesPath
        let owner = identity.reporter.userName
        let staff = try? store.staff()
        let router = DeferredRouter {
            var router = Routing.router(rulesPath: rulesPath, storeIsEmbeddedDefault: isDefault, owner: owner, staff: staff ?? [])
            if staff == nil { router = router.withPreface("The staff directory could not be read, so management chains were not checked.") }
            return router
        }
        let session = ReporterSession(
            store: store, reporter: identity.reporter, reporterName: identity.fullName, clock: SystemClock(), router: router)
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
        if isDefault { Diagnostics.say("Your SpeakUp store is \(store.path)") }
    }
}
