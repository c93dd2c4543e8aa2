import ArgumentParser
import Foundation
import Glibc
import SpeakUpSealing

/// `speakup store subject-key`: makes the installation's secret for sealed names' same-person keys
/// (`SubjectKeyFile`), once. With it, a sealing store seals the subject's name and role as typed too.
struct SubjectKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subject-key",
        abstract: "Make the secret that lets a sealing store seal the names of the people reports are about, once (administrators).",
        discussion: "Writes 32 random bytes, as 64 hexadecimal digits, to subject-key beside the settings file (root:speakup, mode 0640). Reports about the same person are then recognised by a keyed digest of the name rather than the name. Copy the same file to every host of a PostgreSQL store, and keep a copy with the trust's recovery key: a new secret would stop new reports matching earlier ones about the same person, so an existing one is never replaced."
    )

    func run() throws {
        do throws(Failure) {
            try Roles.require(.administrator, toDo: "make the subject-key secret")
            guard let path = SubjectKeyFile.path() else {
                throw Failure("This SpeakUp is not installed for a shared host, so it has no settings folder to keep the secret in. To try it on your own store, set SPEAKUP_SUBJECT_KEY to the path of the file to make.", code: 64)
            }
            let installed = if case .success(.installed) = Deployment.current { true } else { false }
            // O_EXCL: an existing secret is never replaced, even by two of these at once.
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, installed ? 0o640 : 0o600)
            guard descriptor >= 0 else {
                let why = errno
                if why == EEXIST {
                    throw Failure("\(path) exists already, so nothing was changed: a new secret would stop new reports matching earlier ones about the same person. If it was damaged, restore it from the copy kept with the recovery key.", code: 73)
                }
                throw Failure("SpeakUp could not make \(path) (\(String(cString: strerror(why)))). Nothing was changed.", code: 73)
            }
            var written = false
            defer {
                close(descriptor)
                if !written { unlink(path) }
            }
            if installed {
                guard let group = getgrnam("speakup"), fchown(descriptor, 0, group.pointee.gr_gid) == 0 else {
                    throw Failure("SpeakUp could not give \(path) to root and group speakup (\(String(cString: strerror(errno)))), so it was not made. Is the group speakup there?", code: 73)
                }
            }
            let bytes = Array(SubjectNameSecret.text(SubjectNameSecret.fresh()).utf8)
            guard write(descriptor, bytes, bytes.count) == bytes.count, fsync(descriptor) == 0 else {
                throw Failure("SpeakUp could not write \(path) (\(String(cString: strerror(errno)))), so it was not made.", code: 73)
            }
            written = true
            Diagnostics.say("Made \(path). New reports in a sealing store now have the name of the person they are about sealed too. Copy this file to every host of the same store, and keep a copy with the trust's recovery key.")
        } catch {
            error.exit()
        }
    }
}
