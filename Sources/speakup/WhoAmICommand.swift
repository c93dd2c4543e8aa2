import ArgumentParser
import Glibc
import SpeakUpCore

/// `speakup whoami`: who SpeakUp takes you to be, and what you may do.
struct WhoAmICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Say who SpeakUp takes you to be (from your login, never from $USER) and what you may do."
    )

    func run() throws {
        do throws(Failure) {
            let deployment = try Deployment.get()
            guard let identity = RealIdentity.current() else {
                throw Failure("SpeakUp cannot find your user account (uid \(getuid())) in the system's user list. Please tell IT.")
            }
            let roles = Roles.of(identity, in: deployment).sorted()
            print("You are \(identity.reporter.userName) (uid \(identity.reporter.uid)), as your login says.")
            switch deployment {
            case .embedded:
                print("This SpeakUp is not installed for a shared store, so in your own store you hold every role.")
            case .installed(_, let settingsPath):
                print("Roles come from \(settingsPath).")
            }
            if roles.isEmpty {
                print("You hold no SpeakUp role here. If you should, please ask IT.")
            }
            for role in roles { print("- \(role.rawValue): you may \(role.duties).") }
        } catch {
            error.exit()
        }
    }
}
