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
            discussion: "Exit status: 0 when the whole chain holds, 1 when a record does not, 2 when the store cannot be read (77 when your login has no permission to read it, see docs/store.md)."
        )

        @Option(help: ArgumentHelp(
            "A record's number and hash noted from an earlier check (NUMBER:HASH, at least 16 hex digits): shows whether the trail was cut or rewritten since.",
            valueName: "number:hash"))
        var anchor: String?

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            do throws(Failure) {
                try Roles.require(.administrator, toDo: "check the audit trail")
                var noted: (position: Int, hash: String)? = nil
                if let anchor {
                    let parts = anchor.split(separator: ":")
                    guard parts.count == 2, let position = Int(parts[0]), position >= 1, parts[1].count >= 16,
                        parts[1].allSatisfy(\.isHexDigit)
                    else {
                        throw Failure("--anchor needs a record number and at least 16 hex digits of its hash, as printed by an earlier check, such as --anchor 240:3f9c0a1b2c3d4e5f.", code: 64)
                    }
                    noted = (position, String(parts[1]))
                }
                // A store that cannot be opened is "cannot be read" (exit 2), never a broken trail (exit 1).
                let store: any OpenedStore
                do { store = try storeOptions.open(.read, createIfMissing: false).store } catch { throw Failure(error.sentence, code: error.code == 1 ? 2 : error.code) }
                let result: AuditVerification
                do { result = try store.verifyAudit(today: SystemClock().today(), anchor: noted) } catch { throw Failure(error.sentence, code: 2) }
                let waiting = result.waiting == 0 ? "" :
                    " \(result.waiting) more, from anonymous reporters today, join the chain when the day ends."
                if let broken = result.firstBroken {
                    throw Failure(
                        "The audit trail is broken at record \(broken.position) of \(result.records): \(broken.reason). Records from there on cannot be trusted. Keep a copy of the store as it is now, and tell whoever looks after its security.",
                        code: 1)
                }
                let erased = result.erasedCases == 0 ? "" :
                    " \(result.erasedEvents.counted("event")) of \(result.erasedCases.counted("case")) were erased under the retention policy (not altered): each matches the tombstone it left."
                print("The audit trail holds \(result.records.counted("record")), and every one is as it was written.\(erased)\(waiting)")
                if let last = result.lastHash {
                    print("Its last record is \(result.records), hash \(last.prefix(16)). Keep that line where the store's users cannot change it: `speakup audit verify --anchor \(result.records):\(last.prefix(16))` will then also show whether the trail was cut short or rewritten since.")
                }
            } catch {
                error.exit()
            }
        }
    }
}
