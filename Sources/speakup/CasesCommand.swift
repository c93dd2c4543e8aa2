import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpRules
import SpeakUpSealing
import SpeakUpStore
import SpeakUpTUI

/// `speakup cases`: the guardian's workspace (docs/handling.md).
struct CasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Open your workspace: the cases routed to you, and what each needs next (handlers).",
        discussion: "It first asks for your passphrase (the first time, it asks you to choose one: it unlocks your key to sealed reports, docs/security.md). It then opens on any deadline reminders, then your queue: urgent first, then by deadline. docs/handling.md walks through a week."
    )

    @Flag(name: .customLong("change-passphrase"), help: "Change the passphrase that unlocks your key, then open the workspace.")
    var changePassphrase = false

    @Option(name: .customLong("lock-after"), help: ArgumentHelp("Lock the workspace after this many seconds without a key (20 to 600; 600 unless given).", valueName: "seconds"))
    var lockAfter: Int = 600

    @Flag(name: .customLong("forgotten-passphrase"), help: "Make a new key under a new passphrase; your IT team then seals your cases again for it (speakup recover).")
    var forgottenPassphrase = false

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var rulesOptions: RulesOptions
    @OptionGroup var displayOptions: DisplayOptions

    func run() throws {
        do throws(Failure) {
            guard (20...600).contains(lockAfter) else {
                throw Failure("--lock-after takes a number of seconds from 20 to 600 (10 minutes), such as --lock-after 300.", code: 64)
            }
            try Roles.requireAny([.handler, .administrator], toDo: "open the cases workspace")
            try TerminalSetup.requireTerminal(for: .cases)
            guard let identity = RealIdentity.current() else {
                throw Failure("SpeakUp cannot find your user account (uid \(getuid())) in the system's user list. Please tell IT.")
            }
            let rulesPath = try rulesOptions.chosen()
            let handler = try Routing.handler(for: identity.reporter.userName, rulesPath: rulesPath)
            let (store, _) = try storeOptions.open(.read, createIfMissing: false, forScreen: true)
            // Before any passphrase is typed: no core dump, no debugger, nothing of it swapped out where that can be done.
            let hardening = SessionHardening.harden()
            if !hardening.coreDumpsRefused || !hardening.notDumpable {
                Diagnostics.say("Warning: this system would not let SpeakUp keep your unlocked key out of core dumps and debuggers (docs/security.md).")
            }
            let keyring = HandlerKeyring(store: store, handler: handler)
            let hasKey: Bool
            do { hasKey = try keyring.hasKey() } catch { throw Failure("Your key could not be read: \(error.sentence)") }
            if changePassphrase && forgottenPassphrase {
                throw Failure("--change-passphrase and --forgotten-passphrase cannot be used together: the first needs the passphrase you have, the second is for one you have forgotten.", code: 64)
            }
            if forgottenPassphrase && !hasKey {
                throw Failure("You have no key yet, so nothing was forgotten: `speakup cases` asks you to choose a passphrase the first time.")
            }
            if changePassphrase && !hasKey {
                throw Failure("You have no passphrase to change yet: `speakup cases` asks you to choose one the first time.")
            }
            // Conflicts of interest are found through the directory: without it, none could be ruled out.
            let router = try Routing.router(store: store, rulesPath: rulesPath, owner: handler)
            for line in router.preface where line.contains("could not be") { Diagnostics.say("Warning: " + line) }
            let unlockedKey = UnlockedKey()
            // A search finds sealed words too, opened in memory with the handler's key.
            let policy = SubjectChainPolicy(router: router, names: SystemAccounts())
            let desk = SealedSearchDesk(inner: store.desk(policy: policy), store: store, key: { unlockedKey.pair })
            let session = CasesSession(
                desk: desk, handler: handler, clock: SystemClock(),
                prepare: { file in
                    // Sealed words opened with the handler's key, or why not in their place.
                    var file = unlockedKey.pair.map { ReportSeal.open(file, with: $0) } ?? file
                    // A name sealed before some handlers were checked against it (they joined since), open here:
                    // they are checked now and the checks kept (audited), so one it does not fit may be offered the
                    // case, and one it fits is kept from it for good. Checks that could not be kept leave them
                    // unchecked, and so kept from the case: never a wider opening.
                    if file.unopened == nil, let facts = file.report.subject.sealedFacts {
                        let checks = policy.laterChecks(opened: file.report.caseSubject, by: handler, rules: router.rules, membership: router.membership)
                        if !checks.isEmpty, (try? store.keepSubjectChecks(checks, by: handler, at: Date())) != nil {
                            file.report.subject.sealedFacts = facts.adding(checks.map { ($0.handler, $0.fits) })
                        }
                    }
                    // Every handler, each not offered with its reason: the conflict rules, who has it now, who stepped away.
                    file.handlerChoices = .workedOut(HandlerEligibility.choices(
                        for: file, by: handler, rules: router.rules, directory: router.directory, membership: router.membership))
                    // Its key wrapped for whoever it may be passed to, or now holds it, and has no wrapping yet. A
                    // failure here leaves them unable to open it, which their screen then says: never a wider opening.
                    if let pair = unlockedKey.pair, file.wrappedKey != nil,
                       let keys = try? store.sealingKeys() {
                        let sharing = ReportSeal.sharing(file, openedBy: handler, with: pair, keys: keys)
                        if (try? store.keepCaseKeys(sharing, by: handler, at: Date())) != nil { file.wrappedFor += sharing.map(\.recipient) }
                    }
                    return file
                })
            let opening: (reminders: [Reminder], unrouted: [UnroutedCase])
            do { opening = try session.opening() } catch {
                throw Failure("The workspace could not be opened: \(error.sentence)")
            }
            let terminal = try TerminalSetup.start(plain: displayOptions.ascii)
            let purpose: PassphraseState.Purpose = !hasKey ? .choose : changePassphrase ? .change : forgottenPassphrase ? .replace : .unlock
            let unlocked = PassphraseSession.run(on: terminal, purpose: purpose, login: identity.reporter.userName) { effect in
                do throws(KeyringFailure) {
                    switch effect {
                    case .choose(let passphrase, let again): unlockedKey.pair = try keyring.makeKey(passphrase: passphrase, again: again)
                    case .replace(let passphrase, let again): unlockedKey.pair = try keyring.replaceKey(passphrase: passphrase, again: again)
                    case .unlock(let passphrase): unlockedKey.pair = try keyring.unlock(passphrase: passphrase)
                    case .change(let current, let new, let again):
                        unlockedKey.pair = try keyring.changePassphrase(from: current, to: new, again: again)
                    case .leave: break
                    }
                    return nil
                } catch {
                    return error.sentence
                }
            }
            guard unlocked, unlockedKey.pair != nil else {
                terminal.stop()
                if terminal.hungUp { Glibc.exit(129) }
                return
            }
            var first = true
            while true {
                // Idle for `lockAfter` seconds (after a countdown any key stops), the workspace locks: the key and
                // the words opened with it are put away, and the passphrase is asked for again.
                let guarded = IdleGuard(terminal, timeout: Double(lockAfter), warning: 30, clock: SystemClock(), notice: IdleCountdown.locking)
                desk.openAhead(for: handler)
                session.run(on: guarded, reminders: first ? opening.reminders : [], unrouted: first ? opening.unrouted : [])
                first = false
                // The unlocked key and the words opened with it go (swift-crypto zeroes the key's storage when freed).
                unlockedKey.pair = nil
                desk.forget()
                guard guarded.expired else { break }
                let again = PassphraseSession.run(on: terminal, purpose: .unlock, login: identity.reporter.userName) { effect in
                    guard case .unlock(let passphrase) = effect else { return nil }
                    do throws(KeyringFailure) {
                        unlockedKey.pair = try keyring.unlock(passphrase: passphrase)
                        return nil
                    } catch {
                        return error.sentence
                    }
                }
                guard again, unlockedKey.pair != nil else { break }
            }
            terminal.stop()
            if terminal.hungUp { Glibc.exit(129) }
        } catch {
            error.exit()
        }
    }
}

