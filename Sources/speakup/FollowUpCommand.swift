import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpStore
import SpeakUpTUI

/// `speakup follow-up`: see how a report is going, read replies and answer.
struct FollowUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow-up",
        abstract: "See how a report is going, read messages and reply (your reports, or a receipt code)."
    )

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        do {
            try Roles.require(.reporter, toDo: "follow up reports")
            try followUp()
        } catch {
            error.exit()
        }
    }

    private func followUp() throws(Failure) {
        let (store, isDefault) = try storeOptions.open(.write, createIfMissing: false, forScreen: true)
        let terminal = try TerminalSetup.start()
        FollowUpSession(store: store, reporter: RealIdentity.current()?.reporter, clock: SystemClock()).run(on: terminal)
        terminal.stop()
        if isDefault { Diagnostics.say("Your SpeakUp store is \(store.path)") }
    }
}

/// Starting the terminal the same way for every screen.
enum TerminalSetup {
    static func start() throws(Failure) -> CursesTerminal {
        let wantsColour = (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        do {
            return try CursesTerminal.start(colour: wantsColour)
        } catch {
            throw Failure(error.sentence, code: 2)
        }
    }
}
