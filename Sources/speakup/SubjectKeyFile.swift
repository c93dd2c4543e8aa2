import Foundation
import Glibc
import SpeakUpCore
import SpeakUpSealing

/// Where the installation keeps its secret for sealed names' same-person keys (`SubjectNameSecret`),
/// and reading it. An installed SpeakUp keeps it beside its settings (`<prefix>/etc/speakup/subject-key`,
/// found from the binary's own path, never from the environment), owned by root, group speakup, mode
/// 0640; a SpeakUp run on its own reads the file `$SPEAKUP_SUBJECT_KEY` names, if any (its user's own
/// store: nobody else's reports are at stake). Without a secret that can be used, a sealing store keeps
/// subjects' names in clear, and `speakup check` says why: a report is never refused for it.
enum SubjectKeyFile {
    /// The secret file's path, or nil when there is none to look for.
    static func path() -> String? {
        if case .success(.installed(_, let settings)) = Deployment.current {
            return URL(fileURLWithPath: settings).deletingLastPathComponent().appendingPathComponent("subject-key").path
        }
        guard let named = ProcessInfo.processInfo.environment["SPEAKUP_SUBJECT_KEY"], !named.isEmpty else { return nil }
        return named
    }

    /// What reading the secret found.
    enum Found: Sendable {
        case secret(SubjectNameSecret)
        /// No file: names stay in clear.
        case none
        /// A file that cannot be used, with why and what to do.
        case unusable(String)
    }

    /// Reads the secret, checking that only root can change it and nobody outside group speakup can read it.
    static func read() -> Found {
        guard let path = path() else { return .none }
        var info = stat()
        guard stat(path, &info) == 0 else { return errno == ENOENT ? .none : .unusable("\(path) cannot be read (\(String(cString: strerror(errno)))).") }
        if case .success(.installed) = Deployment.current, info.st_uid != 0 || info.st_mode & 0o027 != 0 {
            return .unusable("\(path) may be changed or read by someone it should not be (owner uid \(info.st_uid), mode \(Deployment.octal(info.st_mode))): run chown root:speakup \(path) && chmod 640 \(path)")
        }
        guard let bytes = FileManager.default.contents(atPath: path), let text = String(data: bytes, encoding: .utf8),
              let secret = SubjectNameSecret(text: text) else {
            return .unusable("\(path) does not hold a secret SpeakUp can read (64 hexadecimal digits): `speakup store subject-key` makes one.")
        }
        return .secret(secret)
    }

    /// What reading found, once per run (every router of the run uses the same secret).
    static let found = read()

    /// The secret, or nil (names then stay in clear).
    static func secret() -> SubjectNameSecret? {
        if case .secret(let secret) = found { return secret }
        return nil
    }
}
