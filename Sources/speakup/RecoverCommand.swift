import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpRules
import SpeakUpSealing

/// `speakup recover --for LOGIN`: with the trust recovery key, seals a handler's cases again for their
/// current key: after they forgot their passphrase (and made a new key), or, with `--cases-of`, when they
/// take over from a handler who left. Every case is checked against the conflict rules first; each one
/// sealed again is recorded in the audit trail (docs/security.md).
struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Seal a handler's cases again for their current key, with the trust's recovery key (administrators).",
        discussion: "The recovery key is read from the terminal (not shown) or from standard input, never from the command line. Cases: those the handler holds now or had a key for; with --cases-of, also those the other handler had a key for. A case the conflict rules keep from the handler is left out and named."
    )

    @Option(name: .customLong("for"), help: ArgumentHelp("The handler (login) whose current key the cases are sealed for.", valueName: "login"))
    var handler: String

    @Option(name: .customLong("cases-of"), help: ArgumentHelp("Also the cases another handler (one who left) had a key for.", valueName: "login"))
    var casesOf: String?

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var rulesOptions: RulesOptions

    func run() throws {
        do throws(Failure) {
            try Roles.require(.administrator, toDo: "seal cases again with the recovery key")
            guard let identity = RealIdentity.current() else {
                throw Failure("SpeakUp cannot find your user account (uid \(getuid())) in the system's user list. Please tell IT.")
            }
            _ = SessionHardening.harden()
            let (store, _) = try storeOptions.open(.write, createIfMissing: false)
            let recovery: TrustRecoveryKey?
            let target: HandlerSealingKey?
            do {
                recovery = try store.recoveryKey()
                target = try store.sealingKey(of: handler)
            } catch { throw Failure(error.sentence) }
            guard let recovery else {
                throw Failure("The store at \(store.location) has no trust recovery key, so nothing in it is sealed for one. Nothing was changed.")
            }
            guard let target, let targetKey = try? SealingPublicKey(stored: target.publicKey) else {
                throw Failure("\(handler) has no key in this store yet. They choose a passphrase at their next `speakup cases` (or, if they forgot it, `speakup cases --forgotten-passphrase`); then run this again. Nothing was changed.")
            }
            let rulesPath = try rulesOptions.chosen()
            let router = try Routing.router(store: store, rulesPath: rulesPath, owner: identity.reporter.userName)
            let policy = SubjectChainPolicy(router: router, names: SystemAccounts())

            let typed = try Self.readRecoveryKey()
            let pair: SealingKeyPair
            do {
                pair = try RecoveryKeyText.keyPair(from: typed, matching: try SealingPublicKey(stored: recovery.publicKey))
            } catch {
                throw Failure(error.sentence + " Nothing was changed.")
            }

            var wrapped: [CaseKeyWrapping] = []
            var checks: [SubjectCheck] = []
            var left: [String] = []
            do throws(StoreError) {
                for reference in try store.sealedCases(for: handler, alsoOf: casesOf) {
                    guard var report = try store.report(reference) else { continue }
                    guard let recoveryWrapped = try store.caseKeys(reference)[SealedWords.recoveryRecipient] else {
                        left.append("\(reference.text) (it holds no wrapping for the recovery key)")
                        continue
                    }
                    // A name sealed before this handler was checked against it (they joined since): checked
                    // now, with the name opened by the recovery key, and kept, so the case's facts count them.
                    if report.subject.isSealedAway, let facts = report.subject.sealedFacts, facts.nameGiven, !facts.checked.contains(handler) {
                        do {
                            let opened = try ReportSeal.open(report, wrapped: recoveryWrapped, with: pair)
                            if let check = policy.laterCheck(of: handler, opened: opened.caseSubject) {
                                checks.append(check)
                                report.subject.sealedFacts = facts.adding([(check.handler, check.fits)])
                            }
                        } catch {
                            left.append("\(reference.text) (\(error.sentence))")
                            continue
                        }
                    }
                    if let refusal = policy.refusal(of: handler, for: report.caseSubject) {
                        left.append("\(reference.text) (\(refusal))")
                        continue
                    }
                    do {
                        wrapped += try ReportSeal.rewrap(reference, wrapped: recoveryWrapped, with: pair, for: [(handler, targetKey)],
                                                         how: "with the recovery key")
                    } catch {
                        left.append("\(reference.text) (\(error.sentence))")
                    }
                }
                // The checks first: a case is never sealed for someone its facts would still keep from it.
                try store.keepSubjectChecks(checks, by: identity.reporter.userName, at: Date())
                try store.keepCaseKeys(wrapped, by: identity.reporter.userName, at: Date())
            } catch {
                throw Failure(error.sentence)
            }
            if !checks.isEmpty {
                print("Checked \(handler) against the sealed name of \(checks.count.counted("case")) sent before they were a handler (opened with the recovery key, never shown); each check is in the audit trail.")
            }
            print("Sealed \(wrapped.count.counted("case")) again for \(handler)'s key (fingerprint \(targetKey.fingerprint)); each is in the audit trail.")
            if !left.isEmpty {
                Diagnostics.say("Left out, \(left.count.counted("case")): " + left.joined(separator: "; ") + ".")
                Glibc.exit(3)
            }
        } catch {
            error.exit()
        }
    }

    /// The recovery key as typed: from the terminal with echo off, or a line of standard input.
    static func readRecoveryKey() throws(Failure) -> String {
        let interactive = isatty(STDIN_FILENO) == 1
        if interactive {
            Diagnostics.say("Type the trust's recovery key (it is not shown), then press Enter:")
            tcgetattr(STDIN_FILENO, &echoing)
            var quiet = echoing
            quiet.c_lflag &= ~tcflag_t(ECHO)
            // Ctrl-C, a hang-up or a kill while echo is off gives the terminal back as it was, then stops;
            // Ctrl-Z is ignored until the key is read (a stopped shell would be left without echo).
            for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { Glibc.signal(signal, restoreEchoAndStop) }
            Glibc.signal(SIGTSTP, SIG_IGN)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        let line = readLine(strippingNewline: true)
        if interactive {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &echoing)
            for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP] { Glibc.signal(signal, SIG_DFL) }
            Diagnostics.say("")
        }
        guard let line, !line.allSatisfy(\.isWhitespace) else {
            throw Failure("No recovery key was given, so nothing was changed.", code: 64)
        }
        return line
    }
}

/// The terminal's settings before echo was turned off for the recovery key (read by the signal handler).
nonisolated(unsafe) private var echoing = termios()

/// A signal while the recovery key was being typed: the terminal's echo back (tcsetattr is safe in a
/// signal handler), a line ended, and the process stopped as the signal would have stopped it.
private func restoreEchoAndStop(_ signal: Int32) {
    tcsetattr(STDIN_FILENO, TCSANOW, &echoing)
    _ = write(STDERR_FILENO, "\nStopped: nothing was changed.\n", 31)
    Glibc.signal(signal, SIG_DFL)
    raise(signal)
}
