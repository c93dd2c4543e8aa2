import ArgumentParser
import Foundation
import Glibc
import SpeakUpCore
import SpeakUpRules
import SpeakUpStore
import SpeakUpTUI

/// `speakup subject-access STAFF_ID --out FILE`: answers a subject access request without revealing
/// who raised any concern (docs/governance.md, "Subject access requests"). A handler reads the
/// redacted draft on a review screen (`DisclosureReviewSession`); only when they approve is the file written, and either way the
/// audit trail records who decided, when, for which staff id, and the file's digest.
struct SubjectAccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subject-access",
        abstract: "Draft what SpeakUp holds about a member of staff, with everyone who raised a concern redacted, for you to review; write it only when you approve (handlers).",
        discussion: "The draft is shown on a screen of its own to read to the end (arrow keys, PgUp and PgDn); then A approves it and D declines it. Nothing is written before then, and an existing file is never written over. Both an approval and a decline are recorded in the audit trail. docs/governance.md says what is redacted and why."
    )

    @Argument(help: ArgumentHelp("The staff id of the person who asked, as the staff directory has it.", valueName: "staff-id"))
    var staffID: String

    @Option(help: ArgumentHelp("The file to write the approved disclosure to (created, readable by you only; never written over).", valueName: "file"))
    var out: String

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var rulesOptions: RulesOptions
    @OptionGroup var displayOptions: DisplayOptions

    func run() throws {
        do throws(Failure) {
            try Roles.require(.handler, toDo: "answer a subject access request")
            guard let identity = RealIdentity.current() else {
                throw Failure("SpeakUp cannot find your user account (uid \(getuid())) in the system's user list. Please tell IT.")
            }
            try DisclosureFile.checkFree(out)
            let rulesPath = try rulesOptions.chosen()
            let handler = try Routing.handler(for: identity.reporter.userName, rulesPath: rulesPath)
            let (store, _) = try storeOptions.open(.write, createIfMissing: false)
            let found: SubjectAccessHoldings?
            do { found = try store.subjectAccessHoldings(staffID: staffID) } catch {
                throw Failure("What SpeakUp holds about \(staffID) could not be read: \(error.sentence) Nothing was written.", code: error.kind == .busy ? 75 : 1)
            }
            guard let holdings = found else {
                throw Failure("Nobody in the staff directory has the staff id \(staffID), so there is nothing to disclose and nothing was written. Check the id with the person who asked, and against the staff directory file last imported (`speakup directory import`).", code: 65)
            }
            if let login = holdings.person.unixUser, login == identity.reporter.userName {
                throw Failure("This request is about you, so another handler must answer it: nobody reads the concerns raised about themselves. Nothing was written.", code: 77)
            }
            // The handler must be free to see every case in the draft, as in the workspace.
            let router = try Routing.router(store: store, rulesPath: rulesPath, owner: handler)
            let policy = SubjectChainPolicy(router: router, names: SystemAccounts())
            let kept = holdings.cases.filter { policy.refusal(of: handler, for: $0.report.caseSubject) != nil }
            if !kept.isEmpty {
                throw Failure("\(kept.count.counted("case")) in this request \(kept.count == 1 ? "is" : "are") kept from you (you may be too close to the person it is about), so another handler must answer it. Nothing was written.", code: 77)
            }
            let draft = SubjectAccessDisclosure.text(holdings, directory: router.directory.members.values.sorted { $0.id < $1.id },
                                                     drafted: SystemClock().today())
            guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
                throw Failure("A disclosure must be read and approved by a person before it is written, and there is no terminal here to show it on. Run `speakup subject-access \(staffID) --out FILE` at a terminal. Nothing was written.", code: 2)
            }
            let counts = (holdings.aboutThem.count, holdings.raisedByThem.count, holdings.mentions.count)
            // The review is a screen of its own, read with the workspace's keys; leaving it any way but Y to approve declines.
            let terminal = try TerminalSetup.start(plain: displayOptions.ascii)
            let approved = DisclosureReviewSession.run(on: terminal, staffID: holdings.person.id, file: out, draft: draft)
            terminal.stop()
            let decision: SubjectAccessDecision
            if approved {
                let bytes = Data(draft.utf8)
                try DisclosureFile.write(bytes, to: out)
                decision = SubjectAccessDecision(staffID: holdings.person.id, approved: true, digest: FileDigest.sha256(bytes), counts: counts)
            } else {
                decision = SubjectAccessDecision(staffID: holdings.person.id, approved: false, digest: nil, counts: counts)
            }
            do {
                try store.recordSubjectAccess(decision, by: identity.reporter.userName, at: Date())
            } catch {
                if approved { unlink(out) }
                throw Failure("The audit trail could not record your decision (\(error.sentence)), so \(approved ? "the file was removed again" : "nothing was recorded"). Please try again.", code: error.kind == .busy ? 75 : 1)
            }
            if approved, let digest = decision.digest {
                print("Written to \(SafeText.displayable(out)) (SHA-256 \(FileDigest.hex(digest))). The audit trail records that you approved it.")
            } else {
                print("Declined: nothing was written. The audit trail records that you declined it.")
            }
        } catch {
            error.exit()
        }
    }
}

/// Where an approved disclosure goes: a new file, readable by its owner only, never one already there.
enum DisclosureFile {
    /// Stops, before anything is drafted, when the file is already there or its folder cannot take it.
    static func checkFree(_ path: String) throws(Failure) {
        let shown = SafeText.displayable(path)
        var status = stat()
        if lstat(path, &status) == 0 {
            throw Failure("There is already a file at \(shown), and SpeakUp never writes over one. Choose another name, or move that file away first. Nothing was written.", code: 73)
        }
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw Failure("The folder \(SafeText.displayable(folder)) for \(shown) is not there. Choose a file in a folder that exists. Nothing was written.", code: 73)
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw Failure("You cannot write to the folder \(SafeText.displayable(folder)), so the disclosure could not be saved at \(shown). Choose a file in a folder of your own. Nothing was written.", code: 73)
        }
    }

    /// Creates the file (0600, never following a link, never over another) and writes every byte to disk.
    static func write(_ bytes: Data, to path: String) throws(Failure) {
        let shown = SafeText.displayable(path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "a file appeared there while you were reading" : String(cString: strerror(errno))
            throw Failure("The disclosure could not be written to \(shown): \(reason). Nothing was written or recorded.", code: 73)
        }
        fchmod(descriptor, 0o600)
        var written = 0
        var failed: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    failed = errno
                    return
                }
                written += count
            }
        }
        if failed == 0, fsync(descriptor) != 0 { failed = errno }
        close(descriptor)
        if failed != 0 {
            unlink(path)
            throw Failure("The disclosure could not be written to \(shown): \(String(cString: strerror(failed))). The part-written file was removed; nothing was recorded.", code: 73)
        }
    }
}
