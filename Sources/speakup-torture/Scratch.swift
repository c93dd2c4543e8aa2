import Foundation
import Glibc

/// A scenario's own temporary folder (private to the user running the suite,
/// as SpeakUp wants its stores), removed when the scenario ends, pass or fail,
/// unless `--keep` asks to look at it.
final class Scratch {
    let path: String
    private let keep: Bool
    private var counter = 0

    init(named name: String, keep: Bool) throws(TortureError) {
        var template = Array("\(NSTemporaryDirectory())speakup-torture-\(name)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TortureError("could not make a temporary folder: \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
        self.keep = keep
    }

    deinit { remove() }

    /// Removes the folder now (kept with --keep, and said so).
    func remove() {
        guard FileManager.default.fileExists(atPath: path) else { return }
        if keep {
            emit("  kept: \(path)")
        } else {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// A path inside the folder, unique within it: "name-1.json", "name-2.json"…
    func file(_ name: String, extension suffix: String) -> String {
        counter += 1
        return "\(path)/\(name)-\(counter).\(suffix)"
    }

    /// A new folder inside this one.
    func folder(_ name: String) throws(TortureError) -> String {
        counter += 1
        let folder = "\(path)/\(name)-\(counter)"
        guard mkdir(folder, 0o700) == 0 else {
            throw TortureError("could not make \(folder): \(String(cString: strerror(errno)))")
        }
        return folder
    }

    /// Writes bytes to a new file in the folder and returns its path.
    func write(_ data: Data, name: String, extension suffix: String = "json") throws(TortureError) -> String {
        let target = file(name, extension: suffix)
        guard FileManager.default.createFile(atPath: target, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw TortureError("could not write \(target)")
        }
        return target
    }
}
