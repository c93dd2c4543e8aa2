import ArgumentParser
import Glibc
import SpeakUpCore
import SpeakUpRules

/// `speakup whoami`: who SpeakUp takes you to be, and what you may do.
struct WhoAmICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Say who SpeakUp takes you to be (from your login, never from $USER) and what you may do."
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var rulesOptions: RulesOptions

    func run() throws {
        do throws(Failure) {
            let deployment = try Deployment.get()
            guard let identity = RealIdentity.current() else {
                throw Failure("SpeakUp cannot find your user account (uid \(getuid())) in the system's user list. Please tell IT.")
            }
            let roles = Roles.of(identity, in: deployment).sorted()
            print("You are \(identity.reporter.userName) (uid \(identity.reporter.uid)), as your login says.")
            let rulesPath = try rulesOptions.chosen()
            switch deployment {
            case .embedded:
                print("This SpeakUp is not installed for a shared store, so you may use every command on your own store.")
            case .installed(_, let settingsPath):
                print("Roles come from \(settingsPath).")
            }
            if roles.isEmpty {
                print("You hold no SpeakUp role here. If you should, please ask IT.")
            }
            for role in roles { print("- \(role.rawValue): you may \(role.duties).") }
            // Who reports reach, by the same router the form uses: so this never says more than routing does.
            let (store, _) = try storeOptions.open(.read, createIfMissing: false)
            let router = try Routing.router(store: store, rulesPath: rulesPath, owner: identity.reporter.userName)
            var reached: [String] = []
            for name in router.rules.roles.keys.sorted() {
                guard let role = router.rules.roles[name] else { continue }
                let members = role.members(router.membership).sorted()
                let names = members.map { $0 == Routing.personalHandler ? "you, as this store's owner" : $0 }
                reached.append("\(name): \(names.isEmpty ? "nobody" : names.joined(separator: ", "))")
            }
            print("Reports in \(store.location) are routed to these roles: " + reached.joined(separator: "; ") + ".")
            let me = try Routing.handler(for: identity.reporter.userName, rulesPath: rulesPath)
            let mine = router.rules.roles.values.filter { role in
                role.members(router.membership).contains(me)
            }.map(\.name).sorted()
            print(mine.isEmpty ? "No report is routed to you." : "Reports routed to \(mine.joined(separator: ", ")) can reach you.")
            let waiting: [UnroutedCase]
            do { waiting = try store.unroutedCases() } catch { throw Failure(error.sentence) }
            if !waiting.isEmpty {
                print("\(waiting.count.counted("report")) \(waiting.count == 1 ? "waits" : "wait") with nobody to handle \(waiting.count == 1 ? "it" : "them"): run `speakup check`.")
            }
        } catch {
            error.exit()
        }
    }
}