/// `speakup stats`: the figures, for people who would rather look than read.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show cases per month, elements of each category, times to acknowledge and close, and the speak-up-again answers (counts under 5 shown as <5)."
    )

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        do throws(Failure) {
            try Roles.requireAny([.handler, .administrator], toDo: "see the statistics")
            let (store, _) = try storeOptions.open(.read, createIfMissing: false)
            let facts: [CaseFacts]
            do { facts = try store.caseFacts() } catch { throw Failure(error.sentence) }
            for line in CaseStatistics(facts: facts, today: SystemClock().today()).lines(width: 76) { print(line) }
        } catch {
            error.exit()
        }
    }
}

/// `speakup export ngo`: the National Guardian's Office quarterly data return, kept as it was for
/// scripts that still ask for it; `speakup export return` is what replaced it.
struct NGOExport: ParsableCommand {
    static let closed = "The National Guardian's Office closed in 2026; this is now `speakup export return` (NHS England's quarterly return)."

    static let configuration = CommandConfiguration(
        commandName: "ngo",
        abstract: "The National Guardian's Office's return (that office closed in 2026; use speakup export return).",
        discussion: "Quarters are the NHS financial year's: 2026Q1 is April to June 2026, 2026Q3 October to December 2026, 2026Q4 January to March 2027."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, csv
    }

    @OptionGroup var period: QuarterlyReturn

    @Option(help: ArgumentHelp("text (for people) or csv (for the return).", valueName: "format"))
    var format: Format = .text

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        Diagnostics.say(Self.closed)
        do throws(Failure) {
            let quarter = try period.chosen(in: .financial)
            let facts = try QuarterlyReturn.facts(storeOptions)
            QuarterlyReturn.noteIfRunning(quarter, in: .financial)
            let figures = DataReturn(quarter: quarter, facts: facts)
            print(format == .csv ? figures.csv : figures.text, terminator: "")
        } catch {
            error.exit()
        }
    }
}

/// The handler's key once unlocked, for the workspace's case files to be opened with; dropped when
/// the workspace closes.
final class UnlockedKey: @unchecked Sendable {
    var pair: SealingKeyPair?
}
