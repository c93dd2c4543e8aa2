import Foundation
import Glibc
import SpeakUpCore
import SpeakUpRules

/// How this copy of SpeakUp is set up: on its own (each user with their own
/// embedded store, holding every role), or installed for a shared host with a
/// settings file beside the binary (docs/deployment.md).
enum Deployment {
    case embedded
    case installed(Installation, settingsPath: String)

    /// Where an installed binary's settings live: `<prefix>/etc/speakup/config.yaml`
    /// for a binary in `<prefix>/bin`. Found from the binary's own path (which the
    /// kernel gives), never from the environment, so nobody can point it elsewhere.
    static func settingsPath() -> String? {
        guard let binary = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let prefix = URL(fileURLWithPath: binary).deletingLastPathComponent().deletingLastPathComponent().path
        return (prefix == "/" ? "" : prefix) + "/etc/speakup/config.yaml"
    }

    /// Reads the settings once per run.
    static let current: Result<Deployment, Failure> = {
        guard let path = settingsPath(), FileManager.default.fileExists(atPath: path) else {
            if GroupPrivilege.isElevated {
                return .failure(Failure("This SpeakUp is installed for a shared store, but its settings file \(settingsPath() ?? "config.yaml") is missing. Please tell IT.", code: 78))
            }
            return .success(.embedded)
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failure(Failure("SpeakUp cannot read its settings file \(path). Please tell IT.", code: 78))
        }
        // Whoever can change the settings can give themselves any role.
        if info.st_uid != 0 || info.st_mode & 0o022 != 0 {
            return .failure(Failure(
                "SpeakUp will not start: its settings file \(path) can be changed by someone other than root (owner uid \(info.st_uid), mode \(octal(info.st_mode))). Please ask IT to run: chown root \(path) && chmod 644 \(path)",
                code: 78))
        }
        guard let bytes = FileManager.default.contents(atPath: path), let text = String(data: bytes, encoding: .utf8) else {
            return .failure(Failure("SpeakUp cannot read its settings file \(path) as UTF-8 text. Please tell IT.", code: 78))
        }
        switch Installation.load(text) {
        case .success(let installation):
            return .success(.installed(installation, settingsPath: path))
        case .failure(let problems):
            let lines = problems.all.map { "\(path):\($0.line):\($0.column): \($0.sentence)" }
            return .failure(Failure((lines + ["SpeakUp will not start until its settings are corrected. Please tell IT."]).joined(separator: "\n"), code: 78))
        }
    }()

    /// The deployment, or the sentence that stops the program.
    static func get() throws(Failure) -> Deployment {
        switch current {
        case .success(let deployment): return deployment
        case .failure(let failure): throw failure
        }
    }

    var installation: Installation? {
        if case .installed(let installation, _) = self { return installation }
        return nil
    }

    static func octal(_ mode: mode_t) -> String { "0" + String(mode & 0o7777, radix: 8) }
}
