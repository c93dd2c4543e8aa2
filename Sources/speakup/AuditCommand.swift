import ArgumentParser
import Foundation
import SpeakUpCore
import SpeakUpStore

/// `speakup audit verify`: checks the audit trail's hash chain.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the audit trail (administrators).",
        subcommands: [Verify.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check every record of the audit trail and name the first one changed, removed or put in.",
            discussion: "Exit status: 0 when the whole chain holds, 1 when a record does not, 2 when the store cannot be read."
        )

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            do throws(Failure) {
                try Roles.require(.administrator, toDo: "check the audit trail")
                let (store, _) = try storeOptions.open(createIfMissing: false)
                let result: AuditVerification
                do { result = try store.verifyAudit(today: SystemClock().today()) } catch { throw Failure(error.sentence, code: 2) }
                let waiting = result.waiting == 0 ? "" :
                    " \(result.waiting) more, from anonymous reporters today, join the chain when the day ends."
                if let broken = result.firstBroken {
                    throw Failure(
                        "The audit trail is broken at record \(broken.position) of \(result.records): \(broken.reason). Records from there on cannot be trusted. Keep a copy of the store as it is now, and tell whoever looks after its security.",
                        code: 1)
                }
                print("The audit trail holds \(result.records) record\(result.records == 1 ? "" : "s"), and every one is as it was written.\(waiting)")
            } catch {
                error.exit()
            }
        }
    }
}
